import assert from 'node:assert/strict';
import {
  createPerson,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

const phq = (answers: number[]) => Object.fromEntries(answers.map((a, i) => [`phq9_${i}`, String(a)]));
const gad = (answers: number[]) => Object.fromEntries(answers.map((a, i) => [`gad7_${i}`, String(a)]));

describe('clinical pages', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let admin: TestPerson;
  let therapist: TestPerson;
  let clientA: TestPerson;
  let clientB: TestPerson;
  let a: SignedInSession;

  before(async () => {
    t = await startTestHaven();
    admin = (await ensureAdmin(t.haven)) ?? (await createPerson(t.haven, { roles: ['admin'] }));
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    clientA = await createPerson(t.haven, { roles: ['client'], displayName: 'Alice Client' });
    clientB = await createPerson(t.haven, { roles: ['client'] });
    await t.haven.clinical.care.assign(null, therapist.user.id, clientA.user.id);
    a = await signIn(t.haven, clientA);
  });
  after(async () => t.stop());

  it('a client signs consent, completes intake and a PHQ-9, and sees their progress', async () => {
    const consentPage = await a.agent.get('/clinical/intake').expect(200);
    assert.match(consentPage.text, /Telehealth consent/);
    const csrf = await a.csrf();
    const bad = await a.agent
      .post('/clinical/consent')
      .type('form')
      .send({ _csrf: csrf, version: '1', typedName: '' });
    assert.equal(bad.status, 400);
    await a.agent
      .post('/clinical/consent')
      .type('form')
      .send({ _csrf: csrf, version: '1', typedName: 'Alice Client' })
      .expect(303);
    const intakePage = await a.agent.get('/clinical/intake').expect(200);
    assert.match(intakePage.text, /Little interest or pleasure in doing things/);

    const intake = {
      _csrf: csrf,
      emergencyContactName: 'Sam',
      emergencyContactPhone: '+1 503 555 0100',
      location: 'Portland, Oregon',
      reasons: 'Worry',
      goals: 'Sleep',
    };
    // An unanswered question is refused with the form kept, not scored as 0.
    const partial = await a.agent
      .post('/clinical/intake')
      .type('form')
      .send({ ...intake, ...phq([1, 1]) });
    assert.equal(partial.status, 400);
    assert.match(partial.text, /please answer question 3/);
    assert.match(partial.text, /value="Sam"/);
    await a.agent
      .post('/clinical/intake')
      .type('form')
      .send({ ...intake, ...phq([2, 2, 1, 1, 1, 1, 1, 1, 0]), ...gad([2, 2, 2, 1, 1, 1, 1]) })
      .expect(303)
      .expect('location', '/clinical/matches');

    const result = await a.agent
      .post('/clinical/measures/phq9')
      .type('form')
      .send({ _csrf: csrf, ...phq([1, 1, 1, 0, 0, 0, 0, 0, 0]) })
      .expect(200);
    assert.match(result.text, /Your score: <strong>3<\/strong> of 27 \(Minimal\)/);
    assert.doesNotMatch(result.text, /Please reach out now|Crisis Lifeline/);

    const progress = await a.agent.get('/clinical/progress').expect(200);
    assert.match(progress.text, /<svg [^>]*role="img"/);
    assert.match(progress.text, /Change since intake: <strong>-7<\/strong>/);
    assert.match(progress.text, /<caption>PHQ-9 scores<\/caption>/);
  });

  it('shows crisis resources at once when item 9 is above 0', async () => {
    const csrf = await a.csrf();
    const res = await a.agent
      .post('/clinical/measures/phq9')
      .type('form')
      .send({ _csrf: csrf, ...phq([0, 0, 0, 0, 0, 0, 0, 0, 1]) })
      .expect(200);
    assert.match(res.text, /call your local emergency number now/, "Haven's own sentence: no text written");
    assert.match(res.text, /Please reach out now/);
    await a.agent.get('/clinical/crisis-help').expect(200);
  });

  it('the treating therapist sees scores, chart and alert; client B and others get 403', async () => {
    const th = await signIn(t.haven, therapist);
    const dash = await th.agent.get('/clinical').expect(200);
    assert.match(dash.text, /Alice Client<\/strong> answered above 0 on PHQ-9 item 9/);
    const record = await th.agent.get(`/clinical/clients/${clientA.user.id}`).expect(200);
    assert.match(record.text, /<svg [^>]*role="img"/);
    assert.match(record.text, /<td>1<\/td><td>Minimal \(item 9 above 0\)<\/td>/);

    const csrf = await th.csrf();
    const created = await th.agent
      .post(`/clinical/clients/${clientA.user.id}/notes`)
      .type('form')
      .send({ _csrf: csrf, template: 'soap' })
      .expect(303);
    const noteUrl = String(created.headers.location);
    const saved = await th.agent
      .post(noteUrl)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, revision: '1', subjective: 'Autosaved text' })
      .expect(200);
    assert.deepEqual(saved.body, { ok: true, revision: 2 });
    await th.agent
      .post(noteUrl)
      .type('form')
      .send({ _csrf: csrf, revision: '2', subjective: 'Final', sign: 'yes' })
      .expect(303);
    const note = await th.agent.get(noteUrl).expect(200);
    assert.match(note.text, /Signed and locked/);
    const late = await th.agent
      .post(noteUrl)
      .type('form')
      .send({ _csrf: csrf, revision: '3', subjective: 'Changed' });
    assert.equal(late.status, 409);

    const b = await signIn(t.haven, clientB);
    await b.agent.get(`/clinical/clients/${clientA.user.id}`).expect(403);
    await b.agent.get(noteUrl).expect(403);
    const ad = await signIn(t.haven, admin);
    await ad.agent.get(noteUrl).expect(403);
  });

  it('sends the admin to People to give a client a therapist, where therapists are chosen by name (no raw ids)', async () => {
    const ad = await signIn(t.haven, admin);
    const dashboard = (await ad.agent.get('/clinical').expect(200)).text;
    assert.match(dashboard, /href="\/admin\/people\?role=client"/);
    assert.doesNotMatch(dashboard, /user id/i);
    const people = (await ad.agent.get('/admin/people?role=client').expect(200)).text;
    assert.match(people, new RegExp(`/admin/people/${clientA.user.id}`));
    const person = (await ad.agent.get(`/admin/people/${clientA.user.id}`).expect(200)).text;
    assert.match(person, /<select[^>]*name="therapistId"/);
  });
});
