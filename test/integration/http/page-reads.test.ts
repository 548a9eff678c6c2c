import assert from 'node:assert/strict';
import type { SignedInSession } from '../../support/accounts';
import { intlFormattersBuiltDuring } from '../../support/intl-constructions';
import { statementsDuring } from '../../support/sql-statements';
import { from, startReadsClinic, type ReadsClinic } from './page-reads-fixture';

/** What one signed-in page costs the database (issue 21): the costs that must not come back. */
describe('what a page reads', () => {
  let c: ReadsClinic;
  let client: SignedInSession;

  before(async function () {
    this.timeout(60_000);
    c = await startReadsClinic();
    client = c.as.client;
    // A first view describes the tables it reads once per process (PRAGMA table_info): not per request.
    await client.agent.get('/appointments').expect(200);
  });
  after(() => c?.t.stop());

  it('loads the signed-in person once, the therapist of four rows once, and writes nothing', async () => {
    let html = '';
    const sql = await statementsDuring(async () => {
      html = (await client.agent.get('/appointments').expect(200)).text;
    });
    assert.equal((html.match(/Theo Therapist/g) ?? []).length >= 4, true, 'four appointments listed');
    assert.equal(sql.filter(from('sessions')).length, 1, 'the session is read once');
    // The person comes with the session row (passport and the unread badge reuse it); one batch
    // for all rows' therapist.
    assert.match(sql.find(from('sessions'))!, /JOIN users u ON u\.id = s\.user_id/);
    assert.equal(sql.filter(from('users')).length, 1, sql.filter(from('users')).join('\n'));
    assert.equal(sql.filter(from('care_assignments')).length <= 1, true, 'who treats whom: read once');
    assert.deepEqual(
      sql.filter((s) => /^\s*(INSERT|UPDATE|DELETE|BEGIN)/i.test(s)),
      [],
      'a page view within a minute of the last write writes nothing (no session touch)',
    );
    assert.equal(sql.filter((s) => /PRAGMA/i.test(s)).length, 0, 'no PRAGMA table_info per SELECT');
  });

  it("costs a signed-in redirect (every page's fixed cost) the session and its person in one statement, then the badge in two", async () => {
    const sql = await statementsDuring(() => client.agent.get('/sign-in').expect(302));
    assert.equal(sql.filter(from('sessions')).length, 1, sql.join('\n'));
    assert.equal(sql.filter(from('users')).length, 0, 'the person came with the session row');
    // Then the badge: threads with their unread counts, and (the client's care thread) who treats them.
    assert.equal(sql.filter(from('message_threads')).length, 1, sql.join('\n'));
    assert.equal(sql.filter(from('messages')).length, 0, 'no unread count of its own');
    assert.equal(sql.length <= 3, true, `at most 3 statements (was 5):\n${sql.join('\n')}`);
  });

  it('reads the person in one statement (roles and second factor joined) and the unread badge in one', async () => {
    let html = '';
    const sql = await statementsDuring(async () => {
      html = (await client.agent.get('/appointments').expect(200)).text;
    });
    assert.match(html, /class="unread-badge">1</, 'the badge counts the one unread message');
    // These were separate statements per person (users, user_roles, user_totp) and per badge
    // (message_thread_reads, then every unread message's row).
    for (const table of ['user_roles', 'user_totp', 'message_thread_reads']) {
      assert.equal(sql.filter(from(table)).length, 0, `no statement of its own for ${table}`);
    }
    // The badge's counts come with its thread list (one statement): no count of its own.
    assert.equal(sql.filter(from('messages')).length, 0, 'the unread badge needs no count of its own');
    // Upcoming and past from one read (the therapist's side and the client's side): it was twice each.
    assert.equal(
      sql.filter(from('appointments')).length <= 2,
      true,
      sql.filter(from('appointments')).join('\n'),
    );
    assert.equal(sql.length <= 12, true, `at most 12 statements (was 20):\n${sql.join('\n')}`);
  });

  it('the home page and the header badge share one read of threads and unread counts', async () => {
    let html = '';
    const sql = await statementsDuring(async () => {
      html = (await client.agent.get('/').expect(200)).text;
    });
    assert.match(html, /class="unread-badge">1</, 'the badge still counts the unread message');
    // The badge (every page) and the home's card each read both; the second now reuses the first.
    assert.equal(
      sql.filter(from('message_threads')).length,
      1,
      sql.filter(from('message_threads')).join('\n'),
    );
    assert.equal(sql.filter(from('messages')).length, 0, 'the counts came with the threads');
  });

  it("audits the client's own clinical page in one transaction on an open connection (no connection opened per read)", async () => {
    await client.agent.get('/clinical/me').expect(200);
    const sql = await statementsDuring(() => client.agent.get('/clinical/me').expect(200));
    const writes = sql
      .filter((s) => /^\s*(BEGIN|COMMIT|ROLLBACK|INSERT|UPDATE|DELETE)/i.test(s))
      .map((s) => /^\s*(\w+(?: INTO `?\w+)?)/.exec(s)![1]!.replace(/`/g, ''));
    assert.deepEqual(
      writes,
      ['BEGIN', 'INSERT INTO audit_events', 'COMMIT'],
      'the read is audited, in one commit',
    );
    // A new SQLite connection runs its pragmas (server/db/sqlite-driver.ts) and Sequelize's.
    assert.deepEqual(
      sql.filter((s) => /PRAGMA/i.test(s)),
      [],
      'no connection opened for the transaction',
    );
  });

  it('builds no date, number or list formatter per request: they are made once per zone and locale', async () => {
    const built = await intlFormattersBuiltDuring(() => client.agent.get('/appointments').expect(200));
    // Each of four rows names its zone and writes three times; a formatter per call (luxon's
    // offsetNameShort did) or per request (the views' number and list helpers did) shows up here.
    assert.deepEqual(built, { DateTimeFormat: 0, NumberFormat: 0, ListFormat: 0 });
  });

  it('the same reads on a second request: nothing is remembered across requests', async () => {
    const first = await statementsDuring(() => client.agent.get('/appointments').expect(200));
    const second = await statementsDuring(() => client.agent.get('/appointments').expect(200));
    assert.equal(second.length, first.length);
  });
});
