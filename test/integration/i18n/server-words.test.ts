import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, csrfFrom, signIn } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';
import { makeBookable } from '../../support/practice';
import { weekdayHours } from '../scheduling/scheduling-fixtures';

/**
 * What the server says in the reader's language: a form's problems (services name them as resource
 * keys, the page writes them), the error page and a JSON error's message. English readers keep the
 * English words.
 */
describe('server words in the reader language', function () {
  this.timeout(60_000);
  let clinic: TestClinic;

  before(async () => {
    clinic = await startClinic({ env: { AUTH_ATTEMPTS_PER_IP: '10000' } });
  });
  after(() => clinic?.stop());

  /** A sign-up with a short password and no name, read in `acceptLanguage`. */
  async function badSignUp(acceptLanguage: string): Promise<string> {
    const agent = request.agent(clinic.haven.http);
    const page = await agent.get('/sign-up').set('Accept-Language', acceptLanguage).expect(200);
    const bad = await agent
      .post('/sign-up')
      .set('Accept-Language', acceptLanguage)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), displayName: '', email: 'not an address', password: 'short' })
      .expect(400);
    return bad.text;
  }

  it("writes a sign-up form's problems in English for an English reader", async () => {
    const min = clinic.t.config.accounts.passwordMinLength;
    const html = await badSignUp('en-GB');
    assert.match(html, /Enter your name\./);
    assert.match(html, /Enter a valid email address\./);
    assert.match(html, new RegExp(`Use at least ${min} characters\\.`));
  });

  it('writes them in Spanish for a Spanish reader, and never the English', async () => {
    const min = clinic.t.config.accounts.passwordMinLength;
    const html = await badSignUp('es-MX,es;q=0.9');
    assert.match(html, /Escriba su nombre\./);
    assert.match(html, /Escriba un correo electrónico válido\./);
    assert.match(html, new RegExp(`Use al menos ${min} caracteres\\.`));
    assert.doesNotMatch(html, /Enter your name|Enter a valid email|Use at least/);
  });

  it('writes them in Arabic with Arabic-Indic digits for an Arabic reader', async () => {
    const min = new Intl.NumberFormat('ar-u-nu-arab').format(clinic.t.config.accounts.passwordMinLength);
    const html = await badSignUp('ar-SY,ar;q=0.9');
    assert.match(html, /أدخل اسمك\./);
    assert.match(html, new RegExp(`استخدم ${min} حرفًا على الأقل\\.`));
    assert.doesNotMatch(html, /Enter your name|Use at least/);
  });

  it("an expired link's refusal reads in the reader's language", async () => {
    const link = `/verify-email/${'x'.repeat(43)}`;
    const agent = request.agent(clinic.haven.http);
    const page = await agent.get(link).set('Accept-Language', 'fr').expect(200);
    const refused = await agent
      .post(link)
      .set('Accept-Language', 'fr')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(400);
    assert.match(refused.text, /Ce lien a expiré ou a déjà été utilisé\./);
    const englishAgent = request.agent(clinic.haven.http);
    const englishPage = await englishAgent.get(link).expect(200);
    const english = await englishAgent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(englishPage.text) });
    assert.equal(english.status, 400);
    assert.match(english.text, /This link has expired or has already been used\./);
  });

  it('a form sent without its CSRF token is refused in the reader language', async () => {
    const refused = await request(clinic.haven.http)
      .post('/sign-up')
      .set('Accept-Language', 'es')
      .type('form')
      .send({ displayName: 'Ana' })
      .expect(403);
    assert.match(refused.text, /Este formulario caducó\./);
    const english = await request(clinic.haven.http).post('/sign-up').type('form').send({}).expect(403);
    assert.match(english.text, /This form has expired\. Please go back, reload the page and try again\./);
  });

  it('the error page and a JSON error answer in the reader language', async () => {
    const page = await request(clinic.haven.http)
      .get('/no/such/page')
      .set('Accept-Language', 'pt-BR')
      .expect(404);
    assert.match(page.text, /<h1 id="error-heading">Página não encontrada<\/h1>/);
    const json = await request(clinic.haven.http)
      .get('/no/such/page')
      .set('Accept', 'application/json')
      .set('Accept-Language', 'es')
      .expect(404);
    assert.equal(json.body.error.code, 'http.not_found');
    assert.equal(json.body.error.message, 'Página no encontrada');
    const english = await request(clinic.haven.http)
      .get('/no/such/page')
      .set('Accept', 'application/json')
      .expect(404);
    assert.equal(english.body.error.message, 'Page not found');
  });

  it("built-in kinds of appointment read in the reader's language; a kind the clinic renamed keeps its own name", async () => {
    // Someone to book with: the booking page lists the kinds once a therapist takes clients.
    const therapist = await createPerson(clinic.haven, { roles: ['therapist'] });
    await makeBookable(clinic.haven, therapist.user, clinic.admin.user);
    await weekdayHours(clinic.haven, therapist.user, 'Europe/London');
    const es = await signIn(
      clinic.haven,
      await createPerson(clinic.haven, { roles: ['client'], language: 'es' }),
    );
    const en = await signIn(clinic.haven, await createPerson(clinic.haven, { roles: ['client'] }));
    const spanish = await es.agent.get('/book').expect(200);
    assert.match(spanish.text, />Primera consulta \(/);
    assert.match(spanish.text, />Seguimiento breve \(/);
    assert.match((await en.agent.get('/book').expect(200)).text, />Intake \(/);

    const types = await clinic.haven.scheduling.schedule.listTypes();
    const session = types.find((t) => t.name === 'Session')!;
    const admin = { id: clinic.admin.user.id, roles: clinic.admin.user.roles };
    await clinic.haven.scheduling.schedule.updateType(admin, session.id, {
      name: 'Sesión de 50 minutos',
      durationMinutes: session.durationMinutes,
      format: session.format,
      active: true,
    });
    const renamed = await es.agent.get('/book').expect(200);
    assert.match(renamed.text, />Sesión de 50 minutos \(/);
    assert.match(
      (await en.agent.get('/book').expect(200)).text,
      />Sesión de 50 minutos \(/,
      'as the clinic wrote it',
    );
  });

  it("a booking refusal reads in the reader's language, and what the client wrote is kept", async () => {
    // Hours but no verified practice profile: new clients may not book this therapist yet.
    const therapist = await createPerson(clinic.haven, { roles: ['therapist'] });
    await weekdayHours(clinic.haven, therapist.user, 'Europe/London');
    const kind = (await clinic.haven.scheduling.schedule.listTypes()).find((t) => t.kind === 'individual')!;
    async function refusedBooking(language: 'es' | 'en'): Promise<string> {
      const client = await signIn(
        clinic.haven,
        await createPerson(clinic.haven, { roles: ['client'], language }),
      );
      const refused = await client.agent
        .post('/book')
        .type('form')
        .send({
          _csrf: await client.csrf(),
          therapistId: therapist.user.id,
          typeId: kind.id,
          zone: 'Europe/London',
          start: '2026-03-04T10:00:00.000Z',
          reason: 'Duermo mal',
        });
      assert.equal(refused.status, 409);
      assert.match(refused.text, /<textarea name="reason"[^>]*>Duermo mal<\/textarea>/);
      return refused.text;
    }
    const spanish = await refusedBooking('es');
    assert.match(spanish, /Este terapeuta no acepta nuevos clientes en este momento\./);
    assert.doesNotMatch(spanish, /not taking new clients/);
    assert.match(await refusedBooking('en'), /This therapist is not taking new clients right now\./);
  });
});
