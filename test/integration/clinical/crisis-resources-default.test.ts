import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, signIn, type SignedInSession } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';

/** Haven's own crisis sentence, as each language writes it (clinical:crisis.resourcesDefault). */
const HAVEN = {
  en: /call your local emergency number now/,
  es: /llame ahora al número de emergencias de su zona/,
  ar: /فاتصل الآن برقم الطوارئ المحلي/,
};

/** PHQ-9 answers with item 9 above 0 ("several days"): the crisis path. */
const ITEM_9 = Object.fromEntries([1, 1, 0, 0, 0, 0, 0, 0, 1].map((a, i) => [`phq9_${i}`, String(a)]));

/** The body of the settings page's crisis box, as a browser would send it back. */
const crisisBox = (html: string): string => {
  const match = /<textarea id="f-crisisResources"[^>]*>([^<]*)<\/textarea>/.exec(html);
  assert.ok(match, 'the settings page has the crisis box');
  return match[1]!;
};

/**
 * Issue 20, item 5: a person in crisis reads the crisis resources in their own language. Until the
 * operator (CRISIS_RESOURCES) or the clinic (console) writes a text, Haven's own sentence is shown in
 * the reader's language, never a built-in English text; and the settings form does not store it.
 */
describe('crisis resources: Haven’s own sentence in the reader’s language', function () {
  this.timeout(60_000);
  let c: TestClinic;
  afterEach(async () => c?.stop());

  const post = async (session: SignedInSession, path: string, body: Record<string, string | string[]>) =>
    session.agent
      .post(path)
      .type('form')
      .send({ _csrf: await session.csrf(), ...body });

  /** A client reading `language` answers the PHQ-9 with item 9 above 0; the crisis resources shown. */
  async function crisisAnswers(language: string): Promise<string> {
    const client = await signIn(c.haven, await createPerson(c.haven, { roles: ['client'], language }));
    const result = await post(client, '/clinical/measures/phq9', {
      ...ITEM_9,
      phq9_difficulty: 'Somewhat difficult',
    });
    assert.equal(result.status, 200, result.text.slice(0, 300));
    // What the crisis box says (the rest of the page holds hashes in which digits like 911 can appear).
    const box = /<div class="crisis-resources"[^>]*>([\s\S]*?)<\/div>/.exec(result.text);
    assert.ok(box, 'the page shows the crisis resources');
    return box[1]!;
  }

  /** Posts the clinic settings form with this crisis text and the rest as the page fills it. */
  const saveSettings = async (admin: SignedInSession, crisisResources: string) =>
    post(admin, '/admin/clinic-settings', {
      clinicName: 'Haven',
      timeZone: 'UTC',
      languages: ['en', 'es', 'ar'],
      crisisResources,
      cancellationPolicy: '',
      messagingExpectations: '',
      sessionIdleMinutes: '30',
      sessionAbsoluteHours: '12',
      ...c.haven.admin.preferences.colours,
    });

  /** The clinic settings form as the page fills it, sent back untouched but for the languages. */
  async function saveSettingsUntouched(admin: SignedInSession): Promise<void> {
    const page = await admin.agent.get('/admin/clinic-settings').expect(200);
    const saved = await saveSettings(admin, crisisBox(page.text));
    assert.equal(saved.status, 303, saved.text.slice(0, 400));
  }

  it('a Spanish and an Arabic client in crisis read Haven’s sentence in their language; an English one in English', async () => {
    c = await startClinic();
    const spanish = await crisisAnswers('es');
    assert.match(spanish, HAVEN.es);
    assert.match(spanish, /findahelpline\.com/);
    assert.doesNotMatch(spanish, /emergency number|911|988/);
    const arabic = await crisisAnswers('ar');
    assert.match(arabic, HAVEN.ar);
    assert.doesNotMatch(arabic, /emergency number|911|988/);
    assert.match(await crisisAnswers('en'), HAVEN.en);

    // The crisis help page, open to anyone: a visitor's language from their browser.
    const page = await request(c.haven.http)
      .get('/clinical/crisis-help')
      .set('Accept-Language', 'ar')
      .expect(200);
    assert.match(page.text, HAVEN.ar);
  });

  it('saving the settings form without touching the box stores nothing; a clinic text for Spanish wins for Spanish readers', async () => {
    c = await startClinic();
    const admin = await signIn(c.haven, await createPerson(c.haven, { roles: ['admin'], language: 'en' }));
    const settings = await admin.agent.get('/admin/clinic-settings').expect(200);
    assert.equal(crisisBox(settings.text), '', 'the box is empty while Haven’s sentence applies');
    assert.match(settings.text, /Leave it empty for Haven’s own sentence/);
    await saveSettingsUntouched(admin);
    assert.equal(c.haven.admin.preferences.crisisResources, null, 'no clinic text stored');
    assert.match(await crisisAnswers('es'), HAVEN.es);
    // Admin → Languages says what readers get: Haven's sentence in their language, not "the English text".
    const languages = await admin.agent.get('/admin/languages').expect(200);
    assert.match(languages.text, /each reader sees Haven’s sentence in their own language; in English:/);
    assert.match(languages.text, /Crisis resources in Español \(empty: Haven’s sentence in Español\)/);
    assert.match(languages.text, HAVEN.en);

    const written = await post(admin, '/admin/languages/crisis', {
      language: 'es',
      text: 'Línea de crisis de la clínica: 800 000 000, todos los días.',
    });
    assert.equal(written.status, 303, written.text.slice(0, 300));
    const spanish = await crisisAnswers('es');
    assert.match(spanish, /Línea de crisis de la clínica/);
    assert.doesNotMatch(spanish, HAVEN.es);
    assert.match(await crisisAnswers('ar'), HAVEN.ar, 'Arabic readers still get Haven’s Arabic sentence');

    // An empty box is not a text: too short a text is refused, the stored one kept.
    const short = await saveSettings(admin, 'Call');
    assert.equal(short.status, 400);
    assert.match(short.text, /or leave it empty/);
    assert.equal(c.haven.admin.preferences.crisisResources, null);
  });

  it('the operator’s CRISIS_RESOURCES wins over Haven’s sentence; the settings box holds only the clinic’s own text', async () => {
    c = await startClinic({
      env: {
        CRISIS_RESOURCES: 'Operator line: call 112, any time.\\nfindahelpline.com',
        MESSAGING_EXPECTATIONS: 'Operator: replies within two working days.',
      },
    });
    const spanish = await crisisAnswers('es');
    assert.match(spanish, /Operator line: call 112, any time\./);
    assert.doesNotMatch(spanish, HAVEN.es);

    // The box is empty and the page quotes the server's text below it, so saving the form untouched
    // does not copy the operator's text into the clinic's own (where CRISIS_RESOURCES no longer reaches).
    const admin = await signIn(c.haven, await createPerson(c.haven, { roles: ['admin'], language: 'en' }));
    const settings = await admin.agent.get('/admin/clinic-settings').expect(200);
    assert.equal(crisisBox(settings.text), '', 'the operator’s text is not in the box');
    assert.match(
      settings.text,
      /While this box is empty, people read the text set for this server \(CRISIS_RESOURCES\)/,
    );
    assert.match(
      settings.text,
      /<blockquote class="server-text"[^>]*>Operator line: call 112, any time\.\nfindahelpline\.com<\/blockquote>/,
    );
    assert.match(
      settings.text,
      /<blockquote class="server-text"[^>]*>Operator: replies within two working days\.<\/blockquote>/,
    );
    const messagingBox = /<textarea id="f-messagingExpectations"[^>]*>([^<]*)<\/textarea>/.exec(
      settings.text,
    );
    assert.equal(messagingBox?.[1], '', 'nor the operator’s messaging words');
    await saveSettingsUntouched(admin);
    const prefs = c.haven.admin.preferences;
    assert.equal(prefs.clinicCrisisResources, null, 'no clinic text stored');
    assert.equal(prefs.clinicMessagingExpectations, null);
    assert.match(await crisisAnswers('es'), /Operator line/, 'readers still get the operator’s text');

    // The clinic's own text replaces it, and the box then shows that text.
    const own = await saveSettings(admin, 'Clinic line: 0800 123 456, any hour.');
    assert.equal(own.status, 303, own.text.slice(0, 400));
    assert.match(await crisisAnswers('ar'), /Clinic line: 0800 123 456/);
    const after = await admin.agent.get('/admin/clinic-settings').expect(200);
    assert.equal(crisisBox(after.text), 'Clinic line: 0800 123 456, any hour.');
  });
});
