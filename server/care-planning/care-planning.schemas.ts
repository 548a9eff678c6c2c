import { z } from 'zod';
import { isMeasureId, MEASURES } from '../clinical';
import { phrase, type ErrorCode, type Problem } from '../shared/errors';
import { fieldsRefusal, formRefusal } from '../shared/form-refusal';
import { newId } from '../shared/ids';
import {
  GOAL_STATUSES,
  SAFETY_PLAN_SECTIONS,
  type Goal,
  type GoalStatus,
  type IsoDay,
  type Objective,
  type PlanBody,
  type SafetyPlanBody,
} from './care-planning.types';

/** How many goals and objectives per goal the plan form offers. */
export const MAX_GOALS = 5;
export const MAX_OBJECTIVES = 3;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written `YYYY-MM-DD` (what an <input type="date"> sends). */
export function isIsoDay(value: string): value is IsoDay {
  if (!DAY_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function fail(code: ErrorCode, errors: Record<string, Problem>): never {
  throw fieldsRefusal(code, errors);
}

/** A text of at most `max` characters; its problems are keys the page writes in the reader's words. */
const text = (max: number) => z.string().trim().max(max, 'errors:field.atMost');
const atMost = (max: number) => phrase('errors:field.atMost', { max });

export const diagnosisSchema = z.object({
  code: z.string().trim().min(1, 'care:problem.chooseCode').max(10, 'care:problem.chooseCode'),
  rank: z.enum(['primary', 'secondary'], { message: 'care:problem.rank' }),
  onsetOn: z.string().refine(isIsoDay, 'care:problem.startDate'),
});

export const endDiagnosisSchema = z.object({
  endedOn: z.string().refine(isIsoDay, 'care:problem.endDate'),
});

export const clientSignatureSchema = z.object({
  typedName: text(200).min(2, 'clinical:problem.required.typedName'),
});

export const homeworkAssignmentSchema = z.object({
  exercise: z.enum(['thought_record', 'activity_log', 'worry_log', 'journal'], {
    message: 'care:problem.chooseExercise',
  }),
  instructions: text(4000),
  dueOn: z.string().refine(isIsoDay, 'care:problem.dueDate'),
});

/** Parses with a zod schema; problems become an AppError with one message per field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, code: ErrorCode): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw formRefusal(code, result.error.issues);
}

/** Every form field name the plan editor posts (the HTTP route declares exactly these). */
export function planFieldNames(): string[] {
  const names = ['presentingProblems', 'sessionFrequency', 'expectedDuration'];
  for (let g = 0; g < MAX_GOALS; g += 1) {
    names.push(
      ...['id', 'client', 'clinician', 'targetDate', 'status', 'interventions'].map((f) => `g${g}_${f}`),
    );
    for (let o = 0; o < MAX_OBJECTIVES; o += 1) {
      names.push(...['id', 'text', 'measure', 'below', 'date'].map((f) => `g${g}_o${o}_${f}`));
    }
  }
  return names;
}

const str = (form: Readonly<Record<string, unknown>>, key: string): string => {
  const v = form[key];
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '';
};
const list = (form: Readonly<Record<string, unknown>>, key: string): string[] => {
  const v = form[key];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
};
const keepId = (raw: string) => (/^[0-9a-f-]{36}$/.test(raw) ? raw : newId());

/**
 * The plan editor's form → a plan body. Empty goal and objective slots are dropped; a goal needs the
 * client's or the clinician's words; a score target needs a measure and a total within its scale.
 * Interventions are kept only if they are on the clinic's list (given).
 */
export function planFromForm(
  form: Readonly<Record<string, unknown>>,
  interventions: readonly string[],
): PlanBody {
  const errors: Record<string, Problem> = {};
  const long = (key: string, max: number) => {
    const value = str(form, key);
    if (value.length > max) errors[key] = atMost(max);
    return value;
  };
  const day = (key: string): IsoDay | null => {
    const value = str(form, key);
    if (!value) return null;
    if (!isIsoDay(value)) errors[key] = phrase('care:problem.date');
    return value;
  };
  const goals: Goal[] = [];
  for (let g = 0; g < MAX_GOALS; g += 1) {
    const p = `g${g}_`;
    const clientWords = long(`${p}client`, 2000);
    const clinicianWords = long(`${p}clinician`, 2000);
    const objectives: Objective[] = [];
    for (let o = 0; o < MAX_OBJECTIVES; o += 1) {
      const q = `${p}o${o}_`;
      const objectiveText = long(`${q}text`, 1000);
      const measureRaw = str(form, `${q}measure`);
      const belowRaw = str(form, `${q}below`);
      const targetDate = day(`${q}date`);
      if (!objectiveText && !measureRaw && !belowRaw && !targetDate) continue;
      let measure: Objective['measure'] = null;
      let below: number | null = null;
      if (measureRaw || belowRaw) {
        if (!isMeasureId(measureRaw)) errors[`${q}measure`] = phrase('care:problem.scoreMeasure');
        else {
          measure = measureRaw;
          const n = Number(belowRaw);
          if (!belowRaw || !Number.isInteger(n) || n < 1 || n > MEASURES[measureRaw].maxScore) {
            errors[`${q}below`] = phrase('care:problem.wholeNumber', {
              min: 1,
              max: MEASURES[measureRaw].maxScore,
            });
          } else below = n;
        }
      }
      if (!objectiveText) errors[`${q}text`] = phrase('care:problem.describeObjective');
      objectives.push({ id: keepId(str(form, `${q}id`)), text: objectiveText, measure, below, targetDate });
    }
    const chosen = list(form, `${p}interventions`);
    const unknown = chosen.filter((c) => !interventions.includes(c));
    if (unknown.length > 0) errors[`${p}interventions`] = phrase('care:problem.interventionsFromList');
    const statusRaw = str(form, `${p}status`) || 'active';
    const targetDate = day(`${p}targetDate`);
    if (!clientWords && !clinicianWords && objectives.length === 0 && chosen.length === 0) continue;
    if (!clientWords && !clinicianWords) errors[`${p}client`] = phrase('care:problem.goalWords');
    if (!(GOAL_STATUSES as readonly string[]).includes(statusRaw))
      errors[`${p}status`] = phrase('care:problem.chooseStatus');
    goals.push({
      id: keepId(str(form, `${p}id`)),
      clientWords,
      clinicianWords,
      objectives,
      interventions: chosen.filter((c) => interventions.includes(c)),
      targetDate,
      status: statusRaw as GoalStatus,
    });
  }
  const body: PlanBody = {
    presentingProblems: long('presentingProblems', 10_000),
    goals,
    sessionFrequency: long('sessionFrequency', 200),
    expectedDuration: long('expectedDuration', 200),
  };
  if (Object.keys(errors).length > 0) fail('care.plan_invalid', errors);
  return body;
}

/** What signing needs on top of a valid draft: something to sign. */
export function signable(body: PlanBody): void {
  const errors: Record<string, Problem> = {};
  if (!body.presentingProblems) errors.presentingProblems = phrase('care:problem.presentingFirst');
  if (body.goals.length === 0) errors.g0_client = phrase('care:problem.goalFirst');
  if (Object.keys(errors).length > 0) fail('care.plan_incomplete', errors);
}

/** How long one step of a safety plan may be, in characters. */
const SAFETY_SECTION_MAX = 4000;

export function safetyPlanFromForm(form: Readonly<Record<string, unknown>>): SafetyPlanBody {
  const errors: Record<string, Problem> = {};
  const body = {} as Record<string, string>;
  for (const { key } of SAFETY_PLAN_SECTIONS) {
    const value = str(form, key);
    if (value.length > SAFETY_SECTION_MAX) errors[key] = atMost(SAFETY_SECTION_MAX);
    body[key] = value;
  }
  if (Object.values(body).every((v) => !v)) errors.warningSigns = phrase('care:problem.fillSection');
  if (Object.keys(errors).length > 0) fail('care.safety_plan_invalid', errors);
  return body as SafetyPlanBody;
}

/** An empty plan body (a first draft). */
export const EMPTY_PLAN: PlanBody = {
  presentingProblems: '',
  goals: [],
  sessionFrequency: '',
  expectedDuration: '',
};
