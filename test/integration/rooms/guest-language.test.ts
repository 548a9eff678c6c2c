import assert from 'node:assert/strict';
import { createPerson, csrfFrom, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { deliverOutbox, SmtpSink } from '../../support/smtp-sink';
import { actor, individualType } from '../scheduling/scheduling-fixtures';

const MINUTE = 60_000;
const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? '';
const GUEST_EMAIL = 'ana@interpreters.test';

/** A browser without an account: keeps its cookies, follows no redirect. */
class GuestBrowser {
  readonly #base: string;
  readonly #cookies = new Map<string, string>();
  constructor(base: string, cookies: Record<string, string> = {}) {
    this.#base = base;
    for (const [k, v] of Object.entries(cookies)) this.#cookies.set(k, v);
  }
  async request(path: string, options: { form?: Record<string, string>; acceptLanguage?: string } = {}) {
    const res = await fetch(`${this.#base}${path}`, {
      method: options.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(options.acceptLanguage ? { 'accept-language': options.acceptLanguage } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
}

/**
 * The language an invited guest reads (issue 20, item 3): the therapist chooses it on the invite
 * form (the clinic's default proposed; not the interpreter's working language), it is stored
 * encrypted with the guest, the invitation email is written in it (subject, text, the branded HTML
 * part's lang; the outbox row's language) and travels over loopback SMTP; the guest's link page and
 * room page open in it, under the guest's own switcher choice and over their browser's language.
 */
describe('rooms: an invited guest reads their own language', function () {
  this.timeout(90_000);
  let sink: SmtpSink;
  let live: LiveHaven;
  let therapist: SignedInSession;
  let appointmentId: string;

  /** The therapist's invite form, posted as the page would. */
  const inviteForm = async (fields: Record<string, string>, status: number) => {
    const page = await therapist.agent.get(`/appointments/${appointmentId}/guests`).expect(200);
    return therapist.agent
      .post(`/appointments/${appointmentId}/guests`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        role: 'interpreter',
        displayName: 'Ana Ruiz',
        email: GUEST_EMAIL,
        language: 'árabe',
        scope: 'one',
        ...fields,
      })
      .expect(status);
  };

  before(async () => {
    sink = await SmtpSink.start();
    live = await startLiveHaven({ media: false, env: { SMTP_URL: sink.url, CLINIC_NAME: 'Harbour Clinic' } });
    const admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    const doctor = await createPerson(live.haven, {
      roles: ['therapist'],
      displayName: 'Dr Rivera',
      timeZone: 'Europe/Madrid',
    });
    const client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey Client' });
    await live.haven.clinical.care.assign(null, doctor.user.id, client.user.id);
    const type = await individualType(live.haven, admin.user);
    // Starts in five minutes: the room is open now (it opens 15 minutes before).
    appointmentId = (
      await live.haven.scheduling.booking.bookForClient(actor(doctor.user), {
        typeId: type.id,
        clientIds: [client.user.id],
        start: new Date(Date.now() + 5 * MINUTE).toISOString(),
      })
    ).id;
    therapist = await signIn(live.haven, doctor);
  });
  after(async () => {
    await live?.stop();
    await sink?.stop();
  });

  it('the invite form asks the language the guest reads, proposing the clinic’s default', async () => {
    const page = await therapist.agent.get(`/appointments/${appointmentId}/guests`).expect(200);
    const select = /<select id="f-readingLanguage" name="readingLanguage"[\s\S]*?<\/select>/.exec(
      page.text,
    )?.[0];
    assert.ok(select, 'the form has the choice');
    assert.deepEqual(
      [...select.matchAll(/<option value="(\w+)"/g)].map((m) => m[1]),
      ['en', 'es', 'fr', 'ar', 'pt'],
      'the languages the clinic offers',
    );
    assert.match(select, /<option value="en" lang="en" selected>English<\/option>/, 'the clinic default');
    assert.match(page.text, /<label for="f-readingLanguage">Language they read<\/label>/);
  });

  it('a language the clinic does not offer is refused with its reason; nothing is stored or sent', async () => {
    const refused = await inviteForm({ readingLanguage: 'de' }, 400);
    assert.match(refused.text, /id="f-readingLanguage-error" class="field-error">[^<]+</);
    assert.match(refused.text, /value="Ana Ruiz"/, 'what was typed is kept');
    const [rows] = (await live.haven.sequelize.query('SELECT id FROM room_guests')) as [unknown[], unknown];
    assert.equal(rows.length, 0);
    assert.equal((await live.haven.mail.outbox.list()).filter((m) => m.to === GUEST_EMAIL).length, 0);
  });

  it('the invitation is written in Spanish, stored encrypted, and arrives in Spanish over SMTP', async () => {
    await inviteForm({ readingLanguage: 'es' }, 303);
    await deliverOutbox(live.haven);
    const [mail] = sink.receivedBy(GUEST_EMAIL);
    assert.ok(mail, 'the guest got the invitation');
    assert.equal(mail.parsed.subject, 'Invitación a una sesión en línea – Harbour Clinic');
    const text = mail.parsed.text ?? '';
    assert.match(
      text,
      /^Dr Rivera le invita a participar en una sesión en línea de Harbour Clinic como intérprete\./,
    );
    assert.match(text, /\n {2}Su enlace \(funciona una vez, de \d{1,2}:\d{2} a /);
    assert.match(text, /No necesita una cuenta\./);
    assert.match(text, /por favor, no lo reenvíe\./);
    assert.doesNotMatch(
      text.replace(/https?:\S+/g, '').replace(/\([A-Za-z_/]+ \([^)]*\)\)/g, ''),
      /\b(invite|invites|session|link|account|please|forward|until)\b/i,
      'no English left',
    );
    assert.doesNotMatch(mail.raw, /Casey/, 'never the client’s name');
    assert.match(String(mail.parsed.html ?? ''), /<html lang="es" dir="ltr">/);

    const [outbox] = (await live.haven.sequelize.query(
      'SELECT language FROM outbox_messages WHERE to_address = ?',
      { replacements: [GUEST_EMAIL] },
    )) as [Array<{ language: string | null }>, unknown];
    assert.deepEqual(
      outbox.map((r) => r.language),
      ['es'],
    );
    const [guests] = (await live.haven.sequelize.query('SELECT reading_language_enc FROM room_guests')) as [
      Array<{ reading_language_enc: string | null }>,
      unknown,
    ];
    assert.equal(guests.length, 1);
    assert.match(guests[0]!.reading_language_enc ?? '', /^hv1\./, 'FieldCipher ciphertext, not "es"');
  });

  it('the invite form’s refusals read in the therapist’s language; the guest room refuses a visitor in theirs', async () => {
    const english = await inviteForm({ email: 'not an address', language: '' }, 400);
    assert.match(english.text, /Enter an email address the link can go to\./);
    assert.match(english.text, /Enter the language they interpret\./);

    const doctor = (await live.haven.accounts.byId(therapist.person.user.id))!;
    await live.haven.accounts.lifecycle.setLanguage(doctor, 'es');
    try {
      const spanish = await inviteForm({ email: 'not an address', language: '', displayName: '' }, 400);
      assert.match(htmlTag(spanish.text), /lang="es"/);
      assert.match(spanish.text, /Escriba un correo electrónico al que pueda llegar el enlace\./);
      assert.match(spanish.text, /Escriba el idioma que interpreta\./);
      assert.match(spanish.text, /Escriba el nombre que verán los demás\./);
      assert.doesNotMatch(
        spanish.text,
        /Enter an email|Enter the language|Enter the name/,
        'no English left',
      );
    } finally {
      await live.haven.accounts.lifecycle.setLanguage(doctor, 'en');
    }

    // No guest pass: the room page is for invited guests, said in the visitor's language.
    const visitor = new GuestBrowser(live.baseUrl);
    const french = await visitor.request('/guest/room', { acceptLanguage: 'fr-FR,fr;q=0.9' });
    assert.equal(french.status, 403);
    assert.match(
      french.text,
      /Cette page est réservée aux invités : ouvrez le lien de votre e-mail d’invitation\./,
    );
    const arabic = await visitor.request('/guest/room', { acceptLanguage: 'ar' });
    assert.match(arabic.text, /هذه الصفحة للضيوف المدعوين: افتح الرابط في رسالة الدعوة\./);
  });

  it('the guest’s link and room pages open in Spanish, over the browser’s language, under the switcher', async () => {
    const [mail] = sink.receivedBy(GUEST_EMAIL);
    const token = /\/guest\/([A-Za-z0-9_-]{22,86})/.exec(mail?.parsed.text ?? '')?.[1];
    assert.ok(token, 'the link is in the email');

    const chose = new GuestBrowser(live.baseUrl, { 'haven.lang': 'fr' });
    const french = await chose.request(`/guest/${token}`);
    assert.match(htmlTag(french.text), /lang="fr"/, 'the guest’s own switcher choice wins');

    const browser = new GuestBrowser(live.baseUrl);
    const link = await browser.request(`/guest/${token}`, { acceptLanguage: 'en-GB,en;q=0.9' });
    assert.equal(link.status, 200);
    assert.match(htmlTag(link.text), /lang="es" dir="ltr"/, 'the invited language, not the browser’s');
    assert.match(link.text, /<h1 id="guest-heading">Unirse a una sesión en Harbour Clinic<\/h1>/);
    assert.match(link.text, />Entrar ahora<\/button>/);

    const used = await browser.request(`/guest/${token}`, {
      form: { _csrf: csrfFrom(link.text) },
      acceptLanguage: 'en-GB,en;q=0.9',
    });
    assert.equal(used.status, 303);
    assert.equal(used.location, '/guest/room');
    const room = await browser.request('/guest/room', { acceptLanguage: 'en-GB,en;q=0.9' });
    assert.equal(room.status, 200);
    assert.match(htmlTag(room.text), /lang="es" dir="ltr"/);
    assert.match(room.text, /<span class="room-title">Sesión con Dr Rivera<\/span>/);

    const again = await browser.request(`/guest/${token}`, { acceptLanguage: 'en-GB,en;q=0.9' });
    assert.equal(again.status, 409);
    assert.match(htmlTag(again.text), /lang="es"/, 'a used link says so in the guest’s language');
  });
});
