import { z } from 'zod';
import { SPECIALTIES, TIMES } from '../directory';
import { AppError, phrase, type ErrorCode } from '../shared/errors';
import { formRefusal } from '../shared/form-refusal';
import { DIFFICULTY_OPTIONS, MEASURES, type MeasureId } from './measures';

/** A line a person must fill in; `required` is the key that names what is missing. */
const line = (max: number, required: string) =>
  z.string({ error: required }).trim().min(1, required).max(max, 'errors:field.atMost');
const optionalLine = (max: number) =>
  z.string().trim().max(max, 'errors:field.atMost').optional().default('');
const asList = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

export const intakeFormSchema = z.object({
  emergencyContactName: line(120, 'clinical:problem.required.emergencyContactName'),
  emergencyContactPhone: z
    .string()
    .trim()
    .regex(/^[+0-9 ().-]{5,30}$/, 'clinical:problem.emergencyContactPhone'),
  location: line(120, 'clinical:problem.required.location'),
  reasons: line(5000, 'clinical:problem.required.reasons'),
  goals: line(5000, 'clinical:problem.required.goals'),
  preferredLanguage: optionalLine(60),
  preferredFormat: optionalLine(30),
  preferredApproach: optionalLine(40),
  /** Topics and times for matching; a form sends one value or several under the same name. */
  topics: z.preprocess(asList, z.array(z.enum(SPECIALTIES)).max(SPECIALTIES.length)).default([]),
  preferredTimes: z.preprocess(asList, z.array(z.enum(TIMES)).max(TIMES.length)).default([]),
});
export type IntakeForm = z.output<typeof intakeFormSchema>;

export const consentFormSchema = z.object({
  typedName: line(120, 'clinical:problem.required.typedName'),
  version: z.coerce.number().int().min(1),
});

export const safetyCheckSchema = z.object({
  location: line(200, 'clinical:problem.required.location'),
  callbackNumber: z
    .string()
    .trim()
    .regex(/^[+0-9 ().-]{5,30}$/, 'clinical:problem.callbackNumber'),
  /**
   * "Are you at home?" — billing's place of service (10 at home, 02 elsewhere) comes from this.
   * Optional: a client who skips it is billed as elsewhere until the therapist corrects it.
   */
  atHome: z
    .enum(['yes', 'no', ''], { error: 'clinical:problem.yesOrNo' })
    .optional()
    .transform((v) => (v === 'yes' ? true : v === 'no' ? false : null)),
  appointmentId: z.string().trim().max(36).optional(),
});

/** A 0–10 rating (its problem is shown next to the scale it belongs to). */
const SCALE_PROBLEM = 'clinical:problem.scaleChoice';
const scale = () =>
  z.coerce.number({ error: SCALE_PROBLEM }).int(SCALE_PROBLEM).min(0, SCALE_PROBLEM).max(10, SCALE_PROBLEM);

export const feedbackSchema = z.object({
  therapistId: z.string().trim().min(1).max(36),
  appointmentId: z.string().trim().max(36).optional(),
  heard: scale(),
  goals: scale(),
  approach: scale(),
  overall: scale(),
  comment: optionalLine(5000),
});

export const noteTemplateSchema = z.enum(['soap', 'dap']);

/** Parses a schema or throws an AppError naming each field's first problem (shown next to the form). */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, code: ErrorCode): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw formRefusal(code, parsed.error.issues);
}

/**
 * Reads a questionnaire's answers from form fields `<measure>_0` … `<measure>_n`. A missing or
 * unexpected answer is refused with a clear message rather than counted as 0: an unanswered item
 * is not "Not at all".
 */
export function answersFromForm(
  measure: MeasureId,
  form: Readonly<Record<string, unknown>>,
): { answers: number[]; difficulty: (typeof DIFFICULTY_OPTIONS)[number] | null } {
  const def = MEASURES[measure];
  const answers = def.items.map((_, i) => {
    const raw = form[`${measure}_${i}`];
    const value = typeof raw === 'string' && /^[0-3]$/.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(value)) {
      const unanswered = phrase('clinical:problem.answerQuestion', { measure: def.name, number: i + 1 });
      throw new AppError('clinical.incomplete_answers', 'bad_request', unanswered, {
        form: unanswered,
        [`${measure}_${i}`]: phrase('clinical:problem.chooseAnswer'),
      });
    }
    return value;
  });
  const rawDifficulty = form[`${measure}_difficulty`];
  const difficulty = (DIFFICULTY_OPTIONS as readonly string[]).includes(String(rawDifficulty))
    ? (rawDifficulty as (typeof DIFFICULTY_OPTIONS)[number])
    : null;
  return { answers, difficulty };
}
