import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPerson, csrfFrom, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { EXE_BYTES, PDF_BYTES } from './messaging-support';

/** Messaging through the real pages: sign-in, CSRF, multipart upload, downloads and refusals. */
describe('messaging pages', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let client: SignedInSession;
  let therapist: SignedInSession;
  let outsider: SignedInSession;
  let peer: SignedInSession;
  let threadId: string;

  before(async () => {
    t = await startTestHaven({ env: { MESSAGE_ATTACHMENT_MAX_KB: '8' } });
    await ensureAdmin(t.haven);
    const [c, th, o, p] = await Promise.all([
      createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' }),
      createPerson(t.haven, { roles: ['therapist'], displayName: 'Dr Tamsin' }),
      createPerson(t.haven, { roles: ['client'], displayName: 'Other Client' }),
      createPerson(t.haven, { roles: ['peer_supporter'] }),
    ]);
    await t.haven.clinical.care.assign(null, th.user.id, c.user.id);
    client = await signIn(t.haven, c);
    therapist = await signIn(t.haven, th);
    outsider = await signIn(t.haven, o);
    peer = await signIn(t.haven, p);
  });
  after(async () => t?.stop());

  /** The thread page's composer action (it carries the CSRF token for the multipart body). */
  async function composerAction(session: SignedInSession, id: string): Promise<string> {
    const page = await session.agent.get(`/messages/${id}`).expect(200);
    const match = /action="(\/messages\/[^"]+\?_csrf=[^"]+)" enctype="multipart\/form-data"/.exec(page.text);
    assert.ok(match?.[1], 'the composer form is on the page');
    return match[1].replace(/&amp;/g, '&');
  }

  it('lists the therapist in the inbox and opens a thread with them', async () => {
    const inbox = await client.agent.get('/messages').expect(200);
    assert.match(inbox.text, /Write to Dr Tamsin/);
    assert.match(inbox.headers['cache-control'] ?? '', /no-store/);
    const opened = await client.agent
      .post('/messages/open')
      .type('form')
      .send({ _csrf: csrfFrom(inbox.text), with: therapist.person.user.id })
      .expect(303);
    threadId = /\/messages\/([0-9a-f-]{36})$/.exec(opened.headers.location ?? '')![1]!;
    const page = await client.agent.get(`/messages/${threadId}`).expect(200);
    assert.match(page.text, /in an emergency/i, 'the expectations are shown above the composer');
  });

  it('sends a message with a PDF; the therapist reads it and downloads the file safely', async () => {
    const action = await composerAction(client, threadId);
    const sent = await client.agent
      .post(action)
      .field('body', 'Here is <b>my</b> sleep diary')
      .attach('attachment', PDF_BYTES, { filename: 'diary.pdf', contentType: 'application/pdf' })
      .expect(303);
    assert.match(sent.headers.location ?? '', new RegExp(`^/messages/${threadId}#m-`));

    const inbox = await therapist.agent.get('/messages').expect(200);
    assert.match(inbox.text, /1 unread/);
    const home = await therapist.agent.get('/').expect(200);
    assert.match(
      home.text,
      /href="\/messages"[^>]*>Messages <strong class="unread-badge">1<span class="visually-hidden"> unread/,
      'header count',
    );
    assert.match(
      home.text,
      /<summary>Menu <span class="unread-badge">1<span class="visually-hidden"> unread message</,
      'the phone menu button shows the count while its links are folded away',
    );
    const page = await therapist.agent.get(`/messages/${threadId}`).expect(200);
    assert.match(page.text, /Here is &lt;b&gt;my&lt;\/b&gt; sleep diary/, 'bodies are escaped');
    const link = /href="(\/messages\/attachments\/[0-9a-f-]{36})"/.exec(page.text)?.[1];
    assert.ok(link);
    const file = await therapist.agent.get(link).buffer(true).expect(200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(file.headers['content-disposition'] ?? '', /^attachment; filename="?diary\.pdf"?$/);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(Buffer.from(file.body as Buffer), PDF_BYTES);

    // The client now sees the receipt.
    const own = await client.agent.get(`/messages/${threadId}`).expect(200);
    assert.match((await therapist.agent.get('/').expect(200)).text, /href="\/messages"[^>]*>Messages<\/a>/);
    assert.match(own.text, /class="read-receipt">Read</);

    // Outsiders: the same 404 as for nothing at all; peer supporters are refused by role.
    await outsider.agent.get(`/messages/${threadId}`).expect(404);
    await outsider.agent.get(link).expect(404);
    await peer.agent.get(`/messages/${threadId}`).expect(403);
    await peer.agent.get(link).expect(403);
    await peer.agent.get('/messages').expect(403);
  });

  it('refuses an executable named .pdf and keeps the draft; a multipart post without the token is 403', async () => {
    const before = readdirSync(join(t.dataDir, 'attachments')).length;
    const action = await composerAction(client, threadId);
    const refused = await client.agent
      .post(action)
      .field('body', 'please keep this draft')
      .attach('attachment', EXE_BYTES, { filename: 'scan.pdf', contentType: 'application/pdf' })
      .expect(400);
    assert.match(refused.text, /Only PDF files, images/);
    assert.match(refused.text, /please keep this draft/);
    const tooBig = await client.agent
      .post(action)
      .field('body', 'big')
      .attach('attachment', Buffer.alloc(9 * 1024, 0x61), { filename: 'big.txt', contentType: 'text/plain' })
      .expect(400);
    assert.match(tooBig.text, /up to 8 KB/);
    await client.agent
      .post(`/messages/${threadId}`)
      .field('body', 'no token')
      .attach('attachment', PDF_BYTES, 'a.pdf')
      .expect(403);
    assert.equal(readdirSync(join(t.dataDir, 'attachments')).length, before);
  });

  it('retracts a message from the page; the therapist sees "Message retracted"', async () => {
    const action = await composerAction(client, threadId);
    await client.agent.post(action).field('body', 'oops, wrong person').expect(303);
    const page = await client.agent.get(`/messages/${threadId}`).expect(200);
    // The newest message's retract form is the last one on the page.
    const form = [...page.text.matchAll(/action="\/messages\/retract\/([0-9a-f-]{36})"/g)].at(-1);
    assert.ok(form?.[1]);
    await client.agent
      .post(`/messages/retract/${form[1]}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const seen = await therapist.agent.get(`/messages/${threadId}`).expect(200);
    assert.match(seen.text, /Message retracted/);
    assert.ok(!seen.text.includes('oops, wrong person'));
  });

  it('lets the therapist set an away notice that the client sees; search finds own messages only', async () => {
    const inbox = await therapist.agent.get('/messages').expect(200);
    await therapist.agent
      .post('/messages/away-notice')
      .type('form')
      .send({ _csrf: csrfFrom(inbox.text), awayNotice: 'At a conference until Friday.' })
      .expect(303);
    const page = await client.agent.get(`/messages/${threadId}`).expect(200);
    assert.match(page.text, /At a conference until Friday\./);

    const found = await client.agent.get('/messages/search?q=sleep%20diary').expect(200);
    assert.match(found.text, /sleep diary/);
    const none = await outsider.agent.get('/messages/search?q=sleep%20diary').expect(200);
    assert.match(none.text, /No messages match/);
  });

  it("a French client's refusals read in French: the kind of file, the size limit in French units, a short search", async () => {
    const person = await createPerson(t.haven, { roles: ['client'], language: 'fr' });
    await t.haven.clinical.care.assign(null, therapist.person.user.id, person.user.id);
    const french = await signIn(t.haven, person);
    const inbox = await french.agent.get('/messages').expect(200);
    const opened = await french.agent
      .post('/messages/open')
      .type('form')
      .send({ _csrf: csrfFrom(inbox.text), with: therapist.person.user.id })
      .expect(303);
    const id = /\/messages\/([0-9a-f-]{36})$/.exec(opened.headers.location ?? '')![1]!;
    // The clinic wrote no expectations of its own: Haven's sentence above the composer is in French too.
    const thread = await french.agent.get(`/messages/${id}`).expect(200);
    assert.match(thread.text, /Votre thérapeute répond en général sous 2 jours ouvrés\./);
    assert.doesNotMatch(thread.text, /usually replies/);
    const action = await composerAction(french, id);
    const wrongKind = await french.agent
      .post(action)
      .field('body', 'gardez ce brouillon')
      .attach('attachment', EXE_BYTES, { filename: 'scan.pdf', contentType: 'application/pdf' })
      .expect(400);
    assert.match(
      wrongKind.text,
      /Seuls les fichiers PDF, les images \(PNG, JPEG, GIF, WebP\) et le texte brut/,
    );
    assert.match(wrongKind.text, /gardez ce brouillon/, 'the draft is kept');
    const tooBig = await french.agent
      .post(action)
      .attach('attachment', Buffer.alloc(9 * 1024, 0x61), { filename: 'gros.txt', contentType: 'text/plain' })
      .expect(400);
    assert.match(tooBig.text, /Les fichiers peuvent faire jusqu’à 8\sko\./);
    const empty = await french.agent.post(action).field('body', '   ').expect(400);
    assert.match(empty.text, /Écrivez un message ou joignez un fichier\./);
    const short = await french.agent.get('/messages/search?q=a').expect(200);
    assert.match(short.text, /Saisissez au moins 2 caractères pour rechercher\./);
    for (const page of [wrongKind.text, tooBig.text, empty.text, short.text]) {
      assert.doesNotMatch(page, /Only PDF|Files can be up to|Write a message or|Search for at least/);
    }
  });
});
