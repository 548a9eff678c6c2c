import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The admin console's queries on a real PostgreSQL (skipped only without its binaries). */
describe('admin console on PostgreSQL', function () {
  this.timeout(120_000);
  let database: PostgresDatabase;
  let t: TestHaven;
  let session: SignedInSession;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({ env: { DATABASE_URL: database.url } });
    assert.equal(t.haven.sequelize.getDialect(), 'postgres');
    await ensureAdmin(t.haven);
    session = await signIn(t.haven, await createPerson(t.haven, { roles: ['admin'] }));
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  const post = async (path: string, body: Record<string, string | string[]>) =>
    session.agent
      .post(path)
      .type('form')
      .send({ _csrf: await session.csrf(), ...body });

  it('saves settings, searches people, deactivates, filters and exports the audit trail', async () => {
    const saved = await post('/admin/clinic-settings', {
      clinicName: 'Pg Clinic',
      timeZone: 'America/New_York',
      languages: ['en', 'es'],
      crisisResources: 'Call 988 (Suicide & Crisis Lifeline).',
      cancellationPolicy: '',
      messagingExpectations: 'Replies within two working days.',
      sessionIdleMinutes: '',
      sessionAbsoluteHours: '',
      primary: '#1d4ed8',
      primaryText: '#ffffff',
      background: '#ffffff',
      text: '#111827',
    });
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    const refused = await post('/admin/clinic-settings/smtp', {
      host: 'bad host!',
      port: '99999',
      security: 'x',
    });
    assert.equal(refused.status, 400);
    await post('/admin/clinic-settings/smtp', {
      host: 'smtp.example.org',
      port: '587',
      security: 'starttls',
      username: 'clinic',
      password: 'pg-secret',
    });
    assert.equal(
      t.haven.admin.preferences.smtpUrl,
      'smtp://clinic:pg-secret@smtp.example.org:587?requireTLS=true',
    );

    const therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Dr Percent_Sign' });
    const found = await session.agent
      .get('/admin/people?q=percent_&role=therapist&status=active')
      .expect(200);
    assert.match(found.text, /Dr Percent_Sign/);
    assert.equal((await post(`/admin/people/${therapist.user.id}/deactivate`, {})).status, 303);
    const deactivated = await session.agent.get('/admin/people?status=deactivated').expect(200);
    assert.match(deactivated.text, /Dr Percent_Sign/);

    const today = new Date().toISOString().slice(0, 10);
    const audit = await session.agent.get(`/admin/audit?action=user.&from=${today}&to=${today}`).expect(200);
    assert.match(audit.text, /user\.deactivated/);
    const csv = await session.agent.get('/admin/audit/export.csv?action=clinic_settings.').expect(200);
    assert.match(csv.text, /clinic_settings\.smtp_updated/);
    assert.doesNotMatch(csv.text, /pg-secret/);
    await session.agent.get('/admin').expect(200);
    await session.agent.get('/admin/outbox').expect(200);
  });
});
