import { DateTime } from 'luxon';
import {
  blockOf,
  isWithinAvailability,
  overlaps,
  type AvailabilityPolicy,
  type TimeRange,
} from './availability';

/**
 * Pure recurrence: weekly and every-other-week series. Occurrences are computed by adding calendar
 * weeks in the therapist's zone, so a 09:00 series stays at 09:00 local when daylight saving starts
 * or ends (its UTC time moves instead).
 */
export type Frequency = 'weekly' | 'biweekly';

/** Hard cap so a typo ("until 2062") cannot create thousands of rows. */
export const MAX_OCCURRENCES = 104;

export interface RecurrenceRule {
  readonly firstStart: Date;
  readonly timeZone: string;
  readonly frequency: Frequency;
  /** Stop after this many occurrences (including the first)… */
  readonly count?: number | null;
  /** …or after this local date (inclusive, `yyyy-MM-dd` in `timeZone`). One of the two is required. */
  readonly until?: string | null;
}

export function expandRecurrence(rule: RecurrenceRule): Date[] {
  const step = rule.frequency === 'weekly' ? 1 : 2;
  const first = DateTime.fromJSDate(rule.firstStart, { zone: rule.timeZone });
  const untilEnd = rule.until ? DateTime.fromISO(rule.until, { zone: rule.timeZone }).endOf('day') : null;
  const limit = Math.min(rule.count ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  if (!rule.count && !untilEnd) throw new Error('a series needs a count or an end date');
  const out: Date[] = [];
  for (let i = 0; out.length < limit; i += 1) {
    // plus({weeks}) is calendar arithmetic in the zone: wall-clock time is kept across DST.
    const at = first.plus({ weeks: i * step });
    if (untilEnd && at > untilEnd) break;
    out.push(at.toJSDate());
  }
  return out;
}

export type ConflictReason = 'overlaps_appointment' | 'outside_availability' | 'in_the_past';

export interface OccurrenceCheck {
  readonly start: Date;
  readonly end: Date;
  readonly conflicts: readonly ConflictReason[];
}

export interface ConflictQuery {
  readonly starts: readonly Date[];
  readonly durationMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly policy: AvailabilityPolicy;
  readonly busy: readonly TimeRange[];
  readonly now: Date;
}

/** Checks every occurrence of a planned series, so conflicts can be shown before anything is created. */
export function checkOccurrences(query: ConflictQuery): OccurrenceCheck[] {
  return query.starts.map((start) => {
    const end = new Date(start.getTime() + query.durationMinutes * 60_000);
    const block = blockOf(start, end, query.bufferBeforeMinutes, query.bufferAfterMinutes);
    const conflicts: ConflictReason[] = [];
    if (start.getTime() <= query.now.getTime()) conflicts.push('in_the_past');
    if (query.busy.some((b) => overlaps(block, b))) conflicts.push('overlaps_appointment');
    if (!isWithinAvailability(query.policy, start, end)) conflicts.push('outside_availability');
    return { start, end, conflicts };
  });
}
