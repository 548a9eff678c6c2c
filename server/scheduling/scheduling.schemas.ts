import { z } from 'zod';
import { parseClock } from './time-zones';
import { isValidTimeZone } from './time-zones';
import { FORMATS, KINDS } from './scheduling.types';

/** Input schemas: routes parse with these, services re-check (they are also called from the CLI and tests). */
const zone = z.string().trim().refine(isValidTimeZone, 'must be a time zone such as Europe/London');
const clock = z
  .string()
  .trim()
  .refine((t) => parseClock(t) !== null, 'must be a time such as 09:00')
  .transform((t) => parseClock(t) as number);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-09');
const instant = z.iso.datetime({ offset: true }).transform((t) => new Date(t));
const id = z.string().uuid();
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const weeklyWindowSchema = z
  .object({ weekday: count(1, 7), start: clock, end: clock })
  .refine((w) => w.end > w.start, 'a window must end after it starts');

export const scheduleSchema = z.object({
  timeZone: zone,
  minNoticeMinutes: count(0, 60 * 24 * 30),
  horizonDays: count(1, 365),
  slotStepMinutes: count(5, 240).refine((n) => n % 5 === 0, 'must be a multiple of 5 minutes'),
  bookingMode: z.enum(['direct', 'request']),
  weekly: z.array(weeklyWindowSchema).max(50),
});
export type ScheduleInput = z.input<typeof scheduleSchema>;

export const exceptionSchema = z
  .object({
    date: isoDate,
    kind: z.enum(['unavailable', 'available']),
    start: clock.optional(),
    end: clock.optional(),
  })
  .refine(
    (e) => (e.start === undefined) === (e.end === undefined),
    'give both a start and an end, or neither',
  )
  .refine((e) => e.kind === 'unavailable' || e.start !== undefined, 'extra hours need a start and an end')
  .refine((e) => e.start === undefined || (e.end ?? 0) > e.start, 'the end must be after the start');
export type ExceptionInput = z.input<typeof exceptionSchema>;

export const appointmentTypeSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    durationMinutes: count(5, 480).refine((n) => n % 5 === 0, 'must be a multiple of 5 minutes'),
    format: z.enum(FORMATS),
    kind: z.enum(KINDS),
    capacity: count(1, 50).default(1),
    bufferBeforeMinutes: count(0, 120).default(0),
    bufferAfterMinutes: count(0, 120).default(0),
  })
  .transform((t) => ({
    ...t,
    capacity:
      t.kind === 'individual' ? 1 : t.kind === 'couples' ? Math.min(Math.max(t.capacity, 2), 4) : t.capacity,
  }));
export type AppointmentTypeInput = z.input<typeof appointmentTypeSchema>;

const reason = z.string().trim().max(2000).optional();

export const clientBookingSchema = z.object({ therapistId: id, typeId: id, start: instant, reason });
export type ClientBookingInput = z.input<typeof clientBookingSchema>;

export const therapistBookingSchema = z.object({
  typeId: id,
  clientIds: z.array(id).min(1).max(50),
  start: instant,
  reason,
});
export type TherapistBookingInput = z.input<typeof therapistBookingSchema>;

export const seriesSchema = z
  .object({
    typeId: id,
    clientIds: z.array(id).min(1).max(50),
    start: instant,
    frequency: z.enum(['weekly', 'biweekly']),
    count: count(2, 104).optional(),
    until: isoDate.optional(),
    skipConflicts: z.coerce.boolean().default(false),
  })
  .refine((s) => s.count !== undefined || s.until !== undefined, 'give a number of sessions or an end date');
export type SeriesInput = z.input<typeof seriesSchema>;

export const rescheduleSchema = z.object({ start: instant });

export const slotsQuerySchema = z.object({
  therapistId: id,
  typeId: id,
  zone,
  from: isoDate.optional(),
  days: count(1, 62).default(14),
});
export type SlotsQuery = z.input<typeof slotsQuerySchema>;

/** The booking page's day picker; `day` is checked by the calendar itself (a past day gets a notice). */
export const bookingCalendarSchema = z.object({
  therapistId: id,
  typeId: id,
  zone,
  day: z.string().max(20).optional(),
});
export type BookingCalendarQuery = z.input<typeof bookingCalendarSchema>;

/** Turns a zod failure into the first message, for `AppError` details. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input';
}

/**
 * The therapist's choice of end-to-end encrypted media for a session (ROOM_E2EE=per-session): on or
 * off, for this appointment or also the series' later ones. The form posts a radio value; anything
 * else is refused with the choice's own sentence.
 */
export const e2eeChoiceSchema = z.object({
  encrypted: z.enum(['on', 'off']).transform((v) => v === 'on'),
  scope: z.enum(['one', 'rest']).default('one'),
});
export type E2eeChoiceInput = z.input<typeof e2eeChoiceSchema>;
