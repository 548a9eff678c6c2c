import assert from 'node:assert/strict';
import { runInRequestScope } from '../../../server/shared/request-scope';
import { signIn } from '../../support/accounts';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startReadsClinic, type ReadsClinic } from '../http/page-reads-fixture';
import { actor } from './messaging-support';

const badgeOf = (html: string): number => Number(/class="unread-badge">(\d+)</.exec(html)?.[1] ?? 0);

/**
 * The header's unread badge counts from the thread list's own statement on a page (GET), and with
 * a count of its own elsewhere: the two give the same numbers, for each reader their own threads
 * only, on SQLite and PostgreSQL.
 */
function badgeCases(start: (context: Mocha.Context) => Promise<ReadsClinic>): void {
  let c: ReadsClinic;

  before(async function () {
    this.timeout(120_000);
    c = await start(this);
    // The other client: one of their own (never counted; sending marks what came before read), two
    // unread from the therapist, and one the therapist retracts (never counted).
    const m = c.t.haven.messaging;
    const thread = await m.inbox.open(actor(c.therapist), c.otherClient.user.id);
    await m.messages.send(actor(c.otherClient), thread, { body: 'My own note.' });
    await m.messages.send(actor(c.therapist), thread, { body: 'First reply.' });
    await m.messages.send(actor(c.therapist), thread, { body: 'Second reply.' });
    const retracted = await m.messages.send(actor(c.therapist), thread, { body: 'Oops, wrong person.' });
    await m.messages.retract(actor(c.therapist), retracted.id);
  });
  after(() => c?.t.stop());

  it('counts the same from the thread list (a page) as with its own count (elsewhere), for everyone', async () => {
    const m = c.t.haven.messaging;
    const readers = [c.client, c.otherClient, c.therapist, ...c.frontDeskClients];
    const admin = (await c.t.haven.accounts.search({ role: 'admin', offset: 0, limit: 1 })).users[0]!;
    for (const id of [...readers.map((p) => p.user.id), admin.id]) {
      const onAPage = await runInRequestScope(() => m.unreadCountFor(id));
      assert.equal(onAPage, await m.unreadCountFor(id), `reader ${id}`);
    }
    assert.equal(await runInRequestScope(() => m.unreadCountFor(c.client.user.id)), 1);
    assert.equal(await runInRequestScope(() => m.unreadCountFor(c.otherClient.user.id)), 2);
    assert.equal(await runInRequestScope(() => m.unreadCountFor(admin.id)), 3, 'three front-desk notes');
  });

  it("shows each client their own count and threads, never the other client's", async () => {
    const other = await signIn(c.t.haven, c.otherClient);
    const mine = await c.as.client.agent.get('/messages').expect(200);
    assert.equal(badgeOf(mine.text), 1);
    assert.doesNotMatch(mine.text, /Olive Other/);
    const theirs = await other.agent.get('/messages').expect(200);
    assert.equal(badgeOf(theirs.text), 2);
    assert.doesNotMatch(theirs.text, /Casey Client/);
    const admin = await c.as.admin.agent.get('/messages').expect(200);
    assert.equal(badgeOf(admin.text), 3, 'front desk only: the care threads are not for the admin');
  });

  it('a page that reads a thread counts what is left after its read mark moved', async () => {
    const [thread] = await c.t.haven.messaging.inbox.threadsFor(actor(c.client));
    const page = await c.as.client.agent.get(`/messages/${thread!.threadId}`).expect(200);
    assert.equal(badgeOf(page.text) <= 1, true);
    const after = await c.as.client.agent.get('/messages').expect(200);
    assert.equal(badgeOf(after.text), 0, 'read: nothing left to count');
  });
}

describe('unread badge (SQLite)', () => badgeCases(() => startReadsClinic()));

describe('unread badge (PostgreSQL)', () => {
  let database: PostgresDatabase | undefined;
  badgeCases(async (context) => {
    database = await postgresDatabaseOrSkip(context);
    return startReadsClinic({ DATABASE_URL: database.url });
  });
  after(() => database?.drop());
});
