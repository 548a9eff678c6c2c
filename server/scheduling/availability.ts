import { DateTime } from 'luxon';

/**
 * Pure availability and slot arithmetic. Therapists describe their hours in their own zone's wall
 * clock ("Mondays 09:00–17:00"); everything here turns that into UTC instants day by day, so daylight
 * saving moves the UTC time and never the wall-clock time. No database, no clock: callers pass `now`.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A recurring weekly window, in minutes after local midnight; `endMinute` may be 1440 (midnight). */
export interface WeeklyWindow {
  readonly weekday: Weekday;
  readonly startMinute: number;
  readonly endMinute: number;
}

/**
 * A change for one local date: `unavailable` without minutes is a day off (vacation); with minutes it
 * removes part of the day; `available` adds extra hours to that date.
 */
export interface DateException {
  readonly date: string;
  readonly kind: 'unavailable' | 'available';
  readonly startMinute: number | null;
  readonly endMinute: number | null;
}

export interface AvailabilityPolicy {
  readonly timeZone: string;
  readonly weekly: readonly WeeklyWindow[];
  readonly exceptions: readonly DateException[];
  /** Clients cannot book a slot starting sooner than this. */
  readonly minNoticeMinutes: number;
  /** Clients cannot book further ahead than this many days. */
  readonly horizonDays: number;
}

/** Half-open UTC range [start, end) in epoch milliseconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

export interface Slot {
  readonly start: Date;
  readonly end: Date;
}

export interface SlotQuery {
  readonly policy: AvailabilityPolicy;
  readonly durationMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  /** Distance between candidate starts, counted from each window's start. */
  readonly stepMinutes: number;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  /** Time already taken (existing appointments including their buffers). */
  readonly busy: readonly TimeRange[];
}

const MINUTE = 60_000;

/** The instant of a wall-clock time on a local date; minute 1440 is the next midnight. */
export function atLocal(date: string, minuteOfDay: number, zone: string): DateTime {
  const midnight = DateTime.fromISO(date, { zone }).startOf('day');
  if (minuteOfDay >= 1440) return midnight.plus({ days: 1 }).startOf('day');
  // set() (not plus({minutes})) so 09:00 is 09:00 even on the day the clocks change.
  return midnight.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
}

function subtract(ranges: TimeRange[], cut: TimeRange): TimeRange[] {
  const out: TimeRange[] = [];
  for (const r of ranges) {
    if (cut.end <= r.start || cut.start >= r.end) {
      out.push(r);
      continue;
    }
    if (cut.start > r.start) out.push({ start: r.start, end: cut.start });
    if (cut.end < r.end) out.push({ start: cut.end, end: r.end });
  }
  return out;
}

/** Sorts and merges touching or overlapping ranges. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push({ ...r });
  }
  return out;
}

/** The ranges one local date contributes, after its exceptions. */
function rangesForDate(policy: AvailabilityPolicy, day: DateTime): TimeRange[] {
  const date = day.toISODate() ?? '';
  const zone = policy.timeZone;
  const toRange = (startMinute: number, endMinute: number): TimeRange => ({
    start: atLocal(date, startMinute, zone).toMillis(),
    end: atLocal(date, endMinute, zone).toMillis(),
  });
  const exceptions = policy.exceptions.filter((e) => e.date === date);
  if (exceptions.some((e) => e.kind === 'unavailable' && e.startMinute === null)) return [];
  let ranges = policy.weekly
    .filter((w) => w.weekday === day.weekday)
    .map((w) => toRange(w.startMinute, w.endMinute));
  for (const e of exceptions) {
    if (e.kind === 'available' && e.startMinute !== null && e.endMinute !== null) {
      ranges.push(toRange(e.startMinute, e.endMinute));
    }
  }
  ranges = mergeRanges(ranges);
  for (const e of exceptions) {
    if (e.kind === 'unavailable' && e.startMinute !== null && e.endMinute !== null) {
      ranges = subtract(ranges, toRange(e.startMinute, e.endMinute));
    }
  }
  return ranges;
}

