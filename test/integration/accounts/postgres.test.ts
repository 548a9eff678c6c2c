import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom, ensureAdmin, signIn } from '../../support/accounts';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The accounts tables and queries on PostgreSQL: sessions, TOTP replay (BIGINT steps), tokens. */
describe('accounts on PostgreSQL', function () {
  let database: PostgresDatabase;
  let t: TestHaven;
  const clock = new FakeClock('2026-03-02T09:00:00Z');

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({ clock, env: { DATABASE_URL: database.url } });
    assert.equal(t.haven.sequelize.getDialect(), 'postgres');
    await ensureAdmin(t.haven);
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('signs staff in with a second factor, refuses its replay, and expires idle sessions', async () => {
    const therapist = await createPerson(t.haven, { roles: ['therapist'] });
    const session = await signIn(t.haven, therapist, () => clock.now());
    await session.agent.get('/account').expect(200);
    const code = t.haven.accounts.twoFactor.currentCode(therapist.totpSecret!);
    assert.equal(
      await t.haven.accounts.twoFactor.verify(therapist.user.id, code, null),
      null,
      'replay refused',
    );
    const list = await session.agent.get('/account/sessions').expect(200);
    assert.match(list.text, /\(this browser\)/);
    clock.advance(31 * 60_000);
    await session.agent.get('/account').expect(302);
  });

  it('uses a reset token once', async () => {
    const client = await createPerson(t.haven, { roles: ['client'] });
    await t.haven.accounts.lifecycle.requestPasswordReset(client.email, null);
    await t.haven.accounts.lifecycle.settled();
    const mail = (await t.haven.mail.outbox.list()).find((m) => m.to === client.email)!;
    const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await t.haven.accounts.lifecycle.resetPassword(token, 'a brand new long phrase', null);
    await assert.rejects(t.haven.accounts.lifecycle.resetPassword(token, 'another long phrase', null), {
      code: 'reset_password.invalid_token',
      phrase: { key: 'errors:link.expired' },
    });
    const again = await signIn(t.haven, { ...client, password: 'a brand new long phrase' }, () =>
      clock.now(),
    );
    assert.ok(csrfFrom((await again.agent.get('/account')).text));
  });
});
