import { createHash } from 'node:crypto';
import { ICD10CM_SYSTEM, type CarePlan, type Diagnosis, type Goal } from '../care-planning';
import { MEASURES, type MeasureId } from '../clinical';
import type { SubjectData } from './data-rights.types';

/**
 * Care planning in the export's FHIR R4 bundle: a Condition per diagnosis (ICD-10-CM), a CarePlan
 * per signed plan version, and a Goal per goal of each version. A score objective becomes a
 * Goal.target whose measure is the LOINC code of the questionnaire total (44261-6 PHQ-9, 70274-6
 * GAD-7) with a "less than" quantity; other objectives are Goal notes. References are the entries'
 * `urn:uuid:` fullUrls, so they resolve inside the bundle.
 */
type Resource = Record<string, unknown> & { resourceType: string; id: string };
type Ref = { reference: string; type: string; display?: string };

const ref = (id: string, type: string, display?: string): Ref => ({
  reference: `urn:uuid:${id}`,
  type,
  ...(display ? { display } : {}),
});

/** LOINC codes of the questionnaire totals a goal can target. */
export const TOTAL_SCORE_LOINC: Readonly<Record<MeasureId, { code: string; display: string }>> = {
  phq9: { code: '44261-6', display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]' },
  gad7: {
    code: '70274-6',
    display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
  },
};

/**
 * A goal keeps its id across plan versions (so notes stay linked), but each version's Goal is its own
 * resource: its id is a name-based UUID of plan and goal, stable across exports.
 */
export function goalResourceId(planId: string, goalId: string): string {
  const h = createHash('sha256').update(`${planId}:${goalId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const GOAL_LIFECYCLE: Record<Goal['status'], string> = {
  active: 'active',
  met: 'completed',
  revised: 'cancelled',
  discontinued: 'cancelled',
};

function condition(d: Diagnosis, patient: Ref, names: SubjectData['names']): Resource {
  return {
    resourceType: 'Condition',
    id: d.id,
    clinicalStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          code: d.endedOn ? 'resolved' : 'active',
        },
      ],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: { coding: [{ system: ICD10CM_SYSTEM, code: d.code, display: d.description }], text: d.description },
    subject: patient,
    onsetDateTime: d.onsetOn,
    ...(d.endedOn ? { abatementDateTime: d.endedOn } : {}),
    recordedDate: d.createdAt.toISOString(),
    recorder: ref(d.recordedBy, 'Practitioner', names.get(d.recordedBy)),
    note: [{ text: d.rank === 'primary' ? 'Primary diagnosis' : 'Secondary diagnosis' }],
  };
}

function goal(plan: CarePlan, g: Goal, patient: Ref, addresses: Ref[]): Resource {
  const scoreObjectives = g.objectives.filter((o) => o.measure && o.below !== null);
  const otherObjectives = g.objectives.filter((o) => !(o.measure && o.below !== null));
  return {
    resourceType: 'Goal',
    id: goalResourceId(plan.id, g.id),
    lifecycleStatus: GOAL_LIFECYCLE[g.status],
    ...(g.status === 'met'
      ? {
          achievementStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'achieved' }],
          },
        }
      : {}),
    description: { text: g.clinicianWords || g.clientWords },
    subject: patient,
    ...(plan.signedAt ? { startDate: plan.signedAt.toISOString().slice(0, 10) } : {}),
    ...(g.clientWords ? { expressedBy: patient } : {}),
    ...(addresses.length ? { addresses } : {}),
    target: [
      ...scoreObjectives.map((o) => ({
        measure: {
          coding: [{ system: 'http://loinc.org', ...TOTAL_SCORE_LOINC[o.measure as MeasureId] }],
          text: `${MEASURES[o.measure as MeasureId].name} total score`,
        },
        detailQuantity: {
          value: o.below,
          comparator: '<',
          unit: '{score}',
          system: 'http://unitsofmeasure.org',
          code: '{score}',
        },
        ...(o.targetDate ? { dueDate: o.targetDate } : {}),
      })),
      ...(g.targetDate && scoreObjectives.length === 0 ? [{ dueDate: g.targetDate }] : []),
    ],
    note: [
      ...(g.clientWords ? [{ text: `In the client's words: ${g.clientWords}` }] : []),
      ...scoreObjectives.map((o) => ({ text: `Objective: ${o.text}` })),
      ...otherObjectives.map((o) => ({
        text: `Objective: ${o.text}${o.targetDate ? ` (by ${o.targetDate})` : ''}`,
      })),
    ],
  };
}

/** The Condition, Goal and CarePlan resources of one export, in that order. */
export function careResources(data: SubjectData, patient: Ref): Resource[] {
  const out: Resource[] = data.care.diagnoses.map((d) => condition(d, patient, data.names));
  const planIds = new Set(data.care.plans.map((p) => p.id));
  for (const plan of data.care.plans) {
    // The diagnoses in force when the plan was signed are the conditions it addresses.
    const day = (plan.signedAt ?? plan.createdAt).toISOString().slice(0, 10);
    const addresses = data.care.diagnoses
      .filter((d) => d.onsetOn <= day && (d.endedOn === null || d.endedOn >= day))
      .map((d) => ref(d.id, 'Condition', d.description));
    const goals = plan.body.goals.map((g) => goal(plan, g, patient, addresses));
    out.push(...goals);
    const running = plan.status === 'active';
    out.push({
      resourceType: 'CarePlan',
      id: plan.id,
      status: running ? 'active' : 'revoked',
      intent: 'plan',
      title: `Treatment plan, version ${plan.version}`,
      description: plan.body.presentingProblems,
      subject: patient,
      created: plan.createdAt.toISOString(),
      ...(plan.signedAt
        ? {
            period: {
              start: plan.signedAt.toISOString(),
              ...(plan.supersededAt ? { end: plan.supersededAt.toISOString() } : {}),
            },
          }
        : {}),
      author: ref(plan.therapistId, 'Practitioner', data.names.get(plan.therapistId)),
      ...(plan.previousId && planIds.has(plan.previousId)
        ? { replaces: [ref(plan.previousId, 'CarePlan')] }
        : {}),
      ...(addresses.length ? { addresses } : {}),
      goal: goals.map((g) => ref(g.id, 'Goal')),
      activity: plan.body.goals.flatMap((g) =>
        g.interventions.map((label) => ({
          detail: {
            status: running ? 'in-progress' : 'stopped',
            description: label,
            goal: [ref(goalResourceId(plan.id, g.id), 'Goal')],
          },
        })),
      ),
      note: [
        ...(plan.body.sessionFrequency ? [{ text: `Session frequency: ${plan.body.sessionFrequency}` }] : []),
        ...(plan.body.expectedDuration ? [{ text: `Expected duration: ${plan.body.expectedDuration}` }] : []),
        ...(plan.clientSignature
          ? [{ text: `Signed by the client on ${plan.clientSignature.at.toISOString()}` }]
          : []),
      ],
    });
  }
  return out;
}
