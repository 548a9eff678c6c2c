import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Haven } from '../../../server/app';
import { createSmtpTransport } from '../../../server/mail';
import type { MessagingEvents } from '../../../server/messaging';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson } from '../../support/accounts';
import { SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, createCast, EXE_BYTES, PDF_BYTES, PNG_BYTES, type Cast } from './messaging-support';
import { auditEvents } from '../../support/audit-trail';

/**
 * Secure messaging through the real composition root (SQLite, the audit chain, the outbox and a
 * loopback SMTP server). One Haven for the file keeps it fast; each test opens its own threads.
 */
describe('messaging service: delivery, attachments, membership, retraction, audit', () => {
  let sink: SmtpSink;
  let t: TestHaven;
  let haven: Haven;
  let cast: Cast;
  const clock = new FakeClock('2026-03-02T10:00:00Z');

  before(async () => {
    sink = await SmtpSink.start();
    t = await startTestHaven({
      clock,
      env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://care.example.org', MESSAGE_ATTACHMENT_MAX_KB: '4' },
      mailTransport: createSmtpTransport(sink.url),
    });
    haven = t.haven;
    cast = await createCast(haven);
  });
  after(async () => {
    await t?.stop();
    await sink?.stop();
  });

  const careThread = async (): Promise<string> =>
    haven.messaging.inbox.open(actor(cast.clientA), cast.therapist.user.id);

  /** Moves to a fresh 15-minute notice window so earlier tests' emails do not interfere. */
  const freshWindow = (): void => clock.advance(60 * 60_000);

  it('delivers live to an online recipient and sends no email', async () => {
    freshWindow();
    const threadId = await careThread();
    const events: MessagingEvents['message:new'][0][] = [];
    const listener = (e: MessagingEvents['message:new'][0]): void => void events.push(e);
    haven.messaging.messages.on('message:new', listener);
    haven.messaging.presence.connected(cast.therapist.user.id);
    try {
      const before = (await haven.mail.outbox.list()).length;
      await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: 'Live hello' });
      assert.equal(events.length, 1);
      assert.deepEqual([...events[0]!.to].sort(), [cast.clientA.user.id, cast.therapist.user.id].sort());
      assert.equal(events[0]!.message.body, 'Live hello');
      assert.equal((await haven.mail.outbox.list()).length, before, 'no email for someone online');
    } finally {
      haven.messaging.presence.disconnected(cast.therapist.user.id);
      haven.messaging.messages.off('message:new', listener);
    }
  });

  it('emails an offline recipient once per burst, with no content, names or thread id', async () => {
    freshWindow();
    const threadId = await careThread();
    sink.received.length = 0;
    const secret = 'I had a panic attack about my divorce';
    for (let i = 0; i < 5; i += 1) {
      await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: `${secret} (${i})` });
      clock.advance(30_000);
    }
    await haven.mail.sender!.drainOnce();
    assert.equal(sink.received.length, 1, 'a burst is one email');
    const mail = sink.received[0]!;
    assert.deepEqual(mail.envelopeTo, [cast.therapist.email]);
    assert.equal(mail.parsed.subject, 'You have a new message');
    const text = `${mail.parsed.text ?? ''}${mail.parsed.html || ''}${mail.raw}`;
    assert.match(mail.parsed.text ?? '', /https:\/\/care\.example\.org\/messages/);
    for (const leak of ['panic', 'divorce', 'Alex', 'Client', threadId, 'Theo']) {
      assert.ok(!text.includes(leak), `email must not contain ${leak}`);
    }

    // After the 15-minute window, a new message is a new email.
    clock.advance(16 * 60_000);
    await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: 'later' });
    await haven.mail.sender!.drainOnce();
    assert.equal(sink.received.length, 2);
  });

  it('stores bodies encrypted and never edits them in place', async () => {
    const threadId = await careThread();
    const sent = await haven.messaging.messages.send(actor(cast.clientA), threadId, {
      body: 'ciphertext please',
    });
    const [rows] = await haven.sequelize.query('SELECT body_enc FROM messages WHERE id = :id', {
      replacements: { id: sent.id },
    });
    const stored = (rows as { body_enc: string }[])[0]!.body_enc;
    assert.ok(stored.startsWith('hv1.'));
    assert.ok(!stored.includes('ciphertext please'));
    assert.equal(typeof (haven.messaging.messages as unknown as Record<string, unknown>).edit, 'undefined');
  });

  it('accepts real PDFs and images, stores them encrypted, and lets both members download', async () => {
    const threadId = await careThread();
    const sent = await haven.messaging.messages.send(actor(cast.clientA), threadId, {
      body: '',
      attachment: { bytes: PDF_BYTES, originalName: '../../etc/My Report.PDF' },
    });
    const [attachment] = sent.attachments;
    assert.ok(attachment);
    assert.equal(attachment.contentType, 'application/pdf');
    assert.equal(attachment.name, 'My Report.pdf');
    const onDisk = join(t.dataDir, 'attachments', attachment.id);
    assert.ok(existsSync(onDisk));
    assert.ok(!readFileSync(onDisk).includes(Buffer.from('%PDF')), 'the file on disk is encrypted');
    assert.deepEqual(
      readdirSync(join(t.dataDir, 'attachments')).filter((f) => f.includes('Report')),
      [],
    );
    for (const who of [cast.clientA, cast.therapist]) {
      const file = await haven.messaging.messages.download(actor(who), attachment.id);
      assert.deepEqual(file.bytes, PDF_BYTES);
    }
    const image = await haven.messaging.messages.send(actor(cast.therapist), threadId, {
      body: 'worksheet',
      attachment: { bytes: PNG_BYTES, originalName: 'sheet.pdf' },
    });
    assert.equal(image.attachments[0]!.contentType, 'image/png');
    assert.equal(image.attachments[0]!.name, 'sheet.png', 'the extension follows the content');
  });

  it('refuses files whose content is not an allowed type, whatever their name says', async () => {
    const threadId = await careThread();
    const refused = async (bytes: Buffer, originalName: string, code: string): Promise<void> => {
      await assert.rejects(
        haven.messaging.messages.send(actor(cast.clientA), threadId, {
          body: 'x',
          attachment: { bytes, originalName },
        }),
        (e: { code?: string }) => e.code === code,
        originalName,
      );
    };
    const filesBefore = readdirSync(join(t.dataDir, 'attachments')).length;
    await refused(EXE_BYTES, 'invoice.pdf', 'messaging.attachment_type');
    await refused(
      Buffer.from('<!DOCTYPE html><script>alert(1)</script>'),
      'notes.txt',
      'messaging.attachment_type',
    );
    await refused(Buffer.from('  <svg onload="alert(1)"/>'), 'picture.txt', 'messaging.attachment_type');
    await refused(Buffer.from('text with a \u0000 NUL'), 'notes.txt', 'messaging.attachment_type');
    await refused(Buffer.from([0x68, 0x69, 0xc3, 0x28]), 'latin1.txt', 'messaging.attachment_type');
    await refused(Buffer.alloc(5 * 1024, 0x61), 'big.txt', 'messaging.attachment_too_large');
    assert.equal(
      readdirSync(join(t.dataDir, 'attachments')).length,
      filesBefore,
      'nothing refused was stored',
    );
    // Text that merely mentions a tag is still text.
    const ok = await haven.messaging.messages.send(actor(cast.clientA), threadId, {
      body: '',
      attachment: { bytes: Buffer.from('my list:\n<a few things> to do\n'), originalName: 'list' },
    });
    assert.equal(ok.attachments[0]!.contentType, 'text/plain; charset=utf-8');
  });

  it('lets no one outside the thread read it or download from it, and audits the attempts', async () => {
    const threadId = await careThread();
    const sent = await haven.messaging.messages.send(actor(cast.clientA), threadId, {
      body: 'only for my therapist',
      attachment: { bytes: PNG_BYTES, originalName: 'a.png' },
    });
    const attachmentId = sent.attachments[0]!.id;
    const deniedBefore = (await auditEvents(haven, { action: 'messaging.access_denied' })).length;
    for (const outsider of [cast.clientB, cast.otherTherapist, cast.peer, cast.admin]) {
      await assert.rejects(haven.messaging.messages.readThread(actor(outsider), threadId), {
        code: 'messaging.not_found',
      });
      await assert.rejects(haven.messaging.messages.download(actor(outsider), attachmentId), {
        code: 'messaging.not_found',
      });
      await assert.rejects(haven.messaging.messages.send(actor(outsider), threadId, { body: 'hi' }), {
        code: 'messaging.not_found',
      });
      await assert.rejects(haven.messaging.inbox.open(actor(outsider), cast.clientA.user.id), {
        code: 'messaging.not_allowed',
      });
      const hits = await haven.messaging.inbox.search(actor(outsider), 'only for my').catch(() => []);
      assert.deepEqual(hits, []);
      assert.equal(await haven.messaging.unreadCountFor(outsider.user.id), 0);
    }
    // A client cannot open a thread with a therapist who does not treat them.
    await assert.rejects(haven.messaging.inbox.open(actor(cast.clientB), cast.therapist.user.id), {
      code: 'messaging.not_allowed',
    });
    const denied = await auditEvents(haven, { action: 'messaging.access_denied' });
    assert.ok(denied.length >= deniedBefore + 4 * 3 + 1);
  });

  it('tracks unread counts and read receipts', async () => {
    const threadId = await careThread();
    await haven.messaging.messages.readThread(actor(cast.therapist), threadId);
    await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    assert.equal(await haven.messaging.unreadCountFor(cast.therapist.user.id), 0);
    const first = await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: 'one' });
    await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: 'two' });
    assert.equal(await haven.messaging.unreadCountFor(cast.therapist.user.id), 2);
    assert.equal(
      await haven.messaging.unreadCountFor(cast.clientA.user.id),
      0,
      'own messages are not unread',
    );
    let page = await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    assert.equal(page.messages.find((m) => m.id === first.id)!.readByOther, false);

    const reads: MessagingEvents['message:read'][0][] = [];
    const listener = (e: MessagingEvents['message:read'][0]): void => void reads.push(e);
    haven.messaging.messages.on('message:read', listener);
    await haven.messaging.messages.readThread(actor(cast.therapist), threadId);
    haven.messaging.messages.off('message:read', listener);
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.readerId, cast.therapist.user.id);
    assert.equal(await haven.messaging.unreadCountFor(cast.therapist.user.id), 0);
    page = await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    assert.equal(page.messages.find((m) => m.id === first.id)!.readByOther, true);
  });

  it('lets the sender retract within five minutes only; the body and files are gone', async () => {
    const threadId = await careThread();
    const events: string[] = [];
    const listener = (e: MessagingEvents['message:retracted'][0]): void => void events.push(e.messageId);
    haven.messaging.messages.on('message:retracted', listener);
    const sent = await haven.messaging.messages.send(actor(cast.clientA), threadId, {
      body: 'I should not have said this',
      attachment: { bytes: PDF_BYTES, originalName: 'x.pdf' },
    });
    const file = join(t.dataDir, 'attachments', sent.attachments[0]!.id);
    await assert.rejects(haven.messaging.messages.retract(actor(cast.therapist), sent.id), {
      code: 'messaging.retract_refused',
    });
    clock.advance(4 * 60_000 + 59_000);
    await haven.messaging.messages.retract(actor(cast.clientA), sent.id);
    assert.deepEqual(events, [sent.id]);
    assert.ok(!existsSync(file), 'the attachment file is deleted');
    const page = await haven.messaging.messages.readThread(actor(cast.therapist), threadId);
    const shown = page.messages.find((m) => m.id === sent.id)!;
    assert.equal(shown.retracted, true);
    assert.equal(shown.body, null);
    assert.deepEqual(shown.attachments, []);
    const [rows] = await haven.sequelize.query('SELECT body_enc FROM messages WHERE id = :id', {
      replacements: { id: sent.id },
    });
    assert.equal((rows as { body_enc: string | null }[])[0]!.body_enc, null);
    await assert.rejects(haven.messaging.messages.download(actor(cast.therapist), sent.attachments[0]!.id), {
      code: 'messaging.not_found',
    });

    const late = await haven.messaging.messages.send(actor(cast.clientA), threadId, { body: 'too late' });
    clock.advance(5 * 60_000 + 1000);
    await assert.rejects(haven.messaging.messages.retract(actor(cast.clientA), late.id), {
      code: 'messaging.retract_refused',
    });
    haven.messaging.messages.off('message:retracted', listener);
  });

  it('audits every read and write with the client as subject', async () => {
    const threadId = await careThread();
    const sent = await haven.messaging.messages.send(actor(cast.therapist), threadId, {
      body: 'audited',
      attachment: { bytes: PNG_BYTES, originalName: 'p.png' },
    });
    await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    await haven.messaging.messages.download(actor(cast.clientA), sent.attachments[0]!.id);
    await haven.messaging.inbox.search(actor(cast.clientA), 'audited');
    const subject = cast.clientA.user.id;
    const sentRow = (await auditEvents(haven, { action: 'message.sent' })).find(
      (r) => r.targetId === sent.id,
    );
    assert.equal(sentRow?.actorId, cast.therapist.user.id);
    assert.equal(sentRow?.subjectId, subject);
    const readRow = (await auditEvents(haven, { action: 'message.thread.read' })).at(-1);
    assert.equal(readRow?.actorId, subject);
    assert.equal(readRow?.targetId, threadId);
    const download = (await auditEvents(haven, { action: 'message.attachment.downloaded' })).at(-1);
    assert.equal(download?.targetId, sent.attachments[0]!.id);
    assert.equal(download?.subjectId, subject);
    const searched = (await auditEvents(haven, { action: 'message.searched' })).at(-1);
    assert.equal(searched?.targetId, threadId);
    assert.equal(searched?.subjectId, subject);
    assert.ok(!JSON.stringify(searched).includes('audited'), 'the query is not recorded');
    assert.ok((await auditEvents(haven, { action: 'message.retracted' })).length > 0);
    const all = JSON.stringify(await auditEvents(haven));
    assert.ok(!all.includes('audited"') && !all.includes('panic'), 'no content in the audit trail');
    assert.equal((await haven.audit.verify()).ok, true);
  });

  it('searches only the searcher’s own threads', async () => {
    const threadA = await careThread();
    await haven.messaging.messages.send(actor(cast.clientA), threadA, { body: 'Blue elephant diary' });
    const threadB = await haven.messaging.inbox.open(actor(cast.clientB), cast.otherTherapist.user.id);
    await haven.messaging.messages.send(actor(cast.clientB), threadB, { body: 'Blue elephant too' });
    const hitsA = await haven.messaging.inbox.search(actor(cast.clientA), 'blue ELEPHANT');
    assert.deepEqual(
      hitsA.map((h) => h.threadId),
      [threadA],
    );
    assert.match(hitsA[0]!.snippet, /Blue elephant diary/);
    const hitsTherapist = await haven.messaging.inbox.search(actor(cast.otherTherapist), 'elephant');
    assert.deepEqual(
      hitsTherapist.map((h) => h.threadId),
      [threadB],
    );
  });

  it('shows the expectations and the therapist’s away notice; closes the thread when care ends', async () => {
    const threadId = await careThread();
    await haven.messaging.messages.setAwayNotice(actor(cast.therapist), 'Away until Monday 9 March.');
    let page = await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    assert.equal(page.awayNotice, 'Away until Monday 9 March.');
    // No clinic text: null, and the page writes Haven's own sentence in the reader's language.
    assert.equal(page.expectations, null);
    await assert.rejects(haven.messaging.messages.setAwayNotice(actor(cast.clientA), 'nope'), {
      code: 'messaging.forbidden',
    });
    await haven.messaging.messages.setAwayNotice(actor(cast.therapist), '');
    page = await haven.messaging.messages.readThread(actor(cast.clientA), threadId);
    assert.equal(page.awayNotice, null);

    // A separate pair, so ending care does not disturb the other tests.
    const client = await createPerson(haven, { roles: ['client'], twoFactor: false });
    await haven.clinical.care.assign(null, cast.therapist.user.id, client.user.id);
    const thread = await haven.messaging.inbox.open(actor(cast.therapist), client.user.id);
    await haven.messaging.messages.send(actor(cast.therapist), thread, { body: 'before the end' });
    await haven.clinical.care.end(actor(cast.admin), cast.therapist.user.id, client.user.id);
    await assert.rejects(haven.messaging.messages.readThread(actor(cast.therapist), thread), {
      code: 'messaging.not_found',
    });
    const clientView = await haven.messaging.messages.readThread(actor(client), thread);
    assert.equal(clientView.canWrite, false);
    assert.equal(clientView.messages.length, 1);
    await assert.rejects(haven.messaging.messages.send(actor(client), thread, { body: 'hello?' }), {
      code: 'messaging.closed',
    });
  });

  it('has no front desk unless the clinic turns it on', async () => {
    await assert.rejects(haven.messaging.inbox.open(actor(cast.clientA), 'front_desk'), {
      code: 'messaging.not_allowed',
    });
    const rows = await haven.messaging.inbox.threadsFor(actor(cast.clientA));
    assert.ok(!rows.some((r) => r.kind === 'front_desk'));
  });
});
