import type { Haven } from '../../../server/app';
import type { ClinicalActor } from '../../../server/clinical';
import { actor, type Cast } from '../clinical/clinical-fixtures';

/** A plan form with one goal targeting PHQ-9 below 10 by the given day, ready to sign. */
export function planForm(interventions: readonly string[], byDay = '2026-03-01'): Record<string, unknown> {
  return {
    presentingProblems: 'PLAN-MARKER low mood since the move',
    sessionFrequency: 'Weekly',
    expectedDuration: '12 weeks',
    g0_client: 'Feel like myself again',
    g0_clinician: 'Reduce depressive symptoms',
    g0_status: 'active',
    g0_targetDate: byDay,
    g0_interventions: [interventions[0]!],
    g0_o0_text: 'PHQ-9 below 10',
    g0_o0_measure: 'phq9',
    g0_o0_below: '10',
    g0_o0_date: byDay,
  };
}

/** The therapist writes and signs version 1 of client A's plan; returns it. */
export async function signedPlan(haven: Haven, c: Cast) {
  const { plans } = haven.carePlanning;
  const draft = await plans.startDraft(actor(c.therapist), c.clientA.id);
  const labels = (await plans.interventions()).map((i) => i.label);
  await plans.saveDraft(actor(c.therapist), draft.id, planForm(labels), draft.revision);
  return plans.sign(actor(c.therapist), draft.id);
}

export const everyoneElse = (c: Cast): ClinicalActor[] =>
  [c.clientB, c.otherTherapist, c.peer, c.admin].map((u) => actor(u));
