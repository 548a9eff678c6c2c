import assert from 'node:assert/strict';
import { createPerson, signIn } from '../../support/accounts';
import { startClinic, type TestClinic } from '../../support/clinic';

/**
 * Issue 20 over HTTP: a questionnaire in the reader's language only from a validated translation;
 * otherwise English with a notice in the reader's language. The same answers give the same result.
 */
describe('questionnaires in the reader language', function () {
  this.timeout(30_000);
  let c: TestClinic;
  beforeEach(async () => {
    c = await startClinic();
  });
  afterEach(async () => c.stop());

  it('a Spanish reader gets the Spanish PHQ-9, the GAD-7 in English with a Spanish notice, and the same score', async () => {
    const client = await createPerson(c.haven, { roles: ['client'], language: 'es' });
    const me = await signIn(c.haven, client);
    const phq9 = await me.agent.get('/clinical/measures/phq9').expect(200);
    assert.match(phq9.text, /<fieldset lang="es">/);
    assert.match(phq9.text, /Poco interés o placer en hacer cosas/);
    assert.match(phq9.text, /> Más de la mitad de los días</);
    assert.doesNotMatch(phq9.text, /class="notice"/);
    const gad7 = await me.agent.get('/clinical/measures/gad7').expect(200);
    assert.match(gad7.text, /<fieldset lang="en">/);
    assert.match(gad7.text, /Feeling nervous, anxious or on edge/);
    assert.match(gad7.text, /<p class="notice" lang="es">El GAD-7 se muestra en inglés/);

    // Item 9 answered "Varios días": the crisis path, whatever the language.
    const answers = Object.fromEntries([1, 1, 0, 0, 0, 0, 0, 0, 1].map((a, i) => [`phq9_${i}`, String(a)]));
    const result = await me.agent
      .post('/clinical/measures/phq9')
      .type('form')
      .send({ _csrf: await me.csrf(), ...answers, phq9_difficulty: 'Somewhat difficult' });
    assert.equal(result.status, 200, result.text.slice(0, 300));
    // The band's name in Spanish too (the English test keeps "(Minimal)": clinical-http.test.ts).
    assert.match(result.text, /Su puntuación: <strong>3<\/strong> de 27 \(Mínima\)/);
    assert.doesNotMatch(result.text, /Minimal/);
    const [saved] = await c.haven.clinical.measures.results({ ...client.user, ip: null }, client.user.id);
    assert.deepEqual({ total: saved?.total, crisis: saved?.crisis }, { total: 3, crisis: true });
  });

  it("an Arabic reader's progress page names the bands in Arabic, in the table, the chart and its legend", async () => {
    const client = await createPerson(c.haven, { roles: ['client'], language: 'ar' });
    const me = await signIn(c.haven, client);
    const answers = Object.fromEntries([2, 2, 2, 2, 1, 1, 0, 0, 0].map((a, i) => [`phq9_${i}`, String(a)]));
    await me.agent
      .post('/clinical/measures/phq9')
      .type('form')
      .send({ _csrf: await me.csrf(), ...answers, phq9_difficulty: 'Somewhat difficult' })
      .expect(200);
    const progress = await me.agent.get('/clinical/progress').expect(200);
    assert.match(progress.text, /<td>متوسطة<\/td>/, 'the table: a total of 10 is moderate');
    assert.match(progress.text, /\(متوسطة\)<\/title>/, "the point's title in the chart");
    assert.match(progress.text, /متوسطة إلى شديدة/, 'the legend');
    assert.doesNotMatch(progress.text, />Moderate|Moderately severe|\(Moderate\)/);
  });
});
