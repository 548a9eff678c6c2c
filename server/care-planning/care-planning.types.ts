import type { MeasureId } from '../clinical';

/** A calendar date as `YYYY-MM-DD` (no time zone: a diagnosis starts on a day, not at an instant). */
export type IsoDay = string;

export type DiagnosisRank = 'primary' | 'secondary';

/** One ICD-10-CM diagnosis of one client, from its onset until it ends (or still current). */
export interface Diagnosis {
  readonly id: string;
  readonly clientId: string;
  readonly recordedBy: string;
  readonly code: string;
  readonly description: string;
  readonly rank: DiagnosisRank;
  readonly onsetOn: IsoDay;
  readonly endedOn: IsoDay | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A measurable step toward a goal; it may target a questionnaire score ("PHQ-9 below 10 by 1 March"). */
export interface Objective {
  readonly id: string;
  readonly text: string;
  /** The questionnaire whose total is the target, or null for an objective measured otherwise. */
  readonly measure: MeasureId | null;
  /** Met when the latest total is strictly below this. */
  readonly below: number | null;
  readonly targetDate: IsoDay | null;
}

export const GOAL_STATUSES = ['active', 'met', 'revised', 'discontinued'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface Goal {
  readonly id: string;
  /** The goal as the client put it. */
  readonly clientWords: string;
  /** The same goal in clinical terms. */
  readonly clinicianWords: string;
  readonly objectives: readonly Objective[];
  /** Labels from the clinic's intervention list (kept as text: the list may change later). */
  readonly interventions: readonly string[];
  readonly targetDate: IsoDay | null;
  readonly status: GoalStatus;
}

/** What a plan says; sealed as one value. */
export interface PlanBody {
  readonly presentingProblems: string;
  readonly goals: readonly Goal[];
  readonly sessionFrequency: string;
  readonly expectedDuration: string;
}

export type PlanStatus = 'draft' | 'active' | 'superseded';

/** One version of a client's treatment plan. Signed versions never change; a review makes the next. */
export interface CarePlan {
  readonly id: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly version: number;
  readonly previousId: string | null;
  readonly status: PlanStatus;
  readonly body: PlanBody;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** When the therapist signed it (it became active). */
  readonly signedAt: Date | null;
  readonly reviewDueOn: IsoDay | null;
  /** The client's signature: typed name, time and address, as for consent. */
  readonly clientSignature: {
    readonly typedName: string;
    readonly at: Date;
    readonly ip: string | null;
  } | null;
  readonly supersededAt: Date | null;
}

export const EXERCISES = ['thought_record', 'activity_log', 'worry_log', 'journal'] as const;
export type ExerciseKind = (typeof EXERCISES)[number];
export type HomeworkStatus = 'assigned' | 'in_progress' | 'completed';

/** The client's answers: field → text (rows of logs as `field.N`). */
export type HomeworkAnswers = Readonly<Record<string, string>>;

export interface Homework {
  readonly id: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly exercise: ExerciseKind;
  readonly instructions: string;
  readonly dueOn: IsoDay;
  readonly status: HomeworkStatus;
  readonly answers: HomeworkAnswers;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt: Date | null;
}

/** The Stanley–Brown safety plan's sections, in the order the plan is built. */
export const SAFETY_PLAN_SECTIONS = [
  { key: 'warningSigns', label: 'Warning signs that a crisis may be developing' },
  { key: 'internalCoping', label: 'Things I can do on my own to take my mind off my problems' },
  { key: 'distraction', label: 'People and social settings that provide distraction' },
  { key: 'helpers', label: 'People I can ask for help' },
  { key: 'professionals', label: 'Professionals or agencies I can contact during a crisis' },
  { key: 'saferEnvironment', label: 'Making the environment safer' },
  { key: 'reasonsForLiving', label: 'The one thing that is most important to me and worth living for' },
] as const;
export type SafetyPlanSection = (typeof SAFETY_PLAN_SECTIONS)[number]['key'];
export type SafetyPlanBody = Readonly<Record<SafetyPlanSection, string>>;

export interface SafetyPlan {
  readonly id: string;
  readonly clientId: string;
  readonly authorId: string;
  readonly version: number;
  readonly body: SafetyPlanBody;
  readonly createdAt: Date;
}

export interface Intervention {
  readonly id: string;
  readonly label: string;
  readonly position: number;
  readonly active: boolean;
}

/** The slice of configuration care planning needs. */
export interface CarePlanningSettings {
  /** Days from a plan's signing until its review is due (insurers ask for 90–180). */
  readonly reviewDays: number;
  /** How many days before the due date a review shows on the therapist's dashboard. */
  readonly reviewNoticeDays: number;
}
