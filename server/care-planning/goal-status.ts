import type { MeasureId } from '../clinical';
import type { IsoDay, Objective } from './care-planning.types';

/**
 * Reliable change: the smallest change in a total that is unlikely to be measurement noise. PHQ-9:
 * 5 points (the threshold the issue and the PHQ literature use for clinically significant change).
 * GAD-7: 4 points (the reliable change index reported for the GAD-7 in primary care samples).
 */
export const RELIABLE_CHANGE: Readonly<Record<MeasureId, number>> = { phq9: 5, gad7: 4 };

export type TargetStatus = 'met' | 'on_track' | 'off_track' | 'no_scores';

/**
 * Why a target has its status, as the facts behind it; the page words them in the reader's language
 * (care:target.reason.<code>), numbers in the reader's digits, the date in their format.
 */
export type TargetReason =
  | { readonly code: 'no_scores' }
  | { readonly code: 'met'; readonly latest: number; readonly below: number }
  | { readonly code: 'date_passed'; readonly date: IsoDay; readonly latest: number }
  | {
      readonly code: 'worse' | 'better';
      readonly change: number;
      readonly baseline: number;
      readonly threshold: number;
    }
  | { readonly code: 'on_line' | 'above_line'; readonly latest: number; readonly expected: number }
  | { readonly code: 'no_reliable_change'; readonly change: number; readonly threshold: number };

export interface ScorePoint {
  readonly at: Date;
  readonly total: number;
}

export interface TargetProgress {
  readonly status: TargetStatus;
  /** Why: the facts the plan page words next to the status. */
  readonly reason: TargetReason;
  readonly baseline: ScorePoint | null;
  readonly latest: ScorePoint | null;
}

const DAY = 86_400_000;

/** The end of a calendar day (UTC): a target "by 1 March" still counts scores from 1 March. */
function endOf(day: IsoDay): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY - 1;
}

/**
 * Whether a score target ("total below N by a date") is met, on track or off track. The rule, in the
 * order it is applied (the README repeats it):
 *
 * 1. Baseline: the last score on or before the day the plan began, else the first one after.
 *    No score after the baseline: "no scores" (nothing yet says how the client is doing).
 * 2. Met: the latest total is strictly below the target.
 * 3. Off track: the target date has passed; or the latest total is worse than the baseline by at
 *    least the reliable-change threshold (PHQ-9 5, GAD-7 4).
 * 4. On track: the latest total is better than the baseline by at least the reliable-change
 *    threshold; or, with a target date, it is at or below the straight line from the baseline
 *    (at the plan's start) to the target (at the target date) on the day it was given.
 * 5. Otherwise off track.
 */
export function targetProgress(input: {
  readonly measure: MeasureId;
  readonly below: number;
  readonly targetDate: IsoDay | null;
  readonly planStart: Date;
  readonly scores: readonly ScorePoint[];
  readonly now: Date;
}): TargetProgress {
  const scores = [...input.scores].sort((a, b) => a.at.getTime() - b.at.getTime());
  const start = input.planStart.getTime();
  const before = scores.filter((s) => s.at.getTime() <= start);
  const baseline = before.at(-1) ?? scores[0] ?? null;
  const latest = scores.at(-1) ?? null;
  if (!baseline || !latest || latest === baseline) {
    return { status: 'no_scores', reason: { code: 'no_scores' }, baseline, latest };
  }
  const threshold = RELIABLE_CHANGE[input.measure];
  const change = latest.total - baseline.total;
  const out = (status: TargetStatus, reason: TargetReason): TargetProgress => ({
    status,
    reason,
    baseline,
    latest,
  });
  if (latest.total < input.below)
    return out('met', { code: 'met', latest: latest.total, below: input.below });
  if (input.targetDate && input.now.getTime() > endOf(input.targetDate)) {
    return out('off_track', { code: 'date_passed', date: input.targetDate, latest: latest.total });
  }
  if (change >= threshold) {
    return out('off_track', { code: 'worse', change, baseline: baseline.total, threshold });
  }
  if (-change >= threshold) {
    return out('on_track', { code: 'better', change: -change, baseline: baseline.total, threshold });
  }
  if (input.targetDate) {
    const end = endOf(input.targetDate);
    const from = Math.min(start, baseline.at.getTime());
    const share = end > from ? Math.min(1, (latest.at.getTime() - from) / (end - from)) : 1;
    const expected = baseline.total + (input.below - baseline.total) * share;
    // Shown to one decimal, as the line is drawn; the comparison uses the exact value.
    const shown = Math.round(expected * 10) / 10;
    if (latest.total <= expected) {
      return out('on_track', { code: 'on_line', latest: latest.total, expected: shown });
    }
    return out('off_track', { code: 'above_line', latest: latest.total, expected: shown });
  }
  return out('off_track', { code: 'no_reliable_change', change, threshold });
}

/** An objective's progress, or null when it targets no score. */
export function objectiveProgress(
  objective: Objective,
  planStart: Date,
  scoresOf: (measure: MeasureId) => readonly ScorePoint[],
  now: Date,
): TargetProgress | null {
  if (!objective.measure || objective.below === null) return null;
  return targetProgress({
    measure: objective.measure,
    below: objective.below,
    targetDate: objective.targetDate,
    planStart,
    scores: scoresOf(objective.measure),
    now,
  });
}

/** Each score objective of a plan with its progress (keyed by objective id), from a client's results. */
export function planProgress(
  plan: {
    readonly signedAt: Date | null;
    readonly createdAt: Date;
    readonly body: { readonly goals: readonly { readonly objectives: readonly Objective[] }[] };
  },
  results: readonly { readonly measure: MeasureId; readonly total: number; readonly submittedAt: Date }[],
  now: Date,
): Map<string, TargetProgress> {
  const start = plan.signedAt ?? plan.createdAt;
  const scoresOf = (measure: MeasureId) =>
    results.filter((r) => r.measure === measure).map((r) => ({ at: r.submittedAt, total: r.total }));
  const out = new Map<string, TargetProgress>();
  for (const goal of plan.body.goals) {
    for (const objective of goal.objectives) {
      const progress = objectiveProgress(objective, start, scoresOf, now);
      if (progress) out.set(objective.id, progress);
    }
  }
  return out;
}
