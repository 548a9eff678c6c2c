import assert from 'node:assert/strict';
import { createPerson, csrfFrom, signIn, type SignedInSession } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';

/** The page's visible text, tags and scripts taken out (what a reader sees, roughly). */
const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/**
 * Admin → Clinic settings in the admin's language (issue 20): the headings, fields, colour names,
 * the contrast table's pairs and verdicts, the mail-server section and the flash after saving are
 * the page's words, not English; numbers in Arabic are Arabic-Indic.
 */
describe('clinic settings in the admin’s language', function () {
  this.timeout(60_000);
  let clinic: TestClinic;
  let spanish: SignedInSession;

  before(async () => {
    clinic = await startClinic({ env: { AUTH_ATTEMPTS_PER_IP: '10000' } });
    const admin = await createPerson(clinic.haven, {
      roles: ['admin'],
      displayName: 'Lucía',
      language: 'es',
    });
    spanish = await signIn(clinic.haven, admin);
  });
  after(() => clinic?.stop());

  /** The settings form as the page would post it, with these colours. */
  const form = (csrf: string, colours: { text: string; background: string }) => ({
    _csrf: csrf,
    clinicName: 'Clínica del Puerto',
    selfSignup: 'on',
    timeZone: 'Europe/Madrid',
    languages: ['en', 'es', 'ar'],
    defaultLanguage: 'es',
    crisisResources: 'Llame al 112 en caso de emergencia.',
    cancellationPolicy: '',
    messagingExpectations: 'Respondemos en dos días laborables.',
    sessionIdleMinutes: '30',
    sessionAbsoluteHours: '12',
    primary: '#2f6f6a',
    primaryText: '#ffffff',
    ...colours,
  });

  it('reads in Spanish: headings, colours, the contrast pairs, mail server, no English left', async () => {
    const page = await spanish.agent.get('/admin/clinic-settings').expect(200);
    assert.match(page.text, /<title>Configuración de la clínica/);
    const text = visibleText(page.text);
    for (const words of [
      'Quién puede entrar',
      'Color principal (botones, enlaces)',
      'Texto del cuerpo sobre el fondo de la página',
      'Enlaces (color principal) sobre el fondo de la página',
      'Correo saliente (SMTP)',
      'STARTTLS obligatorio (puerto 587)',
      'Publicar como nueva versión',
      'De 5 a 1440.',
    ]) {
      assert.ok(text.includes(words), `missing “${words}”`);
    }
    for (const english of [
      'Who may come in',
      'Body text on the page background',
      'Primary colour',
      'Outgoing mail',
      'Save settings',
      'Consent text',
      'too low',
    ]) {
      assert.ok(!text.includes(english), `still English: “${english}”`);
    }
  });

  it('a refused form keeps the Spanish table and says which pair is too low; a saved one flashes in Spanish', async () => {
    const page = await spanish.agent.get('/admin/clinic-settings').expect(200);
    const csrf = csrfFrom(page.text);
    const refused = await spanish.agent
      .post('/admin/clinic-settings')
      .type('form')
      .send(form(csrf, { text: '#eeeeee', background: '#ffffff' }))
      .expect(400);
    const row = /<tr><td>Texto del cuerpo sobre el fondo de la página<\/td><td>([^<]*)<\/td><\/tr>/.exec(
      refused.text,
    );
    assert.ok(row, 'the pair is named in Spanish');
    assert.match(row[1]!, /^1,1:1 ✗ demasiado bajo$/, 'Spanish writes a decimal comma');
    assert.match(refused.text, /value="Clínica del Puerto"/, 'what was typed is kept');

    await spanish.agent
      .post('/admin/clinic-settings')
      .type('form')
      .send(form(csrf, { text: '#373c44', background: '#ffffff' }))
      .expect(303);
    const saved = await spanish.agent.get('/admin/clinic-settings').expect(200);
    assert.match(saved.text, /<p class="flash" role="status">Configuración de la clínica guardada\.<\/p>/);
  });

  it('reads in Arabic, right to left, with Arabic-Indic digits', async () => {
    const admin = await createPerson(clinic.haven, {
      roles: ['admin'],
      displayName: 'Rania',
      language: 'ar',
    });
    const arabic = await signIn(clinic.haven, admin);
    const page = await arabic.agent.get('/admin/clinic-settings').expect(200);
    assert.match(page.text, /<html lang="ar" dir="rtl"/);
    const text = visibleText(page.text);
    assert.ok(text.includes('إعدادات العيادة'));
    assert.ok(text.includes('تباين لا يقل عن ٤٫٥:١'), 'the minimum ratio in Arabic-Indic digits');
    assert.ok(text.includes('من ٥ إلى ١٬٤٤٠.'), 'the idle-minutes range in Arabic-Indic digits');
    assert.ok(!text.includes('Who may come in'));
  });
});
