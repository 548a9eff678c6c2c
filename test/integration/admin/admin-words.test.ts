import assert from 'node:assert/strict';
import { createPerson, signIn, type SignedInSession } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';

/**
 * Issue 20, the admin console's refusals: the settings form, the audit viewer's filters, the string
 * overrides and the people pages name their problems as `admin:problem.*` keys, which the page writes
 * in the admin's own language (numbers included). An English admin keeps the English words.
 */
describe("admin refusals in the admin's language", function () {
  this.timeout(60_000);
  let clinic: TestClinic;

  before(async () => {
    clinic = await startClinic({ env: { AUTH_ATTEMPTS_PER_IP: '10000' } });
  });
  after(() => clinic?.stop());

  /** A new admin reading `language`, signed in. */
  async function adminReading(language: string): Promise<SignedInSession> {
    return signIn(clinic.haven, await createPerson(clinic.haven, { roles: ['admin'], language }));
  }

  const post = async (session: SignedInSession, path: string, body: Record<string, string | string[]>) =>
    session.agent
      .post(path)
      .type('form')
      .send({ _csrf: await session.csrf(), ...body });

  /** A settings form with a crisis text too short and an idle timeout out of range. */
  const badSettings = {
    clinicName: 'Harbour Counselling',
    timeZone: 'Europe/Lisbon',
    languages: ['en', 'es', 'ar'],
    crisisResources: 'Call',
    cancellationPolicy: '',
    messagingExpectations: 'We answer messages within two working days.',
    sessionIdleMinutes: '2',
    sessionAbsoluteHours: '12',
    primary: '#2f6f6a',
    primaryText: '#ffffff',
    background: '#ffffff',
    text: '#222222',
  };
  /** A form whose fields are all readable but whose body text is not (colours are checked once the rest is). */
  const unreadable = {
    ...badSettings,
    crisisResources: 'Call 112 in an emergency.',
    sessionIdleMinutes: '30',
    background: '#aaaaaa',
    text: '#999999',
  };

  it('writes the settings form’s problems in Spanish for a Spanish admin, in English for an English one', async () => {
    const es = await adminReading('es');
    const spanish = await post(es, '/admin/clinic-settings', badSettings);
    assert.equal(spanish.status, 400);
    assert.match(spanish.text, /<html lang="es"/);
    const colours = await post(es, '/admin/clinic-settings', unreadable);
    assert.equal(colours.status, 400);
    assert.match(
      colours.text,
      /El texto del cuerpo sobre el fondo de la página se leería mal: contraste 1,\d:1, se necesita al menos 4,5:1\./,
      'the ratios written the Spanish way',
    );
    assert.match(spanish.text, /Indique las líneas y los números de crisis a los que se puede llamar/);
    assert.match(spanish.text, /Tiempo de inactividad: un número entero de minutos de 5 a 1440\./);
    assert.doesNotMatch(
      `${spanish.text}${colours.text}`,
      /hard to read|crisis lines|Idle timeout/,
      'no English left',
    );

    const en = await adminReading('en');
    const english = await post(en, '/admin/clinic-settings', badSettings);
    assert.equal(english.status, 400);
    assert.match(english.text, /Idle timeout: a whole number of minutes from 5 to 1440\./);
    const englishColours = await post(en, '/admin/clinic-settings', unreadable);
    assert.match(
      englishColours.text,
      /Body text on the page background would be hard to read: contrast 1\.\d:1/,
    );
  });

  it('writes the audit filters’ and the string overrides’ problems in Arabic for an Arabic admin', async () => {
    const arabic = await adminReading('ar');
    const audit = await arabic.agent.get('/admin/audit?from=yesterday&person=nobody@example.org');
    assert.equal(audit.status, 400);
    assert.match(audit.text, /<html lang="ar" dir="rtl"/);
    assert.match(audit.text, /اكتب التاريخ بهذا الشكل: 2026-11-26\./);
    assert.match(audit.text, /لا يوجد أحد بعنوان البريد الإلكتروني هذا\./);
    assert.doesNotMatch(audit.text, /Use a date like|No one has that/);

    const unknown = await post(arabic, '/admin/translations', {
      language: 'es',
      key: 'common:footer.nope',
      value: 'Hola',
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /لا يوجد نص «common:footer.nope»\. انسخ المفتاح من القائمة في هذه الصفحة\./);
    const dropped = await post(arabic, '/admin/translations', {
      language: 'fr',
      key: 'common:footer.privacy',
      value: 'Vos données restent ici.',
    });
    assert.equal(dropped.status, 400);
    assert.match(
      dropped.text,
      /أبقِ على هذه المتغيّرات كما هي بالضبط، مكتوبةً كما في النص الأصلي: \{\{clinic\}\}\./,
    );
  });

  it('the console’s confirmations (flashes) read in the admin’s language, counts included', async () => {
    const french = await adminReading('fr');
    await post(french, '/admin/audit/verify', {});
    const audit = await french.agent.get('/admin/audit').expect(200);
    assert.match(audit.text, /Journal d’audit intact : [\d\s\u202f]+ lignes vérifiées\./);
    assert.doesNotMatch(audit.text, /Audit trail intact/);

    const client = await createPerson(clinic.haven, { roles: ['client'] });
    const spanish = await adminReading('es');
    const done = await post(spanish, `/admin/people/${client.user.id}/deactivate`, {});
    assert.equal(done.status, 303);
    const person = await spanish.agent.get(`/admin/people/${client.user.id}`).expect(200);
    assert.match(person.text, /Cuenta desactivada y sesiones cerradas en todas partes\./);
    assert.doesNotMatch(person.text, /Account deactivated/);
  });

  it('a French admin is told in French that they cannot deactivate their own account', async () => {
    const french = await createPerson(clinic.haven, { roles: ['admin'], language: 'fr' });
    const session = await signIn(clinic.haven, french);
    const refused = await post(session, `/admin/people/${french.user.id}/deactivate`, {});
    assert.equal(refused.status, 403);
    assert.match(refused.text, /Vous ne pouvez pas désactiver votre propre compte\./);
    assert.doesNotMatch(refused.text, /cannot deactivate/);
    assert.equal((await clinic.haven.accounts.byId(french.user.id))?.status, 'active');
  });

  it('names the console’s pages in the browser tab in the admin’s language (the routes passed English titles)', async () => {
    const es = await adminReading('es');
    const titles = {
      '/admin': 'Resumen',
      '/admin/audit': 'Registro de auditoría',
      '/admin/outbox': 'Bandeja de salida',
      '/admin/people': 'Personas',
    };
    for (const [path, title] of Object.entries(titles)) {
      const page = await es.agent.get(path).expect(200);
      assert.match(page.text, new RegExp(`<title>${title} · `), path);
    }
  });
});
