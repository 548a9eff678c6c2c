import { DateTime } from 'luxon';
import type { Slot } from './availability';

/**
 * What a client's booking page shows, as pure arithmetic over the free slots: a day picker over the
 * coming weeks (each day with how many free times it has), and the chosen day's times grouped into
 * morning, afternoon and evening. No database and no clock: ScheduleService passes slots and `now`.
 */

/** The longest stretch the day picker shows, whatever the therapist's horizon (six weeks). */
export const MAX_CALENDAR_DAYS = 42;

/**
 * The distance between the start times a client is offered. A therapist's own step can be five
 * minutes (it decides which starts are valid, for their own bookings too), but a client choosing
 * from every five minutes sees a wall of buttons: a client is offered starts one appointment apart
 * (length plus breaks, rounded up to a quarter hour), so a free morning reads 09:00, 10:00, 11:00.
 * The result is a multiple of the therapist's step, and both count from the start of each open
 * window, so every time offered here is one the booking rule accepts.
 */
export function clientStepMinutes(
  type: {
    readonly durationMinutes: number;
    readonly bufferBeforeMinutes: number;
    readonly bufferAfterMinutes: number;
  },
  therapistStepMinutes: number,
): number {
  const block = type.durationMinutes + type.bufferBeforeMinutes + type.bufferAfterMinutes;
  const sensible = Math.ceil(block / 15) * 15;
  const step = Math.max(1, therapistStepMinutes);
  return Math.max(step, Math.ceil(sensible / step) * step);
}

export type DayPeriod = 'morning' | 'afternoon' | 'evening';

/** Before noon is morning (early hours included), noon to 17:00 afternoon, after that evening. */
export function periodOf(hour: number): DayPeriod {
  if (hour < 12) return 'morning';
  return hour < 17 ? 'afternoon' : 'evening';
}

const PERIOD_NAMES: Record<DayPeriod, string> = {
  morning: 'Morning',
  afternoon: 'Afternoon',
  evening: 'Evening',
};

/** One day of the picker, in the viewer's zone. */
export interface CalendarDay {
  /** ISO local date in the viewer's zone (`2026-12-08`). */
  readonly date: string;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: number;
  readonly dayOfMonth: number;
  /** Midday of that date in the viewer's zone: the instant a page formats to name the day. */
  readonly midday: Date;
  /** How many free times the client could pick that day. */
  readonly freeCount: number;
}

export interface TimeGroup {
  readonly period: DayPeriod;
  readonly name: string;
  readonly slots: readonly Slot[];
}

/** Why the page shows a different day than the one asked for (a message for the person). */
export type DayNotice = 'invalid' | 'past' | 'beyond' | 'full' | null;

export interface DayChoice {
  readonly days: readonly CalendarDay[];
  /** Weeks Monday to Sunday for a grid; null pads the days before the first and after the last. */
  readonly weeks: readonly (readonly (CalendarDay | null)[])[];
  /** The day whose times are shown: the one asked for when it has free times, else the first that has. */
  readonly selected: CalendarDay | null;
  readonly groups: readonly TimeGroup[];
  readonly notice: DayNotice;
}

/**
 * Lays the free slots out for the picker: every date from `today` for `dayCount` days (in the
 * viewer's zone), the asked-for day chosen when it has free times, and a notice when it could not be.
 */
export function chooseDay(p: {
  readonly slots: readonly Slot[];
  readonly zone: string;
  readonly today: string;
  readonly dayCount: number;
  readonly requested?: string | undefined;
}): DayChoice {
  const byDate = new Map<string, Slot[]>();
  for (const slot of p.slots) {
    const date = DateTime.fromJSDate(slot.start, { zone: p.zone }).toISODate() ?? '';
    const list = byDate.get(date) ?? [];
    list.push(slot);
    byDate.set(date, list);
  }
  const first = DateTime.fromISO(p.today, { zone: p.zone });
  const days: CalendarDay[] = [];
  for (let i = 0; i < p.dayCount; i += 1) {
    const d = first.plus({ days: i });
    const date = d.toISODate() ?? '';
    days.push({
      date,
      weekday: d.weekday,
      dayOfMonth: d.day,
      midday: d.set({ hour: 12 }).toJSDate(),
      freeCount: byDate.get(date)?.length ?? 0,
    });
  }

  const firstFree = days.find((d) => d.freeCount > 0) ?? null;
  let selected = firstFree;
  let notice: DayNotice = null;
  if (p.requested !== undefined && p.requested !== '') {
    const asked = DateTime.fromISO(p.requested, { zone: p.zone });
    const day = days.find((d) => d.date === p.requested);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.requested) || !asked.isValid) notice = 'invalid';
    else if (p.requested < p.today) notice = 'past';
    else if (!day) notice = 'beyond';
    else if (day.freeCount === 0) notice = 'full';
    else selected = day;
  }

  const groups: TimeGroup[] = [];
  for (const slot of selected ? (byDate.get(selected.date) ?? []) : []) {
    const period = periodOf(DateTime.fromJSDate(slot.start, { zone: p.zone }).hour);
    const last = groups[groups.length - 1];
    if (last?.period === period) (last.slots as Slot[]).push(slot);
    else groups.push({ period, name: PERIOD_NAMES[period], slots: [slot] });
  }
  return { days, weeks: weeksOf(days), selected, groups, notice };
}

function weeksOf(days: readonly CalendarDay[]): (CalendarDay | null)[][] {
  const weeks: (CalendarDay | null)[][] = [];
  let week: (CalendarDay | null)[] = [];
  const lead = days[0] ? days[0].weekday - 1 : 0;
  for (let i = 0; i < lead; i += 1) week.push(null);
  for (const day of days) {
    week.push(day);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) {
    while (week.length < 7) week.push(null);
    weeks.push(week);
  }
  return weeks;
}
