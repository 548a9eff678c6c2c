import assert from 'node:assert/strict';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, GAD7_MID } from './clinical-fixtures';
import { refusal } from '../../support/refusals';

/** The clinical and directory services on a real PostgreSQL (skipped only without its binaries). */
describe('clinical care on PostgreSQL', function () {
  this.timeout(60_000);
  let database: PostgresDatabase;
  let t: TestHaven;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({ env: { DATABASE_URL: database.url } });
    assert.equal(t.haven.sequelize.getDialect(), 'postgres');
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('runs intake, measures, crisis alert, notes with addenda, feedback and the directory', async () => {
    const c = await cast(t.haven);
    const { intake, measures, crisis, notes, feedback, care } = t.haven.clinical;
    const client = actor(c.clientA);
    await intake.signConsent(client, { typedName: 'Alice', version: 1 });
    await intake.submitIntake(client, {
      form: {
        emergencyContactName: 'Sam',
        emergencyContactPhone: '+1 555 0100',
        location: 'Salem, Oregon',
        reasons: 'r',
        goals: 'g',
        topics: ['anxiety'],
      },
      phq9: { answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] },
      gad7: { answers: GAD7_MID },
    });
    assert.equal((await measures.results(actor(c.therapist), c.clientA.id)).length, 2);
    const [alert] = await crisis.openFor(actor(c.therapist));
    assert.ok(alert);
    await crisis.acknowledge(actor(c.therapist), alert.id);
    assert.deepEqual(await crisis.openFor(actor(c.therapist)), []);

    const note = await notes.create(actor(c.therapist), c.clientA.id, 'soap', { plan: 'Weekly' });
    await notes.sign(actor(c.therapist), note.id);
    await assert.rejects(
      notes.saveDraft(actor(c.therapist), note.id, { plan: 'x' }, 1),
      refusal('clinical.note_signed', 'clinical:problem.noteSigned'),
    );
    await notes.addAddendum(actor(c.therapist), note.id, 'why', 'more');
    assert.equal((await notes.read(actor(c.therapist), note.id)).addenda.length, 1);
    await assert.rejects(
      notes.read(actor(c.otherTherapist), note.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
    await care.breakGlass(actor(c.admin), c.clientA.id, 'Emergency review of the record');
    assert.equal((await care.breakGlassSeenBy(actor(c.therapist))).length, 1);

    await feedback.submit(client, {
      therapistId: c.therapist.id,
      heard: 9,
      goals: 9,
      approach: 9,
      overall: 9,
    });
    assert.equal((await feedback.trend(actor(c.therapist), c.clientA.id, c.therapist.id)).length, 1);

    const { directory } = t.haven;
    await directory.saveOwnProfile(actor(c.therapist), {
      specialties: ['anxiety'],
      languages: 'English',
      acceptingNewClients: 'on',
      licenceType: 'LPC',
      licenceNumber: '1',
      licenceJurisdiction: 'Oregon',
      licenceExpiresOn: '2030-01-01',
    });
    await directory.verifyLicence(actor(c.admin), c.therapist.id, { method: 'board lookup' });
    const matches = await directory.match({ location: 'Salem, Oregon', topics: ['anxiety'] });
    assert.deepEqual(matches[0]?.reasons, [
      { kind: 'licensed', value: 'Oregon' },
      { kind: 'topic', value: 'anxiety' },
    ]);
  });
});
