import assert from 'node:assert/strict';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, createCast, PDF_BYTES, type Cast } from './messaging-support';

/**
 * The dialect-sensitive parts of messaging on PostgreSQL: concurrent senders get distinct sequence
 * numbers (the thread row is locked by the increment), two people opening the same pair at once
 * get one thread (the unique pair key), and the unread-count query.
 */
describe('messaging on PostgreSQL', function () {
  this.timeout(60_000);
  let database: PostgresDatabase;
  let t: TestHaven;
  let cast: Cast;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({ env: { DATABASE_URL: database.url } });
    cast = await createCast(t.haven);
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('opens one thread for a pair even when both sides open it at once', async () => {
    const ids = await Promise.all([
      t.haven.messaging.inbox.open(actor(cast.clientA), cast.therapist.user.id),
      t.haven.messaging.inbox.open(actor(cast.therapist), cast.clientA.user.id),
      t.haven.messaging.inbox.open(actor(cast.clientA), cast.therapist.user.id),
    ]);
    assert.equal(new Set(ids).size, 1);
  });

  it('numbers concurrent messages without gaps or duplicates, and counts unread', async () => {
    const threadId = await t.haven.messaging.inbox.open(actor(cast.clientA), cast.therapist.user.id);
    const sent = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.haven.messaging.messages.send(actor(cast.clientA), threadId, {
          body: `message ${i}`,
          ...(i === 0 ? { attachment: { bytes: PDF_BYTES, originalName: 'a.pdf' } } : {}),
        }),
      ),
    );
    assert.deepEqual(
      sent.map((m) => m.seq).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(await t.haven.messaging.unreadCountFor(cast.therapist.user.id), 6);
    const page = await t.haven.messaging.messages.readThread(actor(cast.therapist), threadId);
    assert.equal(page.messages.length, 6);
    assert.equal(await t.haven.messaging.unreadCountFor(cast.therapist.user.id), 0);
    await t.haven.messaging.messages.retract(actor(cast.clientA), sent[0]!.id);
    const hits = await t.haven.messaging.inbox.search(actor(cast.clientA), 'message');
    assert.equal(hits.length, 5, 'the retracted message is not found');
  });
});
