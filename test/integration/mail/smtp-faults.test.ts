import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import { SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * Delivery against a real SMTP server on loopback that misbehaves the ways real ones do. The rule
 * under test: no email is ever lost; duplicates happen only when a connection dies after the message
 * was transferred, are bounded by those events, and are identifiable by their Message-ID.
 */
describe('mail delivery through a faulty SMTP server', () => {
  let sink: SmtpSink;
  let t: TestHaven;
  const clock = new FakeClock('2026-05-01T08:00:00Z');

  async function havenFor(mode: Parameters<typeof SmtpSink.start>[0], drops?: number) {
    sink = await SmtpSink.start(mode, drops);
    t = await startTestHaven({ clock, env: { SMTP_URL: sink.url, MAIL_MAX_ATTEMPTS: '6' } });
    return t.haven.mail.sender!;
  }

  afterEach(async () => {
    await t.stop();
    await sink.stop();
  });

  async function enqueue(n: number) {
    for (let i = 0; i < n; i++) {
      await t.haven.mail.outbox.enqueue({
        to: `person${i}@example.test`,
        subject: `Notice ${i}`,
        text: `Hello ${i}`,
        idempotencyKey: `notice:${i}`,
      });
    }
  }

  /** Runs the sender until nothing is due, moving the fake clock past every backoff. */
  async function drainAll(sender: NonNullable<TestHaven['haven']['mail']['sender']>, rounds = 20) {
    for (let i = 0; i < rounds; i++) {
      await sender.drainOnce();
      clock.advance(2 * 60 * 60_000);
    }
  }

  it('delivers every email once to a healthy server', async () => {
    const sender = await havenFor('accept');
    await enqueue(5);
    await drainAll(sender, 2);
    assert.equal(sink.received.length, 5);
    assert.deepEqual(await t.haven.mail.outbox.counts(), { queued: 0, sending: 0, sent: 5, failed: 0 });
    const mail = sink.received.find((m) => m.parsed.subject === 'Notice 3');
    assert.equal(mail?.parsed.text?.trim(), 'Hello 3');
    assert.deepEqual(mail?.envelopeTo, ['person3@example.test']);
  });

  it('421 "try later": keeps the mail, backs off, and delivers once the server recovers', async () => {
    const sender = await havenFor('tempfail');
    await enqueue(4);
    await sender.drainOnce();
    assert.equal(sink.received.length, 0);
    assert.equal(sender.stats.transientFailures, 4);
    const queued = await t.haven.mail.outbox.list({ status: 'queued' });
    assert.equal(queued.length, 4);
    assert.ok(queued.every((m) => m.nextAttemptAt > clock.now() && /421/.test(m.lastError ?? '')));

    await sender.drainOnce(); // nothing is due yet: backoff is respected
    assert.equal(sender.stats.attempts, 4);

    sink.mode = 'accept';
    await drainAll(sender, 3);
    assert.equal(sink.received.length, 4);
    assert.equal(new Set(sink.received.map((m) => m.parsed.messageId)).size, 4);
    assert.equal((await t.haven.mail.outbox.counts()).sent, 4);
  });

  it('550 "no such mailbox": marks the mail failed at once (kept for an admin to retry)', async () => {
    const sender = await havenFor('reject');
    await enqueue(2);
    await drainAll(sender, 3);
    assert.equal(sender.stats.attempts, 2);
    const failed = await t.haven.mail.outbox.list({ status: 'failed' });
    assert.equal(failed.length, 2);
    assert.match(failed[0]!.lastError ?? '', /SMTP 550/);

    sink.mode = 'accept';
    assert.equal(await t.haven.mail.outbox.retry(failed[0]!.id), true);
    await drainAll(sender, 2);
    assert.equal(sink.received.length, 1);
  });

  it('dropped connections: 0 lost, duplicates bounded by the drops and recognisable', async () => {
    const sender = await havenFor('drop', 3);
    await enqueue(6);
    await drainAll(sender);
    const counts = sink.countsByMessageId();
    assert.equal(counts.size, 6, 'every email arrived at least once');
    const duplicates = sink.received.length - counts.size;
    assert.equal(duplicates, sink.droppedAfterData, 'each duplicate comes from one dropped connection');
    assert.ok(duplicates <= 3);
    assert.ok([...counts.values()].every((n) => n <= 2));
    assert.equal((await t.haven.mail.outbox.counts()).sent, 6);
    assert.equal(sender.stats.transientFailures, 3);
  });

  it('a send interrupted by a crash is taken over after its lease and delivered', async () => {
    const sender = await havenFor('accept');
    await enqueue(1);
    // Simulate a process that claimed the row and died before marking it sent.
    await t.haven.sequelize.query(
      "UPDATE outbox_messages SET status = 'sending', attempts = 1, lease_until = :lease",
      {
        replacements: { lease: new Date(clock.now().getTime() + 60_000) },
      },
    );
    await sender.drainOnce();
    assert.equal(sink.received.length, 0, 'the lease is respected');
    clock.advance(61_000);
    await sender.drainOnce();
    assert.equal(sink.received.length, 1);
    assert.equal((await t.haven.mail.outbox.counts()).sent, 1);
  });
});