/** Every open range (UTC) that intersects [from, to), merged, ignoring notice, horizon and bookings. */
export function openRanges(policy: AvailabilityPolicy, from: Date, to: Date): TimeRange[] {
  const zone = policy.timeZone;
  // Start a day early and end a day late: a local day can begin before `from` in UTC.
  let day = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone }).startOf('day').plus({ days: 1 });
  const ranges: TimeRange[] = [];
  while (day <= last) {
    ranges.push(...rangesForDate(policy, day));
    day = day.plus({ days: 1 });
  }
  return mergeRanges(ranges).filter((r) => r.end > from.getTime() && r.start < to.getTime());
}

/** True when [start, end) lies wholly inside the therapist's open hours. */
export function isWithinAvailability(policy: AvailabilityPolicy, start: Date, end: Date): boolean {
  return openRanges(policy, start, end).some((r) => r.start <= start.getTime() && r.end >= end.getTime());
}

export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The time an appointment occupies, buffers included (what conflicts and slot claims are about). */
export function blockOf(
  start: Date,
  end: Date,
  bufferBeforeMinutes: number,
  bufferAfterMinutes: number,
): TimeRange {
  return {
    start: start.getTime() - bufferBeforeMinutes * MINUTE,
    end: end.getTime() + bufferAfterMinutes * MINUTE,
  };
}

/** Latest start a client may book: `horizonDays` calendar days after now in the therapist's zone. */
export function horizonEnd(policy: AvailabilityPolicy, now: Date): Date {
  return DateTime.fromJSDate(now, { zone: policy.timeZone }).plus({ days: policy.horizonDays }).toJSDate();
}

/**
 * Bookable slots in [from, to): inside open hours, respecting minimum notice and the horizon, and
 * whose block (with buffers) does not overlap any busy range.
 */
export function generateSlots(query: SlotQuery): Slot[] {
  const { policy, durationMinutes, stepMinutes } = query;
  const durationMs = durationMinutes * MINUTE;
  const earliest = Math.max(query.from.getTime(), query.now.getTime() + policy.minNoticeMinutes * MINUTE);
  const latest = Math.min(query.to.getTime(), horizonEnd(policy, query.now).getTime());
  if (earliest >= latest) return [];
  const slots: Slot[] = [];
  for (const range of openRanges(policy, new Date(earliest), new Date(latest + durationMs))) {
    for (let start = range.start; start + durationMs <= range.end; start += stepMinutes * MINUTE) {
      if (start < earliest || start >= latest) continue;
      const block = {
        start: start - query.bufferBeforeMinutes * MINUTE,
        end: start + durationMs + query.bufferAfterMinutes * MINUTE,
      };
      if (query.busy.some((b) => overlaps(block, b))) continue;
      slots.push({ start: new Date(start), end: new Date(start + durationMs) });
    }
  }
  return slots;
}

/** Slots grouped by the viewer's local date, for a booking page that reads in the viewer's zone. */
export interface SlotDay {
  readonly date: string;
  readonly label: string;
  readonly slots: readonly { readonly start: Date; readonly end: Date; readonly time: string }[];
}

export function groupByViewerDay(slots: readonly Slot[], viewerZone: string): SlotDay[] {
  const days = new Map<string, { label: string; slots: { start: Date; end: Date; time: string }[] }>();
  for (const slot of slots) {
    const local = DateTime.fromJSDate(slot.start, { zone: viewerZone });
    const date = local.toISODate() ?? '';
    let day = days.get(date);
    if (!day) {
      day = { label: local.toFormat('cccc d LLLL yyyy'), slots: [] };
      days.set(date, day);
    }
    day.slots.push({ start: slot.start, end: slot.end, time: local.toFormat('HH:mm') });
  }
  return [...days.entries()].map(([date, d]) => ({ date, label: d.label, slots: d.slots }));
}
