/**
 * The standardized measures: PHQ-9 and GAD-7, with their published item wording, response options
 * and scoring. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues,
 * with an educational grant from Pfizer Inc.; no permission is required to reproduce, translate,
 * display or distribute them. The wording below must not be edited: scores are only comparable with
 * the published norms when clients answer the published questions.
 */

export const MEASURE_IDS = ['phq9', 'gad7'] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

export function isMeasureId(value: unknown): value is MeasureId {
  return typeof value === 'string' && (MEASURE_IDS as readonly string[]).includes(value);
}

/** The four frequency answers shared by both measures (the printed forms' column headings). */
export const FREQUENCY_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
] as const;

/** The unscored difficulty question printed at the end of both forms. */
export const DIFFICULTY_QUESTION =
  'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?';
export const DIFFICULTY_OPTIONS = [
  'Not difficult at all',
  'Somewhat difficult',
  'Very difficult',
  'Extremely difficult',
] as const;
export type Difficulty = (typeof DIFFICULTY_OPTIONS)[number];

export type Severity = 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';

export interface SeverityBand {
  readonly severity: Severity;
  /** Inclusive bounds. */
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

export interface MeasureDefinition {
  readonly id: MeasureId;
  readonly name: string;
  readonly fullName: string;
  readonly stem: string;
  readonly items: readonly string[];
  readonly maxScore: number;
  readonly bands: readonly SeverityBand[];
  readonly attribution: string;
}

const ATTRIBUTION =
  'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';

export const PHQ9: MeasureDefinition = {
  id: 'phq9',
  name: 'PHQ-9',
  fullName: 'Patient Health Questionnaire (PHQ-9)',
  stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  items: [
    'Little interest or pleasure in doing things',
    'Feeling down, depressed, or hopeless',
    'Trouble falling or staying asleep, or sleeping too much',
    'Feeling tired or having little energy',
    'Poor appetite or overeating',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  ],
  maxScore: 27,
  bands: [
    { severity: 'minimal', min: 0, max: 4, label: 'Minimal' },
    { severity: 'mild', min: 5, max: 9, label: 'Mild' },
    { severity: 'moderate', min: 10, max: 14, label: 'Moderate' },
    { severity: 'moderately_severe', min: 15, max: 19, label: 'Moderately severe' },
    { severity: 'severe', min: 20, max: 27, label: 'Severe' },
  ],
  attribution: ATTRIBUTION,
};

export const GAD7: MeasureDefinition = {
  id: 'gad7',
  name: 'GAD-7',
  fullName: 'Generalized Anxiety Disorder 7-item (GAD-7) scale',
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: [
    'Feeling nervous, anxious or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid as if something awful might happen',
  ],
  maxScore: 21,
  bands: [
    { severity: 'minimal', min: 0, max: 4, label: 'Minimal' },
    { severity: 'mild', min: 5, max: 9, label: 'Mild' },
    { severity: 'moderate', min: 10, max: 14, label: 'Moderate' },
    { severity: 'severe', min: 15, max: 21, label: 'Severe' },
  ],
  attribution: ATTRIBUTION,
};

export const MEASURES: Readonly<Record<MeasureId, MeasureDefinition>> = { phq9: PHQ9, gad7: GAD7 };

/** PHQ-9 item 9 (zero-based index 8): thoughts of being better off dead or of self-harm. */
export const PHQ9_SELF_HARM_ITEM = 8;

export interface MeasureScore {
  readonly measure: MeasureId;
  readonly answers: readonly number[];
  readonly total: number;
  readonly severity: Severity;
  readonly severityLabel: string;
  /**
   * True when the answers call for the crisis flow. For the PHQ-9 this is any answer above 0 on
   * item 9, whatever the total: a low total does not make a self-harm answer safe to ignore.
   */
  readonly crisis: boolean;
}

export function bandFor(measure: MeasureId, total: number): SeverityBand {
  const band = MEASURES[measure].bands.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new RangeError(`${measure} total ${total} is outside the scale`);
  return band;
}

/** Checks a full set of answers (every item answered, each 0–3) and scores it. */
export function scoreMeasure(measure: MeasureId, answers: readonly number[]): MeasureScore {
  const definition = MEASURES[measure];
  if (answers.length !== definition.items.length) {
    throw new RangeError(
      `${definition.name} needs ${definition.items.length} answers, got ${answers.length}`,
    );
  }
  for (const answer of answers) {
    if (!Number.isInteger(answer) || answer < 0 || answer > 3) {
      throw new RangeError(`${definition.name} answers must be whole numbers from 0 to 3`);
    }
  }
  const total = answers.reduce((sum, a) => sum + a, 0);
  const band = bandFor(measure, total);
  return {
    measure,
    answers: [...answers],
    total,
    severity: band.severity,
    severityLabel: band.label,
    crisis: measure === 'phq9' && (answers[PHQ9_SELF_HARM_ITEM] ?? 0) > 0,
  };
}
