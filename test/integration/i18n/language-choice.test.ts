import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, csrfFrom, signIn, type TestPerson } from '../../support/accounts';
import { auditActions } from '../../support/audit-trail';
import { startClinic, type TestClinic } from '../../support/clinic';

const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? '';

/**
 * Which language a page is in, over HTTP: the profile, then the switcher's cookie, then
 * Accept-Language, then the clinic's default, never a language the clinic does not offer; the
 * switcher without JavaScript (a visitor's GET sets a cookie, a signed-in POST saves the profile
 * with its CSRF token, both back to the same page only); `<html lang dir>`; sign-up keeps the page's language.
 */
describe('language choice', function () {
  this.timeout(60_000);
  let clinic: TestClinic;
  let client: TestPerson;

  before(async () => {
    clinic = await startClinic({ env: { AUTH_ATTEMPTS_PER_IP: '10000' } });
    client = await createPerson(clinic.haven, { roles: ['client'], displayName: 'Rania' });
  });
  after(() => clinic?.stop());

  const visitor = () => request(clinic.haven.http);

  /** The admin's clinic-settings form, offering `languages` with `defaultLanguage` as the default. */
  const clinicSettings = (csrf: string, languages: string[], defaultLanguage: string) => ({
    _csrf: csrf,
    clinicName: 'Harbour Counselling',
    selfSignup: 'on',
    timeZone: 'Europe/Lisbon',
    languages,
    defaultLanguage,
    crisisResources: 'Call 112 in an emergency.',
    cancellationPolicy: '',
    messagingExpectations: 'We answer messages within two working days.',
    sessionIdleMinutes: '30',
    sessionAbsoluteHours: '12',
    primary: '#2f6f6a',
    primaryText: '#ffffff',
    background: '#ffffff',
    text: '#373c44',
  });

  it('a visitor gets their browser language, right to left for Arabic, the clinic default otherwise', async () => {
    const ar = await visitor().get('/sign-in').set('Accept-Language', 'ar-SY,ar;q=0.9,en;q=0.5').expect(200);
    assert.match(htmlTag(ar.text), /lang="ar" dir="rtl"/);
    assert.match(ar.text, /تسجيل الدخول/);
    const es = await visitor().get('/sign-in').set('Accept-Language', 'de-DE, es;q=0.7').expect(200);
    assert.match(htmlTag(es.text), /lang="es" dir="ltr"/);
    const none = await visitor().get('/sign-in').set('Accept-Language', 'de-DE').expect(200);
    assert.match(htmlTag(none.text), /lang="en" dir="ltr"/);
  });

  it("a visitor's switcher is a GET that sets a cookie and brings them back to the same page", async () => {
    const page = await visitor().get('/sign-in').expect(200);
    assert.match(page.text, /<form class="language-switcher" method="get" action="\/language">/);
    assert.match(page.text, /<input type="hidden" name="next" value="\/sign-in">/);
    const res = await visitor().get('/language?lang=fr&next=/sign-up%3Fx%3D1').expect(303);
    assert.equal(res.headers.location, '/sign-up?x=1');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /haven\.lang=fr;.*HttpOnly/i);
    const after = await visitor()
      .get('/sign-in')
      .set('Cookie', 'haven.lang=fr')
      .set('Accept-Language', 'es')
      .expect(200);
    assert.match(htmlTag(after.text), /lang="fr"/, 'the cookie wins over the browser');
  });

  it('the switcher sends people back only to this site, and refuses a language not offered', async () => {
    for (const next of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ]) {
      const res = await visitor()
        .get(`/language?lang=es&next=${encodeURIComponent(next)}`)
        .expect(303);
      assert.equal(res.headers.location, '/', next);
    }
    await visitor().get('/language?lang=de&next=/').expect(400);
    await visitor().get('/language?lang=&next=/').expect(400);
  });

  it("a signed-in person's switcher saves their profile (CSRF-checked, audited) and follows them", async () => {
    const session = await signIn(clinic.haven, client);
    const page = await session.agent.get('/account').set('Accept-Language', 'es').expect(200);
    assert.match(htmlTag(page.text), /lang="en"/, 'the profile (English at creation) wins over the browser');
    assert.match(page.text, /<form class="language-switcher" method="post" action="\/language">/);
    await session.agent.post('/language').type('form').send({ lang: 'ar', next: '/account' }).expect(403);
    const res = await session.agent
      .post('/language')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), lang: 'ar', next: '/account' })
      .expect(303);
    assert.equal(res.headers.location, '/account');
    const user = await clinic.haven.accounts.byId(client.user.id);
    assert.equal(user?.language, 'ar');
    assert.ok(
      (await auditActions(clinic.haven, { actorId: client.user.id })).includes('user.language_changed'),
    );
    const arabic = await session.agent.get('/account').set('Accept-Language', 'es').expect(200);
    assert.match(htmlTag(arabic.text), /lang="ar" dir="rtl"/);
    assert.match(arabic.text, /<option value="ar" lang="ar" dir="rtl" selected>العربية<\/option>/);
  });

  it('only offered languages are ever chosen: not from the profile, the cookie or the browser', async () => {
    const adminSession = await signIn(clinic.haven, clinic.admin);
    const settings = await adminSession.agent.get('/admin/clinic-settings').expect(200);
    await adminSession.agent
      .post('/admin/clinic-settings')
      .type('form')
      .send(clinicSettings(csrfFrom(settings.text), ['en', 'es'], 'es'))
      .expect(303);
    const page = await visitor()
      .get('/sign-in')
      .set('Cookie', 'haven.lang=ar')
      .set('Accept-Language', 'fr')
      .expect(200);
    assert.match(htmlTag(page.text), /lang="es"/, `the clinic default: ${htmlTag(page.text)}`);
    assert.doesNotMatch(page.text, /<option value="ar"/, 'the switcher lists only offered languages');
    await visitor().get('/language?lang=ar&next=/').expect(400);
    // Rania chose Arabic before the clinic stopped offering it: her pages fall back too.
    const session = await signIn(clinic.haven, client);
    const account = await session.agent.get('/account').expect(200);
    assert.match(htmlTag(account.text), /lang="es"/);
    await adminSession.agent
      .post('/admin/clinic-settings')
      .type('form')
      .send(clinicSettings(csrfFrom(settings.text), ['en', 'es'], 'fr'))
      .expect(400);
  });

  it('a new account keeps the language its sign-up page was in (for its pages and emails)', async () => {
    const agent = request.agent(clinic.haven.http);
    const page = await agent.get('/sign-up').set('Accept-Language', 'es-MX').expect(200);
    assert.match(htmlTag(page.text), /lang="es"/);
    await agent
      .post('/sign-up')
      .set('Accept-Language', 'es-MX')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        email: 'lucia@example.org',
        displayName: 'Lucía',
        password: 'a long enough passphrase 7',
        timeZone: 'America/Mexico_City',
      })
      .expect(200);
    const user = (await clinic.haven.accounts.list()).find((u) => u.email === 'lucia@example.org');
    assert.equal(user?.language, 'es');
  });
});
