import { z } from 'zod';
import { SPECIALTIES, TIMES } from '../directory';
import { AppError, type ErrorCode } from '../shared/errors';
import { DIFFICULTY_OPTIONS, MEASURES, type MeasureId } from './measures';

const line = (max: number, label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} is at most ${max} characters.`);
const optionalLine = (max: number) => z.string().trim().max(max).optional().default('');
const asList = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

export const intakeFormSchema = z.object({
  emergencyContactName: line(120, 'Emergency contact name'),
  emergencyContactPhone: z
    .string()
    .trim()
    .regex(/^[+0-9 ().-]{5,30}$/, 'Emergency contact phone should be a phone number.'),
  location: line(120, 'Your current location'),
  reasons: line(5000, 'What brings you here'),
  goals: line(5000, 'Your goals'),
  preferredLanguage: optionalLine(60),
  preferredFormat: optionalLine(30),
  preferredApproach: optionalLine(40),
  /** Topics and times for matching; a form sends one value or several under the same name. */
  topics: z.preprocess(asList, z.array(z.enum(SPECIALTIES)).max(SPECIALTIES.length)).default([]),
  preferredTimes: z.preprocess(asList, z.array(z.enum(TIMES)).max(TIMES.length)).default([]),
});
export type IntakeForm = z.output<typeof intakeFormSchema>;

export const consentFormSchema = z.object({
  typedName: line(120, 'Your full name'),
  version: z.coerce.number().int().min(1),
});

export const safetyCheckSchema = z.object({
  location: line(200, 'Your current location'),
  callbackNumber: z
    .string()
    .trim()
    .regex(/^[+0-9 ().-]{5,30}$/, 'The callback number should be a phone number.'),
  /**
   * "Are you at home?" — billing's place of service (10 at home, 02 elsewhere) comes from this.
   * Optional: a client who skips it is billed as elsewhere until the therapist corrects it.
   */
  atHome: z
    .enum(['yes', 'no', ''], { error: 'Answer yes or no.' })
    .optional()
    .transform((v) => (v === 'yes' ? true : v === 'no' ? false : null)),
  appointmentId: z.string().trim().max(36).optional(),
});

const scale = (label: string) =>
  z.coerce
    .number({ error: `${label}: choose 0 to 10.` })
    .int(`${label}: choose 0 to 10.`)
    .min(0, `${label}: choose 0 to 10.`)
    .max(10, `${label}: choose 0 to 10.`);

export const feedbackSchema = z.object({
  therapistId: z.string().trim().min(1).max(36),
  appointmentId: z.string().trim().max(36).optional(),
  heard: scale('Heard and understood'),
  goals: scale('Goals and topics'),
  approach: scale('Approach fit'),
  overall: scale('Overall'),
  comment: optionalLine(5000),
});

export const noteTemplateSchema = z.enum(['soap', 'dap']);

/** Parses a schema or throws one AppError naming the first problem (shown next to the form). */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, code: ErrorCode): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError(code, 'bad_request', issue?.message ?? 'Please check the form.', {
    [String(issue?.path[0] ?? 'form')]: issue?.message ?? 'invalid',
  });
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
      throw new AppError(
        'clinical.incomplete_answers',
        'bad_request',
        `${def.name}: please answer question ${i + 1}.`,
        {
          form: `${def.name}: please answer question ${i + 1}.`,
          [`${measure}_${i}`]: 'Please choose an answer.',
        },
      );
    }
    return value;
  });
  const rawDifficulty = form[`${measure}_difficulty`];
  const difficulty = (DIFFICULTY_OPTIONS as readonly string[]).includes(String(rawDifficulty))
    ? (rawDifficulty as (typeof DIFFICULTY_OPTIONS)[number])
    : null;
  return { answers, difficulty };
}
