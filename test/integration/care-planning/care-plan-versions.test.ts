import assert from 'node:assert/strict';
import { isAppError, phrase } from '../../../server/shared/errors';
import { FakeClock } from '../../../server/shared/clock';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, type Cast } from '../clinical/clinical-fixtures';
import { planForm, signedPlan } from './care-planning-fixtures';

const code = (c: string) => (e: unknown) => isAppError(e) && e.code === c;

describe('care plan versions, signatures and reviews', function () {
  let t: TestHaven;
  let c: Cast;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));
    t = await startTestHaven({ clock });
    c = await cast(t.haven);
  });
  afterEach(async () => t.stop());

  it('refuses to change a signed plan; a review makes version 2 and keeps version 1 readable', async () => {
    const { plans } = t.haven.carePlanning;
    const v1 = await signedPlan(t.haven, c);
    assert.equal(v1.status, 'active');
    assert.equal(v1.reviewDueOn, '2026-04-10', 'due 90 days after signing by default');
    const labels = (await plans.interventions()).map((i) => i.label);
    await assert.rejects(
      plans.saveDraft(actor(c.therapist), v1.id, planForm(labels), v1.revision + 1),
      code('care.plan_signed'),
    );
    await assert.rejects(plans.sign(actor(c.therapist), v1.id), code('care.plan_signed'));

    // The client signs version 1 with their typed name; twice is refused.
    await plans.signAsClient(actor(c.clientA), v1.id, { typedName: 'Alice Client' });
    await assert.rejects(
      plans.signAsClient(actor(c.clientA), v1.id, { typedName: 'Alice' }),
      code('care.plan_client_signed'),
    );
    await assert.rejects(
      plans.signAsClient(actor(c.clientB), v1.id, { typedName: 'Bob' }),
      code('clinical.forbidden'),
    );

    clock.advance(80 * 86_400_000);
    const review = await plans.startDraft(actor(c.therapist), c.clientA.id);
    assert.equal(review.version, 2);
    assert.equal(review.previousId, v1.id);
    assert.deepEqual(review.body, v1.body, 'a review starts as a copy of the active plan');
    const form = {
      ...planForm(labels),
      g0_id: v1.body.goals[0]!.id,
      presentingProblems: 'Mood lifting; sleep still poor',
    };
    await plans.saveDraft(actor(c.therapist), review.id, form, review.revision);
    const v2 = await plans.sign(actor(c.therapist), review.id);
    assert.equal(v2.body.goals[0]!.id, v1.body.goals[0]!.id, 'goals keep their ids across versions');

    const versions = await plans.versions(actor(c.therapist), c.clientA.id);
    assert.deepEqual(
      versions.map((p) => [p.version, p.status]),
      [
        [2, 'active'],
        [1, 'superseded'],
      ],
    );
    const { plan: old } = await plans.read(actor(c.clientA), v1.id);
    assert.equal(old.body.presentingProblems, v1.body.presentingProblems, 'version 1 unchanged');
    assert.equal(old.clientSignature?.typedName, 'Alice Client');
    assert.equal(old.clientSignature?.ip, '127.0.0.1');
    assert.equal(v2.clientSignature, null, 'the client signs each version anew');
  });

  it('lists a review on the therapist dashboard 14 days before it is due and as overdue after', async () => {
    const { plans } = t.haven.carePlanning;
    await signedPlan(t.haven, c);
    assert.deepEqual(await plans.reviewsDue(actor(c.therapist)), []);
    clock.advance(76 * 86_400_000); // 2026-03-27: due 2026-04-10 is 14 days away
    const soon = await plans.reviewsDue(actor(c.therapist));
    assert.deepEqual(
      soon.map((r) => [r.clientId, r.dueOn, r.overdue]),
      [[c.clientA.id, '2026-04-10', false]],
    );
    clock.advance(15 * 86_400_000);
    assert.equal((await plans.reviewsDue(actor(c.therapist)))[0]?.overdue, true);
    assert.deepEqual(await plans.reviewsDue(actor(c.otherTherapist)), []);
  });

  it('rejects a draft autosave from a stale revision and a sign without goals', async () => {
    const { plans } = t.haven.carePlanning;
    const draft = await plans.startDraft(actor(c.therapist), c.clientA.id);
    await assert.rejects(plans.sign(actor(c.therapist), draft.id), code('care.plan_incomplete'));
    const labels = (await plans.interventions()).map((i) => i.label);
    const next = await plans.saveDraft(actor(c.therapist), draft.id, planForm(labels), draft.revision);
    await assert.rejects(
      plans.saveDraft(actor(c.therapist), draft.id, planForm(labels), draft.revision),
      code('care.plan_changed'),
    );
    await assert.rejects(
      plans.saveDraft(actor(c.therapist), draft.id, { ...planForm(labels), g0_o0_below: '40' }, next),
      (e: unknown) => {
        assert.ok(isAppError(e));
        assert.deepEqual(e.details?.g0_o0_below, phrase('care:problem.wholeNumber', { min: 1, max: 27 }));
        return true;
      },
    );
  });

  it('carries a diagnosis forward to later dates until it ends (what billing reads)', async () => {
    const { diagnoses } = t.haven.carePlanning;
    const me = actor(c.therapist);
    const gad = await diagnoses.add(me, c.clientA.id, {
      code: 'f411',
      rank: 'primary',
      onsetOn: '2026-01-05',
    });
    assert.equal(gad.code, 'F41.1');
    assert.equal(gad.description, 'Generalized anxiety disorder');
    await diagnoses.add(me, c.clientA.id, { code: 'Z63.0', rank: 'secondary', onsetOn: '2026-02-01' });
    await assert.rejects(
      diagnoses.add(me, c.clientA.id, { code: 'J20.0', rank: 'primary', onsetOn: '2026-01-05' }),
      code('care.unknown_code'),
    );
    const on = async (day: string) =>
      (await diagnoses.inForceOn(me, c.clientA.id, day, 'test')).map((d) => d.code);
    assert.deepEqual(await on('2026-01-04'), []);
    assert.deepEqual(await on('2026-01-20'), ['F41.1']);
    assert.deepEqual(await on('2026-06-01'), ['F41.1', 'Z63.0']);
    await assert.rejects(
      diagnoses.end(me, gad.id, { endedOn: '2026-01-01' }),
      code('care.diagnosis_invalid'),
    );
    await diagnoses.end(me, gad.id, { endedOn: '2026-03-01' });
    assert.deepEqual(await on('2026-03-01'), ['F41.1', 'Z63.0'], 'in force on its last day');
    assert.deepEqual(await on('2026-03-02'), ['Z63.0']);
    await assert.rejects(diagnoses.end(me, gad.id, { endedOn: '2026-04-01' }), code('care.diagnosis_ended'));
  });

  it('saves homework at the loaded revision only, so a replayed autosave cannot overwrite newer answers', async () => {
    const { homework } = t.haven.carePlanning;
    const h = await homework.assign(actor(c.therapist), c.clientA.id, {
      exercise: 'thought_record',
      instructions: '',
      dueOn: '2026-01-17',
    });
    const r2 = await homework.answer(actor(c.clientA), h.id, { situation: 'Meeting' }, 1, false);
    const r3 = await homework.answer(actor(c.clientA), h.id, { situation: 'Meeting with boss' }, r2, false);
    await assert.rejects(
      homework.answer(actor(c.clientA), h.id, { situation: 'old tab' }, r2, false),
      code('care.homework_changed'),
    );
    await assert.rejects(
      homework.answer(actor(c.clientA), h.id, { situation: 'x' }, r3, true),
      code('care.homework_invalid'),
    );
    const done = {
      situation: 'Meeting with boss',
      automaticThought: 'I will be fired',
      emotion: 'Anxious',
      emotionBefore: '85',
      balancedThought: 'One meeting is not my whole record',
      emotionAfter: '40',
    };
    await homework.answer(actor(c.clientA), h.id, done, r3, true);
    const read = await homework.read(actor(c.therapist), h.id);
    assert.equal(read.status, 'completed');
    assert.equal(read.answers.emotionAfter, '40');
    await assert.rejects(
      homework.answer(actor(c.clientA), h.id, done, r3 + 1, false),
      code('care.homework_done'),
    );
  });
});
