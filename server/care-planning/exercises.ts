import { AppError, phrase, type Problem } from '../shared/errors';
import type { ExerciseKind, HomeworkAnswers } from './care-planning.types';

/** One field of an exercise form. Ratings are whole numbers from 0 to `max`. */
export interface ExerciseField {
  readonly key: string;
  readonly label: string;
  readonly kind: 'text' | 'long' | 'rating';
  readonly max?: number;
  /** Must be filled before the exercise can be marked done. */
  readonly required?: boolean;
}

/** An exercise of the library: single fields, or a log of `rows` entries of the same fields. */
export interface ExerciseDefinition {
  readonly kind: ExerciseKind;
  readonly name: string;
  readonly description: string;
  readonly fields: readonly ExerciseField[];
  /** For logs: how many entries the form offers (answers are keyed `field.N`). */
  readonly rows?: number;
}

/** The between-session library. The wording is Haven's own; the structures are the standard CBT ones. */
export const EXERCISES: Readonly<Record<ExerciseKind, ExerciseDefinition>> = {
  thought_record: {
    kind: 'thought_record',
    name: 'Thought record',
    description: 'Catch a thought that upset you, weigh it, and find a more balanced one.',
    fields: [
      { key: 'situation', label: 'Situation: where were you, what happened?', kind: 'long', required: true },
      {
        key: 'automaticThought',
        label: 'The thought that went through your mind',
        kind: 'long',
        required: true,
      },
      {
        key: 'emotion',
        label: 'The emotion you felt (for example sad, anxious, angry)',
        kind: 'text',
        required: true,
      },
      {
        key: 'emotionBefore',
        label: 'How strong was it? (0 to 100)',
        kind: 'rating',
        max: 100,
        required: true,
      },
      { key: 'evidenceFor', label: 'Evidence that supports the thought', kind: 'long' },
      { key: 'evidenceAgainst', label: 'Evidence that does not support it', kind: 'long' },
      { key: 'balancedThought', label: 'A more balanced thought', kind: 'long', required: true },
      { key: 'emotionAfter', label: 'How strong is the emotion now? (0 to 100)', kind: 'rating', max: 100 },
    ],
  },
  activity_log: {
    kind: 'activity_log',
    name: 'Activity log',
    description: 'Write down what you did and rate your mood, to see which activities help.',
    rows: 7,
    fields: [
      { key: 'when', label: 'When', kind: 'text' },
      { key: 'activity', label: 'What you did', kind: 'text', required: true },
      { key: 'mood', label: 'Mood (0 low to 10 good)', kind: 'rating', max: 10 },
    ],
  },
  worry_log: {
    kind: 'worry_log',
    name: 'Worry and exposure log',
    description: 'Note a worry or a situation you faced, and how your anxiety changed.',
    rows: 5,
    fields: [
      { key: 'when', label: 'When', kind: 'text' },
      { key: 'situation', label: 'The worry or situation', kind: 'text', required: true },
      { key: 'before', label: 'Anxiety before (0 to 100)', kind: 'rating', max: 100 },
      { key: 'did', label: 'What you did', kind: 'text' },
      { key: 'after', label: 'Anxiety after (0 to 100)', kind: 'rating', max: 100 },
    ],
  },
  journal: {
    kind: 'journal',
    name: 'Journal',
    description: 'Write freely about the prompt your therapist gave you.',
    fields: [{ key: 'entry', label: 'Your entry', kind: 'long', required: true }],
  },
};

const LIMIT = { text: 500, long: 10_000, rating: 3 } as const;

/** Every answer key an exercise accepts (log fields once per row). */
export function answerKeys(def: ExerciseDefinition): string[] {
  if (!def.rows) return def.fields.map((f) => f.key);
  const keys: string[] = [];
  for (let row = 0; row < def.rows; row += 1) for (const f of def.fields) keys.push(`${f.key}.${row}`);
  return keys;
}

/** Every answer key of every exercise (what an HTTP route may accept). */
export const ALL_ANSWER_KEYS: readonly string[] = [
  ...new Set(Object.values(EXERCISES).flatMap((def) => answerKeys(def))),
];

/**
 * Keeps only the exercise's own fields, trimmed; checks lengths and ratings. With `complete`, the
 * required fields must be filled (for a log: at least one entry, with its required fields).
 */
export function normaliseAnswers(
  def: ExerciseDefinition,
  input: Readonly<Record<string, unknown>>,
  complete: boolean,
): HomeworkAnswers {
  const out: Record<string, string> = {};
  // Shown next to each field, so a problem need not repeat the field's label.
  const errors: Record<string, Problem> = {};
  const fieldOf = (key: string) => def.fields.find((f) => f.key === key.split('.')[0]);
  for (const key of answerKeys(def)) {
    const field = fieldOf(key)!;
    const raw = input[key];
    const value = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : '';
    if (!value) continue;
    if (value.length > LIMIT[field.kind]) {
      errors[key] = phrase('errors:field.atMost', { max: LIMIT[field.kind] });
      continue;
    }
    if (field.kind === 'rating') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > (field.max ?? 10)) {
        errors[key] = phrase('care:problem.wholeNumber', { min: 0, max: field.max ?? 10 });
        continue;
      }
    }
    out[key] = value;
  }
  if (complete) Object.assign(errors, missingRequired(def, out));
  if (Object.keys(errors).length > 0) {
    throw new AppError(
      'care.homework_invalid',
      'bad_request',
      phrase('care:problem.answersNeedALook'),
      errors,
    );
  }
  return out;
}

function missingRequired(def: ExerciseDefinition, answers: HomeworkAnswers): Record<string, Problem> {
  const errors: Record<string, Problem> = {};
  const fillIn = phrase('care:problem.fillIn');
  const required = def.fields.filter((f) => f.required);
  if (!def.rows) {
    for (const f of required) if (!answers[f.key]) errors[f.key] = fillIn;
    return errors;
  }
  let filledRows = 0;
  for (let row = 0; row < def.rows; row += 1) {
    const used = def.fields.some((f) => answers[`${f.key}.${row}`]);
    if (!used) continue;
    filledRows += 1;
    for (const f of required) {
      if (!answers[`${f.key}.${row}`]) errors[`${f.key}.${row}`] = fillIn;
    }
  }
  if (filledRows === 0) errors[`${def.fields[0]!.key}.0`] = phrase('care:problem.oneEntry');
  return errors;
}
