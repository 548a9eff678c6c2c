import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { FakeClock } from '../../../server/shared/clock';
import {
  createPerson,
  csrfFrom,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startClinic } from '../../support/clinic';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { from, statementsDuring } from '../../support/sql-statements';
import type { TestHaven } from '../../support/test-haven';

interface Started {
  readonly t: TestHaven;
  readonly clock: FakeClock;
}

/**
 * The session row brings its person along (one statement): the same person, refused in the same
 * cases as when passport read them on its own, on SQLite and PostgreSQL.
 */
function samePersonAsBefore(start: (context: Mocha.Context) => Promise<Started>): void {
  let s: Started;
  let a: TestPerson;
  let b: TestPerson;
  let sessionA: SignedInSession;

  before(async function () {
    this.timeout(60_000);
    s = await start(this);
  });
  after(() => s?.t.stop());
  beforeEach(async () => {
    a = await createPerson(s.t.haven, { roles: ['client'], displayName: 'Anna Alpha' });
    b = await createPerson(s.t.haven, { roles: ['client'], displayName: 'Bruno Beta' });
    sessionA = await signIn(s.t.haven, a, () => s.clock.now());
  });

  const sql = (text: string, replacements: Record<string, unknown>) =>
    s.t.haven.sequelize.query(text, { replacements, type: QueryTypes.UPDATE });

  it('signs the person in as before: their name on the page, their profile saved by a POST', async () => {
    const page = await sessionA.agent.get('/account').expect(200);
    assert.match(page.text, /Anna Alpha/);
    // A POST has no request memo: the person still comes with the session row, and a write that
    // changes them is seen by the next request.
    await sessionA.agent
      .post('/account/profile')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'Anna Renamed',
        fullName: '',
        timeZone: 'UTC',
        language: 'en',
      })
      .expect(303);
    const after = await sessionA.agent.get('/account').expect(200);
    assert.match(after.text, /Anna Renamed/);
  });

  it('refuses a session whose person was deactivated after it began, on GET and POST', async () => {
    const page = await sessionA.agent.get('/account').expect(200);
    // Deactivation signs out everywhere; this is the row changed under a live session (a race).
    await sql(`UPDATE users SET status = 'deactivated' WHERE id = :id`, { id: a.user.id });
    await sessionA.agent
      .post('/account/profile')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'Should Not Save',
        fullName: '',
        timeZone: 'UTC',
        language: 'en',
      })
      .expect((res) => assert.notEqual(res.status, 303, 'the POST is not accepted'));
    const [row] = await s.t.haven.sequelize.query<{ display_name: string }>(
      'SELECT display_name FROM users WHERE id = :id',
      { replacements: { id: a.user.id }, type: QueryTypes.SELECT },
    );
    assert.equal(row?.display_name, 'Anna Alpha');
    await sessionA.agent.get('/account').expect(302).expect('location', '/sign-in');
  });

  it("never signs in as the row's user_id when the session's data names someone else", async () => {
    // Only the session's own `passport.user` decides who is signed in: a row naming B (it cannot
    // happen through Haven) brings nobody along, and A is read as before.
    await sql('UPDATE sessions SET user_id = :b WHERE user_id = :a', { a: a.user.id, b: b.user.id });
    const page = await sessionA.agent.get('/account').expect(200);
    assert.match(page.text, /Anna Alpha/);
    assert.doesNotMatch(page.text, /Bruno Beta/);
  });

  it('still signs in a session row without a user_id (the person read on their own)', async () => {
    await sql('UPDATE sessions SET user_id = NULL WHERE user_id = :a', { a: a.user.id });
    const page = await sessionA.agent.get('/account').expect(200);
    assert.match(page.text, /Anna Alpha/);
  });

  it('signs out after the idle timeout and after sign-out, as before', async () => {
    s.clock.advance(31 * 60_000);
    await sessionA.agent.get('/account').expect(302).expect('location', '/sign-in');
    const again = await signIn(s.t.haven, a, () => s.clock.now());
    const page = await again.agent.get('/account').expect(200);
    await again.agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    await again.agent.get('/account').expect(302).expect('location', '/sign-in');
  });

  it('reads a person with roles and a second factor exactly as the person reader does', async () => {
    const therapist = await createPerson(s.t.haven, { roles: ['therapist', 'peer_supporter'] });
    await signIn(s.t.haven, therapist, () => s.clock.now());
    const [stored] = await s.t.haven.sequelize.query<{ id: string }>(
      'SELECT id FROM sessions WHERE user_id = :id',
      { replacements: { id: therapist.user.id }, type: QueryTypes.SELECT },
    );
    const read = await s.t.haven.accounts.sessions.repository.read(stored!.id, s.clock.now());
    assert.deepEqual(read?.user, await s.t.haven.accounts.byId(therapist.user.id));
    assert.equal(read?.user?.twoFactorEnabled, true);
    assert.deepEqual([...read!.user!.roles].sort(), ['peer_supporter', 'therapist']);
  });
}

describe('the session read brings its person (SQLite)', () => {
  samePersonAsBefore(() => startClinic());

  describe('statements', () => {
    let s: Started;
    let session: SignedInSession;
    before(async function () {
      this.timeout(60_000);
      s = await startClinic();
      session = await signIn(s.t.haven, await createPerson(s.t.haven, { roles: ['client'] }), () =>
        s.clock.now(),
      );
      await session.agent.get('/account').expect(200);
    });
    after(() => s?.t.stop());

    it('a signed-in GET reads session and person in one statement (they were two)', async () => {
      const sql = await statementsDuring(() => session.agent.get('/sign-in').expect(302));
      assert.equal(sql.filter(from('sessions')).length, 1, sql.join('\n'));
      assert.match(sql.find(from('sessions'))!, /JOIN users u ON u\.id = s\.user_id/);
      assert.equal(sql.filter(from('users')).length, 0, sql.filter(from('users')).join('\n'));
    });

    it('so does a POST, which has no request memo', async () => {
      // Refused by CSRF after sign-in is known: what it cost is the pipeline's reads alone.
      const sql = await statementsDuring(() => session.agent.post('/account/profile').type('form').send({}));
      assert.equal(sql.filter(from('sessions')).length, 1, sql.join('\n'));
      assert.equal(sql.filter(from('users')).length, 0, sql.filter(from('users')).join('\n'));
    });
  });
});

describe('the session read brings its person (PostgreSQL)', () => {
  let database: PostgresDatabase | undefined;
  samePersonAsBefore(async (context) => {
    database = await postgresDatabaseOrSkip(context);
    const started = await startClinic({ env: { DATABASE_URL: database.url } });
    assert.equal(started.t.haven.sequelize.getDialect(), 'postgres');
    return started;
  });
  after(() => database?.drop());
});
