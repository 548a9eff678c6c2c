import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { createLogger } from '../../../server/shared/logger';
import { signIn, type SignedInSession } from '../../support/accounts';
import { auditEvents } from '../../support/audit-trail';
import { startClinic, type TestClinic } from '../../support/clinic';

const KEY = 'common:footer.crisisQuestion';
const CLINIC_TEXT = '¿Necesita ayuda ahora mismo? Llame a la Clínica Puerto:';

/**
 * Issue 20: a clinic changes any interface string from the admin console, per language; the change
 * is audited (who, which key, which language, old and new text), shows at once without a restart,
 * survives a restart, reaches emails' words too, and a reset brings the shipped text back. An
 * unknown key or a text that drops a placeholder gets a clear error.
 */
describe('clinic overrides of interface strings', function () {
  this.timeout(60_000);
  let c: TestClinic;
  let admin: SignedInSession;

  const post = async (path: string, body: Record<string, string>) =>
    admin.agent
      .post(path)
      .type('form')
      .send({ _csrf: await admin.csrf(), ...body });
  const spanishHome = () => request(c.haven.http).get('/').set('Accept-Language', 'es').expect(200);

  beforeEach(async () => {
    c = await startClinic();
    admin = await signIn(c.haven, c.admin);
  });
  afterEach(async () => c.stop());

  it('finds a string, applies the clinic text at once in that language only, audits it, and resets it', async () => {
    const shippedEs = c.haven.translator.fixedT('es')(KEY);
    const shippedEn = c.haven.translator.fixedT('en')(KEY);
    assert.match((await spanishHome()).text, new RegExp(shippedEs.replace(/[?¿]/g, '.')));

    const found = await admin.agent
      .get('/admin/translations')
      .query({ language: 'es', q: 'crisisQuestion' })
      .expect(200);
    assert.match(found.text, new RegExp(`<code>${KEY}</code>`));

    const saved = await post('/admin/translations', { language: 'es', key: KEY, value: CLINIC_TEXT });
    assert.equal(saved.status, 303, saved.text.slice(0, 300));
    assert.match((await spanishHome()).text, /Llame a la Clínica Puerto/, 'shown at once, no restart');
    const english = await request(c.haven.http).get('/').set('Accept-Language', 'en').expect(200);
    assert.doesNotMatch(english.text, /Clínica Puerto/, 'other languages keep theirs');
    assert.ok(english.text.includes(shippedEn));

    const [event] = await auditEvents(c.haven, { action: 'i18n.override.set' });
    assert.equal(event?.actorId, c.admin.user.id);
    assert.deepEqual(JSON.parse(event!.details!), {
      language: 'es',
      key: KEY,
      old: shippedEs,
      new: CLINIC_TEXT,
      wasShipped: true,
    });
    const listed = await admin.agent.get('/admin/translations').query({ language: 'es', q: KEY }).expect(200);
    assert.match(listed.text, /cambiado por la clínica|changed by the clinic/);

    const reset = await post('/admin/translations/reset', { language: 'es', key: KEY });
    assert.equal(reset.status, 303);
    assert.doesNotMatch((await spanishHome()).text, /Clínica Puerto/);
    // Saving the shipped text is no change: no row, nothing audited.
    assert.equal(
      (await post('/admin/translations', { language: 'es', key: KEY, value: shippedEs })).status,
      303,
    );
    assert.equal((await auditEvents(c.haven, { action: 'i18n.override.set' })).length, 1);
    const [undone] = await auditEvents(c.haven, { action: 'i18n.override.reset' });
    assert.deepEqual(JSON.parse(undone!.details!), {
      language: 'es',
      key: KEY,
      old: CLINIC_TEXT,
      new: shippedEs,
    });
  });

  it('refuses an unknown key and a text that drops a placeholder, naming the problem', async () => {
    const unknown = await post('/admin/translations', {
      language: 'es',
      key: 'common:footer.nope',
      value: 'Hola',
    });
    assert.equal(unknown.status, 400);
    assert.match(
      unknown.text,
      /There is no string “common:footer.nope”\. Copy the key from the list on this page\./,
    );
    const dropped = await post('/admin/translations', {
      language: 'fr',
      key: 'common:footer.privacy',
      value: 'Vos données restent ici.',
    });
    assert.equal(dropped.status, 400);
    assert.match(dropped.text, /Keep exactly these placeholders[^<]*\{\{clinic\}\}/);
    assert.match(dropped.text, /Vos données restent ici\./, 'the typed text is kept');
    assert.equal(
      (await post('/admin/translations', { language: 'xx', key: KEY, value: 'x' })).status,
      400,
      'a language Haven does not ship',
    );
    assert.deepEqual(await auditEvents(c.haven, { action: 'i18n.override.set' }), [], 'nothing saved');
  });

  it('keeps overrides across a restart and gives them to emails too', async () => {
    await post('/admin/translations', {
      language: 'es',
      key: 'email:reminder.subject',
      value: 'Su cita en la Clínica Puerto: {{when}}',
    });
    // A second Haven on the same database: what a restart would load.
    const restarted = await createApp({
      config: c.t.config,
      logger: createLogger('silent'),
      clock: c.clock,
      startMedia: false,
    });
    try {
      assert.equal(
        restarted.translator.fixedT('es')('email:reminder.subject', { when: 'mañana' }),
        'Su cita en la Clínica Puerto: mañana',
      );
      assert.equal(
        restarted.translator.fixedT('en')('email:reminder.subject', { when: 'tomorrow' }),
        'Reminder: appointment tomorrow',
      );
    } finally {
      await restarted.close();
    }
  });
});
