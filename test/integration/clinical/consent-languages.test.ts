import assert from 'node:assert/strict';
import request from 'supertest';
import { signIn, createPerson, type SignedInSession, type TestPerson } from '../../support/accounts';
import { auditEvents } from '../../support/audit-trail';
import { startClinic, type TestClinic } from '../../support/clinic';
import { actor } from './clinical-fixtures';
import { refusal } from '../../support/refusals';

const SPANISH =
  'Consentimiento para servicios de telesalud. Acepto recibir atención por video, audio y mensajes seguros.';
const ENGLISH_2 =
  'Consent to telehealth services, second edition: I agree to receive care by secure video and audio.';

/**
 * Issue 20: the admin writes a consent text per offered language; a client signs the one in their
 * language and the signature records which language and version; crisis resources per language
 * with the clinic default as the fallback.
 */
describe('consent texts and crisis resources per language', function () {
  this.timeout(30_000);
  let c: TestClinic;
  let session: SignedInSession;
  let client: TestPerson;

  const post = async (path: string, body: Record<string, string>) =>
    session.agent
      .post(path)
      .type('form')
      .send({ _csrf: await session.csrf(), ...body });

  beforeEach(async () => {
    c = await startClinic();
    session = await signIn(c.haven, c.admin);
    const prefs = c.haven.admin.preferences;
    await prefs.update(actor(c.admin.user), {
      clinicName: 'Harbour Clinic',
      selfSignup: true,
      directoryPublic: false,
      timeZone: 'UTC',
      languages: ['en', 'es', 'fr'],
      crisisResources: 'In an emergency call 911. Crisis line: 988.',
      cancellationPolicy: '',
      messagingExpectations: 'We answer messages within two working days.',
      sessionIdleMinutes: '30',
      sessionAbsoluteHours: '12',
      ...prefs.colours,
    });
    client = await createPerson(c.haven, { roles: ['client'], language: 'es', displayName: 'Lucía' });
  });
  afterEach(async () => c.stop());

  it('a client signs the text in their language; the signature records language and version; only their language asks again', async () => {
    const { intake } = c.haven.clinical;
    const me = actor(client.user);
    // Nothing in Spanish yet: the Spanish reader is shown the clinic default (English, built-in v1).
    assert.deepEqual(
      {
        version: (await intake.currentConsent('es')).version,
        language: (await intake.currentConsent('es')).language,
      },
      { version: 1, language: 'en' },
    );
    const page = await session.agent.get('/admin/languages').expect(200);
    assert.match(page.text, /Español<\/span> <small>not written yet: clients see the English text/);
    const published = await post('/admin/languages/consent', { language: 'es', body: SPANISH });
    assert.equal(published.status, 303, published.text.slice(0, 300));
    const es = await intake.currentConsent('es');
    assert.deepEqual(
      { version: es.version, language: es.language, body: es.body },
      { version: 2, language: 'es', body: SPANISH },
    );
    assert.equal((await intake.currentConsent('en')).version, 1, 'English readers keep the built-in text');

    assert.equal(await intake.needsConsent(client.user.id, 'es'), true);
    await assert.rejects(
      intake.signConsent(me, { typedName: 'Lucía', version: 1 }, 'es'),
      refusal('clinical.consent_changed', 'clinical:problem.consentChanged'),
    );
    await intake.signConsent(me, { typedName: 'Lucía Pérez', version: 2 }, 'es');
    assert.equal(await intake.needsConsent(client.user.id, 'es'), false);
    const [signed] = await auditEvents(c.haven, { action: 'consent.signed', subjectId: client.user.id });
    assert.deepEqual(JSON.parse(signed!.details!), { version: 2, language: 'es' });
    const [row] = (await c.haven.sequelize.query(
      'SELECT version, language FROM consent_signatures WHERE client_id = ?',
      { replacements: [client.user.id], type: 'SELECT' },
    )) as Array<{ version: number; language: string }>;
    assert.deepEqual({ ...row }, { version: 2, language: 'es' });

    // A new English text is version 3 and does not touch the Spanish signers...
    await post('/admin/languages/consent', { language: 'en', body: ENGLISH_2 });
    assert.equal((await intake.currentConsent('en')).version, 3);
    assert.equal(await intake.needsConsent(client.user.id, 'es'), false);
    // ...a changed Spanish text asks them again.
    await post('/admin/languages/consent', { language: 'es', body: `${SPANISH} Versión revisada.` });
    assert.equal((await intake.currentConsent('es')).version, 4);
    assert.equal(await intake.needsConsent(client.user.id, 'es'), true);
    const changes = await auditEvents(c.haven, { action: 'consent.text_changed' });
    assert.deepEqual(
      changes.map((e) => JSON.parse(e.details!)),
      [
        { language: 'es', version: 2 },
        { language: 'en', version: 3 },
        { language: 'es', version: 4 },
      ],
    );
  });

  it('over HTTP: a Spanish-reading client is shown the Spanish text and signs it; the page says so when none exists', async () => {
    const me = await signIn(c.haven, client);
    const before = await me.agent.get('/clinical/intake').expect(200);
    assert.match(before.text, /<html lang="es"/);
    assert.match(before.text, /La clínica aún no ha escrito este consentimiento en su idioma/);
    assert.match(before.text, /<article class="consent-text" lang="en"/);
    await post('/admin/languages/consent', { language: 'es', body: SPANISH });
    const shown = await me.agent.get('/clinical/intake').expect(200);
    assert.match(shown.text, /Consentimiento para servicios de telesalud/);
    assert.match(shown.text, /<article class="consent-text" lang="es"/);
    assert.doesNotMatch(shown.text, /aún no ha escrito/);
    const signed = await me.agent
      .post('/clinical/consent')
      .type('form')
      .send({ _csrf: await me.csrf(), typedName: 'Lucía Pérez', version: '2' });
    assert.equal(signed.status, 303, signed.text.slice(0, 300));
    const [event] = await auditEvents(c.haven, { action: 'consent.signed', subjectId: client.user.id });
    assert.deepEqual(JSON.parse(event!.details!), { version: 2, language: 'es' });
    assert.equal(await c.haven.clinical.intake.needsConsent(client.user.id, 'es'), false);
  });

  it('refuses a language the clinic does not offer and a too-short text, keeping what was typed', async () => {
    const refused = await post('/admin/languages/consent', { language: 'de', body: SPANISH });
    assert.equal(refused.status, 400);
    const short = await post('/admin/languages/consent', { language: 'fr', body: 'Trop court.' });
    assert.equal(short.status, 400);
    assert.match(short.text, /50 to 50,000 characters/);
    assert.match(short.text, /Trop court\./, 'the typed text is kept');
    assert.equal(
      (await c.haven.clinical.intake.consentTexts()).find((t) => t.language === 'fr')?.consent,
      null,
    );
  });

  it('crisis resources per language, falling back to the clinic default text', async () => {
    const { crisis } = c.haven.clinical;
    assert.match(crisis.resourcesFor('fr'), /call 911/, 'no French text yet: the default one');
    const saved = await post('/admin/languages/crisis', {
      language: 'es',
      text: 'En una emergencia llame al 911. Línea de crisis: 988 (oprima 2 para español).',
    });
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    assert.match(crisis.resourcesFor('es'), /oprima 2 para español/);
    assert.match(crisis.resourcesFor('es-MX'), /oprima 2 para español/);
    assert.match(crisis.resourcesFor('en'), /call 911/);
    assert.match(crisis.resourcesFor('fr'), /call 911/);
    const [event] = await auditEvents(c.haven, { action: 'clinic_settings.crisis_resources_set' });
    assert.deepEqual(JSON.parse(event!.details!), { language: 'es' });
    assert.equal((await post('/admin/languages/crisis', { language: 'de', text: 'Notruf 112' })).status, 400);
    // Emptied: Spanish readers see the default again.
    await post('/admin/languages/crisis', { language: 'es', text: '' });
    assert.match(crisis.resourcesFor('es'), /call 911/);
    // Nobody but an admin reaches the page.
    await request(c.haven.http).get('/admin/languages').expect(302);
  });
});
