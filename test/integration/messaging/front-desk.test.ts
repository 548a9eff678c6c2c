import assert from 'node:assert/strict';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, createCast, type Cast } from './messaging-support';

/** With MESSAGING_FRONT_DESK=true a client may also write to the clinic; admins answer. */
describe('messaging: the front desk, when the clinic turns it on', () => {
  let t: TestHaven;
  let cast: Cast;

  before(async () => {
    t = await startTestHaven({ env: { MESSAGING_FRONT_DESK: 'true' } });
    cast = await createCast(t.haven);
  });
  after(async () => t?.stop());

  it('lets a client write to the front desk, admins read and answer, and nobody else see it', async () => {
    const { inbox, messages } = t.haven.messaging;
    const rows = await inbox.threadsFor(actor(cast.clientA));
    assert.ok(rows.some((r) => r.kind === 'front_desk' && r.threadId === null && r.title === 'Front desk'));
    const threadId = await inbox.open(actor(cast.clientA), 'front_desk');
    assert.equal(
      await inbox.open(actor(cast.clientA), 'front_desk'),
      threadId,
      'one front-desk thread per client',
    );
    await messages.send(actor(cast.clientA), threadId, { body: 'Can I get a receipt for March?' });

    // The admin is offline: one email to the admin, with no content.
    const mail = (await t.haven.mail.outbox.list()).filter((m) => m.to === cast.admin.email);
    assert.equal(mail.length, 1);
    assert.ok(!mail[0]!.text.includes('receipt'));

    const adminRows = await inbox.threadsFor(actor(cast.admin));
    const row = adminRows.find((r) => r.threadId === threadId);
    assert.equal(row?.title, 'Alex Client (front desk)');
    assert.equal(row?.unread, 1);
    assert.equal(await t.haven.messaging.unreadCountFor(cast.admin.user.id), 1);
    const page = await messages.readThread(actor(cast.admin), threadId);
    assert.equal(page.side, 'front_desk');
    await messages.send(actor(cast.admin), threadId, { body: 'Sent to your email address.' });
    assert.equal(await t.haven.messaging.unreadCountFor(cast.clientA.user.id), 1);

    for (const outsider of [cast.therapist, cast.clientB, cast.peer]) {
      await assert.rejects(messages.readThread(actor(outsider), threadId), { code: 'messaging.not_found' });
    }
    // Admins see front-desk threads only: no care thread opens to them.
    const care = await inbox.open(actor(cast.clientA), cast.therapist.user.id);
    await assert.rejects(messages.readThread(actor(cast.admin), care), { code: 'messaging.not_found' });
    await assert.rejects(inbox.open(actor(cast.therapist), 'front_desk'), { code: 'messaging.not_allowed' });
  });
});
