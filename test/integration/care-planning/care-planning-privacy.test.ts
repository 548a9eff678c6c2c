import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAppError } from '../../../server/shared/errors';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, type Cast } from '../clinical/clinical-fixtures';
import { everyoneElse, signedPlan } from './care-planning-fixtures';
import { auditEvents } from '../../support/audit-trail';

const forbidden = (error: unknown) => isAppError(error) && error.code === 'clinical.forbidden';

describe('care planning privacy', function () {
  let t: TestHaven;
  let c: Cast;

  beforeEach(async () => {
    t = await startTestHaven();
    c = await cast(t.haven);
  });
  afterEach(async () => t.stop());

  it('gives client B, an unassigned therapist, a peer supporter and an admin without break-glass nothing', async () => {
    const { diagnoses, plans, homework } = t.haven.carePlanning;
    const me = actor(c.therapist);
    const diagnosis = await diagnoses.add(me, c.clientA.id, {
      code: 'F41.1',
      rank: 'primary',
      onsetOn: '2026-01-05',
    });
    const plan = await signedPlan(t.haven, c);
    const exercise = await homework.assign(me, c.clientA.id, {
      exercise: 'thought_record',
      instructions: 'After a hard moment at work',
      dueOn: '2026-02-01',
    });
    await homework.saveSafetyPlan(me, c.clientA.id, { warningSigns: 'Not sleeping', helpers: 'Sam' });

    for (const who of everyoneElse(c)) {
      await assert.rejects(diagnoses.list(who, c.clientA.id), forbidden);
      await assert.rejects(diagnoses.inForceOn(who, c.clientA.id, '2026-02-01', 'test'), forbidden);
      await assert.rejects(diagnoses.end(who, diagnosis.id, { endedOn: '2026-02-01' }), forbidden);
      await assert.rejects(plans.read(who, plan.id), forbidden);
      await assert.rejects(plans.versions(who, c.clientA.id), forbidden);
      await assert.rejects(plans.startDraft(who, c.clientA.id), forbidden);
      await assert.rejects(homework.read(who, exercise.id), forbidden);
      await assert.rejects(homework.list(who, c.clientA.id), forbidden);
      await assert.rejects(homework.answer(who, exercise.id, { situation: 'x' }, 1, false), forbidden);
      await assert.rejects(homework.safetyPlans(who, c.clientA.id), forbidden);
      await assert.rejects(homework.saveSafetyPlan(who, c.clientA.id, { warningSigns: 'x' }), forbidden);
    }
    // Client A reads their plan, exercise and safety plan, but not the diagnosis list (the therapist's).
    await assert.rejects(diagnoses.list(actor(c.clientA), c.clientA.id), forbidden);
    assert.equal((await plans.read(actor(c.clientA), plan.id)).plan.version, 1);
    assert.equal((await homework.read(actor(c.clientA), exercise.id)).exercise, 'thought_record');
    assert.equal((await homework.safetyPlans(actor(c.clientA), c.clientA.id))[0]?.body.helpers, 'Sam');

    // Every refusal and every read is in the audit trail, naming who and how.
    const rows = await auditEvents(t.haven, { subjectId: c.clientA.id });
    const denied = rows.filter((r) => r.action === 'clinical.access_denied');
    assert.equal(denied.length, 4 * 11 + 1);
    const reads = rows.filter((r) =>
      ['care_plan.read', 'homework.read', 'safety_plan.read'].includes(r.action),
    );
    assert.deepEqual(
      reads.map((r) => [r.action, r.actorId, JSON.parse(r.details ?? '{}').via]),
      [
        ['care_plan.read', c.clientA.id, 'self'],
        ['homework.read', c.clientA.id, 'self'],
        ['safety_plan.read', c.clientA.id, 'self'],
      ],
    );
  });

  it('opens to an admin only under break-glass, read-only, and shows it in the audit', async () => {
    const plan = await signedPlan(t.haven, c);
    await t.haven.clinical.care.breakGlass(
      actor(c.admin),
      c.clientA.id,
      'Client unreachable after crisis alert',
    );
    const { plan: seen } = await t.haven.carePlanning.plans.read(actor(c.admin), plan.id);
    assert.equal(seen.id, plan.id);
    await assert.rejects(t.haven.carePlanning.plans.startDraft(actor(c.admin), c.clientA.id), forbidden);
    const rows = await auditEvents(t.haven, { subjectId: c.clientA.id });
    const read = rows.find((r) => r.action === 'care_plan.read' && r.actorId === c.admin.id);
    assert.equal(JSON.parse(read!.details!).via, 'break_glass');
  });

  it('hides drafts from the client: a draft is "not found" and absent from their list', async () => {
    const draft = await t.haven.carePlanning.plans.startDraft(actor(c.therapist), c.clientA.id);
    await assert.rejects(
      t.haven.carePlanning.plans.read(actor(c.clientA), draft.id),
      (e: unknown) => isAppError(e) && e.code === 'care.plan_not_found',
    );
    assert.deepEqual(await t.haven.carePlanning.plans.versions(actor(c.clientA), c.clientA.id), []);
    assert.equal((await t.haven.carePlanning.plans.versions(actor(c.therapist), c.clientA.id)).length, 1);
  });

  it('stores plan text, diagnoses, homework answers and safety plans only as ciphertext', async () => {
    const { diagnoses, homework } = t.haven.carePlanning;
    await diagnoses.add(actor(c.therapist), c.clientA.id, {
      code: 'F33.1',
      rank: 'primary',
      onsetOn: '2026-01-05',
    });
    await signedPlan(t.haven, c);
    const exercise = await homework.assign(actor(c.therapist), c.clientA.id, {
      exercise: 'journal',
      instructions: 'INSTRUCTION-MARKER write about Sunday',
      dueOn: '2026-02-01',
    });
    await homework.answer(
      actor(c.clientA),
      exercise.id,
      { entry: 'ANSWER-MARKER I walked to the sea' },
      1,
      true,
    );
    await homework.saveSafetyPlan(actor(c.therapist), c.clientA.id, {
      reasonsForLiving: 'SAFETY-MARKER my sister',
    });
    await t.haven.carePlanning.plans.signAsClient(
      actor(c.clientA),
      (await t.haven.carePlanning.plans.versions(actor(c.therapist), c.clientA.id))[0]!.id,
      {
        typedName: 'SIGNATURE-MARKER Alice',
      },
    );
    await t.haven.close();
    const raw = readFileSync(`${t.dataDir}/haven.sqlite`).toString('latin1');
    for (const marker of [
      'PLAN-MARKER',
      'Feel like myself again',
      'Generalized anxiety',
      'recurrent, moderate',
      'INSTRUCTION-MARKER',
      'ANSWER-MARKER',
      'SAFETY-MARKER',
      'SIGNATURE-MARKER',
    ]) {
      assert.equal(raw.includes(marker), false, `${marker} is in the database file`);
    }
    assert.equal(raw.includes('F33.1'), false, 'the diagnosis code is sealed too');
  });
});
