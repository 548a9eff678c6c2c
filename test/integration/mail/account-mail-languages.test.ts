import assert from 'node:assert/strict';
import request from 'supertest';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom } from '../../support/accounts';
import { SmtpSink, type ReceivedMail } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor as clinicalActor, cast as clinicalCast } from '../clinical/clinical-fixtures';
import { actor as messagingActor, createCast } from '../messaging/messaging-support';

const htmlOf = (mail: ReceivedMail): string => String(mail.parsed.html || '');
const htmlTag = (mail: ReceivedMail): string => /<html[^>]*>/.exec(htmlOf(mail))?.[0] ?? '';

/**
 * Issue 20: account, messaging and crisis emails in the recipient's language — a visitor's sign-up
 * email in the language they read the sign-up page in, a known person's in their profile's — with
 * the branded HTML part's lang and dir, through the real sender to a loopback SMTP server. Still no
 * health information in any of them.
 */
describe('account, messaging and crisis emails in the recipient language (loopback SMTP)', function () {
  this.timeout(60_000);
  let sink: SmtpSink;
  let t: TestHaven;
  const clock = new FakeClock('2026-03-02T10:00:00Z');

  before(async () => {
    sink = await SmtpSink.start();
    t = await startTestHaven({
      clock,
      env: {
        SMTP_URL: sink.url,
        CLINIC_NAME: 'Harbour Clinic',
        AUTH_ATTEMPTS_PER_IP: '10000',
      },
    });
    // Past the first run, so sign-up pages are served.
    await createPerson(t.haven, { roles: ['admin'] });
  });
  after(async () => {
    await t?.stop();
    await sink?.stop();
  });

  const deliver = async (): Promise<void> => {
    await t.haven.accounts.lifecycle.settled();
    while ((await t.haven.mail.sender!.drainOnce()) > 0);
  };
  const mailTo = (address: string): ReceivedMail[] =>
    sink.received.filter((m) => m.envelopeTo.includes(address));

  /** A visitor signs up over HTTP reading the page in `acceptLanguage`; returns their one email. */
  async function signUpReading(acceptLanguage: string, email: string): Promise<ReceivedMail> {
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-up').set('Accept-Language', acceptLanguage).expect(200);
    await agent
      .post('/sign-up')
      .set('Accept-Language', acceptLanguage)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'Visitor',
        email,
        password: 'a long enough passphrase',
        language: 'en', // a posted language is not how it is chosen: the page's is
      })
      .expect(200);
    await deliver();
    const mails = mailTo(email);
    assert.equal(mails.length, 1, `one email to ${email}`);
    return mails[0]!;
  }

  it('a Spanish visitor who signs up gets the verification email in Spanish', async () => {
    const mail = await signUpReading('es-MX,es;q=0.9,en;q=0.5', 'lucia@example.org');
    assert.equal(mail.parsed.subject, 'Confirme su correo electrónico para Harbour Clinic');
    const text = mail.parsed.text ?? '';
    assert.match(text, /^Hola:/);
    assert.match(text, /Alguien \(esperamos que usted\) creó una cuenta en Harbour Clinic/);
    assert.ok(text.includes(`${t.config.http.publicUrl}/verify-email/`));
    assert.doesNotMatch(text, /Hello|Someone|confirm it/);
    assert.match(htmlTag(mail), /lang="es" dir="ltr"/);
    assert.match(htmlOf(mail), /creó una cuenta/);
  });

  it('an Arabic visitor gets it in Arabic, right to left', async () => {
    const mail = await signUpReading('ar-SY,ar;q=0.9', 'rania@example.org');
    assert.equal(mail.parsed.subject, 'أكّد عنوان بريدك الإلكتروني لدى Harbour Clinic');
    assert.match(mail.parsed.text ?? '', /^مرحبًا،/);
    assert.match(htmlTag(mail), /lang="ar" dir="rtl"/);
    assert.match(htmlOf(mail), /<body dir="rtl"/);
  });

  it('an English visitor keeps the English email', async () => {
    const mail = await signUpReading('en-US,en;q=0.9', 'robin@example.org');
    assert.equal(mail.parsed.subject, 'Confirm your email address for Harbour Clinic');
    assert.match(mail.parsed.text ?? '', /Someone \(hopefully you\) created an account at Harbour Clinic/);
    assert.match(htmlTag(mail), /lang="en" dir="ltr"/);
  });

  it("a known person's reset link and the security notice after it follow their profile language", async () => {
    const person = await createPerson(t.haven, { roles: ['client'], language: 'fr' });
    await t.haven.accounts.lifecycle.requestPasswordReset(person.email, null);
    await deliver();
    const [reset] = mailTo(person.email);
    assert.equal(reset?.parsed.subject, 'Réinitialisez votre mot de passe Harbour Clinic');
    const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(reset.parsed.text ?? '')![1]!;
    await t.haven.accounts.lifecycle.resetPassword(token, 'a brand new long phrase', null);
    await deliver();
    const notice = mailTo(person.email).find((m) => m !== reset);
    assert.equal(notice?.parsed.subject, 'Avis de sécurité de Harbour Clinic');
    assert.match(
      notice.parsed.text ?? '',
      /Le mot de passe de votre compte a été réinitialisé par un lien envoyé par e-mail\./,
    );
    assert.match(htmlTag(notice), /lang="fr"/);
  });

  it('an invitation is written in the language it is sent in, naming the role in it', async () => {
    const admin = await createPerson(t.haven, { roles: ['admin'], displayName: 'Ada Admin' });
    const inviter = { ...admin.user, displayName: 'Ada Admin' };
    await t.haven.accounts.invitations.invite(inviter, 'joao@example.org', 'therapist', null, 'pt');
    await deliver();
    const [mail] = mailTo('joao@example.org');
    assert.equal(mail?.parsed.subject, 'Você foi convidado(a) para Harbour Clinic');
    assert.match(
      mail.parsed.text ?? '',
      /Ada Admin convidou você para entrar em Harbour Clinic como terapeuta\./,
    );
    assert.match(htmlTag(mail), /lang="pt"/);
  });

  it("a new-message notice is in the recipient's language and still says nothing of the message", async () => {
    const people = await createCast(t.haven);
    await t.haven.sequelize.query('UPDATE users SET language = ? WHERE id = ?', {
      replacements: ['es', people.therapist.user.id],
    });
    clock.advance(60 * 60_000);
    const threadId = await t.haven.messaging.inbox.open(
      messagingActor(people.clientA),
      people.therapist.user.id,
    );
    await t.haven.messaging.messages.send(messagingActor(people.clientA), threadId, {
      body: 'I could not sleep after the funeral',
    });
    await deliver();
    const [mail] = mailTo(people.therapist.email);
    assert.equal(mail?.parsed.subject, 'Tiene un mensaje nuevo');
    assert.ok(
      (mail.parsed.text ?? '').includes(`Inicie sesión para leerlo: ${t.config.http.publicUrl}/messages`),
    );
    const all = `${mail.parsed.text ?? ''}${htmlOf(mail)}`;
    for (const leak of ['sleep', 'funeral', threadId]) assert.ok(!all.includes(leak), `mentions ${leak}`);
  });

  it('a crisis alert reaches an Arabic-reading therapist in Arabic, right to left, without who or why', async () => {
    const c = await clinicalCast(t.haven);
    await t.haven.sequelize.query('UPDATE users SET language = ? WHERE id = ?', {
      replacements: ['ar', c.therapist.id],
    });
    await t.haven.clinical.measures.submit(clinicalActor(c.clientA), c.clientA.id, {
      measure: 'phq9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
    });
    await deliver();
    const [mail] = mailTo(c.therapist.email);
    assert.equal(mail?.parsed.subject, 'Harbour Clinic: أحد العملاء يحتاج إلى اهتمامك');
    assert.match(mail.parsed.text ?? '', /حفاظًا على الخصوصية، لا تذكر هذه الرسالة مَن ولا لماذا\./);
    assert.match(htmlTag(mail), /lang="ar" dir="rtl"/);
    const all = `${mail.parsed.subject ?? ''}${mail.parsed.text ?? ''}${htmlOf(mail)}`;
    for (const leak of ['Alice', c.clientA.email, 'PHQ', 'score'])
      assert.ok(!all.includes(leak), `mentions ${leak}`);
  });
});
