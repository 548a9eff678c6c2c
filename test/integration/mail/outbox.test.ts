import assert from 'node:assert/strict';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

describe('mail outbox', () => {
  let t: TestHaven;
  beforeEach(async () => {
    t = await startTestHaven();
  });
  afterEach(() => t.stop());

  const email = (key: string) => ({
    to: 'client@example.test',
    subject: 'Your appointment is confirmed',
    text: 'See you soon.',
    idempotencyKey: key,
  });

  it('is written in the same transaction as the change: rollback leaves no email', async () => {
    await assert.rejects(
      t.haven.sequelize.transaction(async (transaction) => {
        await t.haven.mail.outbox.enqueue(email('booking:1'), transaction);
        throw new Error('booking failed');
      }),
    );
    assert.equal((await t.haven.mail.outbox.list()).length, 0);
    await t.haven.sequelize.transaction((transaction) =>
      t.haven.mail.outbox.enqueue(email('booking:2'), transaction),
    );
    assert.equal((await t.haven.mail.outbox.list()).length, 1);
  });

  it('keeps one email per idempotency key', async () => {
    assert.equal(await t.haven.mail.outbox.enqueue(email('reminder:a:24h')), true);
    assert.equal(await t.haven.mail.outbox.enqueue(email('reminder:a:24h')), false);
    await Promise.all([1, 2, 3].map(() => t.haven.mail.outbox.enqueue(email('reminder:b:24h'))));
    assert.equal((await t.haven.mail.outbox.list()).length, 2);
  });

  it('with no SMTP configured, mail waits in the outbox', async () => {
    assert.equal(t.haven.mail.configured(), false);
    await t.haven.mail.outbox.enqueue(email('k'));
    assert.equal(await t.haven.mail.sender!.drainOnce(), 0, 'nothing is attempted without a server');
    assert.deepEqual(await t.haven.mail.outbox.counts(), { queued: 1, sending: 0, sent: 0, failed: 0 });
  });
});
