import assert from 'node:assert/strict';
import { createPerson, signIn, type SignedInSession } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';

/**
 * Refusals of the care features (clinical forms, care planning, groups, the directory, your data,
 * the connection check) in the reader's language: the services name them as resource keys and the
 * page or the JSON error writes them. Each case also checks that no English is left where the
 * English reader's sentence would be, and the English reader still reads English.
 */
describe('care refusals in the reader language', function () {
  this.timeout(90_000);
  let clinic: TestClinic;

  before(async () => {
    clinic = await startClinic({ env: { AUTH_ATTEMPTS_PER_IP: '10000' } });
  });
  after(() => clinic?.stop());

  async function client(language: string): Promise<SignedInSession> {
    return signIn(clinic.haven, await createPerson(clinic.haven, { roles: ['client'], language }));
  }

  /** A safety check with a callback number that is not one, as a page in `language` shows it. */
  async function badSafetyCheck(language: string): Promise<string> {
    const me = await client(language);
    const refused = await me.agent
      .post('/clinical/safety-check')
      .type('form')
      .send({ _csrf: await me.csrf(), location: 'Casa, Quito', callbackNumber: 'llámame' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /value="Casa, Quito"/, 'what was typed is kept');
    return refused.text;
  }

  it("clinical: a safety check's field problem in Spanish, and in English for an English reader", async () => {
    const spanish = await badSafetyCheck('es');
    assert.match(spanish, /Escriba un número de teléfono al que podamos devolverle la llamada\./);
    assert.doesNotMatch(spanish, /phone number we can call/);
    assert.match(await badSafetyCheck('en'), /Enter a phone number we can call you back on\./);
  });

  it('clinical: an unanswered intake question names its number in Arabic-Indic digits', async () => {
    const me = await client('ar');
    const csrf = await me.csrf();
    await me.agent
      .post('/clinical/consent')
      .type('form')
      .send({ _csrf: csrf, version: '1', typedName: 'سارة أحمد' })
      .expect(303);
    const partial = await me.agent.post('/clinical/intake').type('form').send({
      _csrf: csrf,
      emergencyContactName: 'Sam',
      emergencyContactPhone: '+963 11 555 0100',
      location: 'Damascus',
      reasons: 'Worry',
      goals: 'Sleep',
      phq9_0: '1',
      phq9_1: '1',
    });
    assert.equal(partial.status, 400);
    assert.match(partial.text, /PHQ-9: يرجى الإجابة عن السؤال ٣\./);
    assert.doesNotMatch(partial.text, /please answer question/);
  });

  it('care planning: asking for a safety plan that does not exist yet, in Arabic', async () => {
    const me = await client('ar');
    const missing = await me.agent.get('/care/safety-plan/download').expect(404);
    assert.match(missing.text, /ليست لديك خطة أمان بعد\./);
    assert.doesNotMatch(missing.text, /You do not have a safety plan/);
  });

  it('groups: a name too short to join under, in Spanish', async () => {
    const peer = await signIn(clinic.haven, await createPerson(clinic.haven, { roles: ['peer_supporter'] }));
    const created = await peer.agent
      .post('/groups')
      .type('form')
      .send({
        _csrf: await peer.csrf(),
        topic: 'Duelo',
        description: 'Un espacio para hablar de una pérdida.',
        capacity: '8',
        membership: 'open',
        facilitatorId: peer.person.user.id,
      })
      .expect(303);
    const groupPath = created.headers.location!;
    const me = await client('es');
    const refused = await me.agent
      .post(`${groupPath}/join`)
      .type('form')
      .send({ _csrf: await me.csrf(), pseudonym: 'A' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Elija un nombre de 2 a 30 caracteres\./);
    assert.doesNotMatch(refused.text, /Choose a name of/);
  });

  it('directory: a photo over the limit names the limit in French units; no such profile in Arabic', async () => {
    const therapist = await signIn(
      clinic.haven,
      await createPerson(clinic.haven, { roles: ['therapist'], language: 'fr' }),
    );
    const big = await therapist.agent
      .post(`/practice-profile/photo?_csrf=${encodeURIComponent(await therapist.csrf())}`)
      .attach('photo', Buffer.alloc(3 * 1024 * 1024), { filename: 'grande.jpg', contentType: 'image/jpeg' });
    assert.equal(big.status, 400);
    assert.match(big.text, /Les photos peuvent faire jusqu’à 2\sMo\./);
    assert.doesNotMatch(big.text, /Photos can be up to/);

    const me = await client('ar');
    const missing = await me.agent
      .get('/directory/profiles/00000000-0000-4000-8000-000000000000')
      .expect(404);
    assert.match(missing.text, /لا يوجد ملف كهذا\./);
  });

  it('your data: an erasure request without the confirmation phrase, in Spanish', async () => {
    const me = await client('es');
    const refused = await me.agent
      .post('/account/data/erasure')
      .type('form')
      .send({ _csrf: await me.csrf(), confirm: 'borrar' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Escriba ERASE MY ACCOUNT para confirmar\./);
    assert.doesNotMatch(refused.text, /Type ERASE MY ACCOUNT to confirm/);
  });

  it("connection check: the JSON error's message in Spanish when the media server is not there", async () => {
    const me = await client('es');
    const page = await me.agent.get('/check').expect(200);
    const csrf = /data-csrf="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(csrf);
    const refused = await me.agent
      .post('/check/probes')
      .set('X-CSRF-Token', csrf)
      .set('Accept', 'application/json')
      .send({ mode: 'direct' })
      .expect(503);
    assert.deepEqual((refused.body as { error: { code: string; message: string } }).error, {
      ...(refused.body as { error: { requestId?: string } }).error,
      code: 'media.unavailable',
      message: 'El servidor de audio y vídeo no está disponible en este momento.',
    });
  });
});
