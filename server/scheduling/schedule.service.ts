import { DateTime } from 'luxon';
import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import {
  generateSlots,
  groupByViewerDay,
  horizonEnd,
  type AvailabilityPolicy,
  type Slot,
  type SlotDay,
  type Weekday,
} from './availability';
import { chooseDay, clientStepMinutes, MAX_CALENDAR_DAYS, type DayChoice } from './booking-calendar';
import { canManageSchedule, canManageTypes } from './scheduling.policy';
import type { SchedulingRepository } from './scheduling.repository';
import {
  appointmentTypeSchema,
  exceptionSchema,
  firstIssue,
  scheduleSchema,
  bookingCalendarSchema,
  slotsQuerySchema,
  type AppointmentTypeInput,
  type BookingCalendarQuery,
  type ExceptionInput,
  type ScheduleInput,
  type SlotsQuery,
} from './scheduling.schemas';
import type { Actor, AppointmentType, StoredException, TherapistSchedule } from './scheduling.types';
import { zoneLabel } from './time-zones';

export function policyOf(s: TherapistSchedule): AvailabilityPolicy {
  return {
    timeZone: s.timeZone,
    weekly: s.weekly,
    exceptions: s.exceptions,
    minNoticeMinutes: s.minNoticeMinutes,
    horizonDays: s.horizonDays,
  };
}

/** What a booking page shows: slots grouped by the viewer's days, and the viewer's zone named. */
export interface SlotListing {
  readonly viewerZone: string;
  readonly viewerZoneLabel: string;
  readonly therapistZone: string;
  readonly type: AppointmentType;
  readonly days: readonly SlotDay[];
}

/** A client's booking page for one therapist and kind: the day picker and the chosen day's times. */
export interface BookingCalendar extends DayChoice {
  readonly viewerZone: string;
  readonly viewerZoneLabel: string;
  readonly therapistZone: string;
  readonly type: AppointmentType;
  /** Minutes between the times offered (see clientStepMinutes). */
  readonly stepMinutes: number;
  /** `request`: the therapist approves each booking before it is confirmed. */
  readonly bookingMode: TherapistSchedule['bookingMode'];
}

/** Therapists' hours and exceptions, appointment types, and open slots. */
export class ScheduleService {
  readonly #sequelize: Sequelize;
  readonly #repo: SchedulingRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;

  constructor(sequelize: Sequelize, repo: SchedulingRepository, audit: AuditTrail, clock: Clock) {
    this.#sequelize = sequelize;
    this.#repo = repo;
    this.#audit = audit;
    this.#clock = clock;
  }

  scheduleOf(therapistId: string): Promise<TherapistSchedule | null> {
    return this.#repo.scheduleOf(therapistId);
  }

  /** Whether the therapist has set up hours (what a setup checklist asks; cheaper than scheduleOf). */
  hasSchedule(therapistId: string): Promise<boolean> {
    return this.#repo.hasSchedule(therapistId);
  }

  therapistIdsWithSchedule(): Promise<string[]> {
    return this.#repo.therapistIdsWithSchedule();
  }

  async saveSchedule(actor: Actor, therapistId: string, input: ScheduleInput): Promise<TherapistSchedule> {
    if (!canManageSchedule(actor, therapistId)) throw new AppError('schedule.forbidden', 'forbidden');
    const parsed = scheduleSchema.safeParse(input);
    if (!parsed.success) throw new AppError('schedule.invalid', 'bad_request', firstIssue(parsed.error));
    const s = parsed.data;
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.saveSchedule(
        { therapistId, ...s },
        s.weekly.map((w) => ({ weekday: w.weekday as Weekday, startMinute: w.start, endMinute: w.end })),
        newId,
        this.#clock.now(),
        transaction,
      );
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'schedule.updated',
          targetType: 'therapist_schedule',
          targetId: therapistId,
          details: { windows: s.weekly.length, bookingMode: s.bookingMode },
        },
        transaction,
      );
    });
    return (await this.#repo.scheduleOf(therapistId)) as TherapistSchedule;
  }

  async addException(actor: Actor, therapistId: string, input: ExceptionInput): Promise<StoredException> {
    if (!canManageSchedule(actor, therapistId)) throw new AppError('schedule.forbidden', 'forbidden');
    if (!(await this.#repo.scheduleOf(therapistId))) {
      throw new AppError('schedule.not_set_up', 'conflict', phrase('errors:schedule.hoursFirst'));
    }
    const parsed = exceptionSchema.safeParse(input);
    if (!parsed.success)
      throw new AppError('schedule.invalid_exception', 'bad_request', firstIssue(parsed.error));
    const e: StoredException = {
      id: newId(),
      date: parsed.data.date,
      kind: parsed.data.kind,
      startMinute: parsed.data.start ?? null,
      endMinute: parsed.data.end ?? null,
    };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.insertException(therapistId, e, this.#clock.now(), transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'schedule.exception_added',
          targetType: 'therapist_schedule',
          targetId: therapistId,
          details: { date: e.date, kind: e.kind },
        },
        transaction,
      );
    });
    return e;
  }

  async removeException(actor: Actor, therapistId: string, exceptionId: string): Promise<void> {
    if (!canManageSchedule(actor, therapistId)) throw new AppError('schedule.forbidden', 'forbidden');
    await this.#sequelize.transaction(async (transaction) => {
      if (!(await this.#repo.deleteException(therapistId, exceptionId, transaction))) {
        throw new AppError('schedule.exception_not_found', 'not_found');
      }
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'schedule.exception_removed',
          targetType: 'therapist_schedule',
          targetId: therapistId,
        },
        transaction,
      );
    });
  }

  listTypes(activeOnly = true): Promise<AppointmentType[]> {
    return this.#repo.listTypes(activeOnly);
  }

  async typeById(id: string): Promise<AppointmentType> {
    const type = await this.#repo.typeById(id);
    if (!type) throw new AppError('appointment_type.not_found', 'not_found');
    return type;
  }

  /**
   * Edits a kind of appointment (name, length, format, group size, breaks) or retires/restores it.
   * Its kind (individual, couples, group) stays: that decides who books it. Appointments already
   * booked keep their own times; only new bookings use the change.
   */
  async updateType(
    actor: Actor,
    id: string,
    input: Omit<AppointmentTypeInput, 'kind'> & { active: boolean },
  ): Promise<AppointmentType> {
    if (!canManageTypes(actor)) throw new AppError('appointment_type.forbidden', 'forbidden');
    const before = await this.typeById(id);
    const parsed = appointmentTypeSchema.safeParse({ ...input, kind: before.kind });
    if (!parsed.success)
      throw new AppError('appointment_type.invalid', 'bad_request', firstIssue(parsed.error));
    const type: AppointmentType = { ...parsed.data, id, active: input.active };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.updateType(type, this.#clock.now(), transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'appointment_type.updated',
          targetType: 'appointment_type',
          targetId: id,
          details: { active: type.active },
        },
        transaction,
      );
    });
    return type;
  }

  async createType(actor: Actor, input: AppointmentTypeInput): Promise<AppointmentType> {
    if (!canManageTypes(actor)) throw new AppError('appointment_type.forbidden', 'forbidden');
    const parsed = appointmentTypeSchema.safeParse(input);
    if (!parsed.success)
      throw new AppError('appointment_type.invalid', 'bad_request', firstIssue(parsed.error));
    const type: AppointmentType = { id: newId(), active: true, ...parsed.data };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.insertType(type, this.#clock.now(), transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'appointment_type.created',
          targetType: 'appointment_type',
          targetId: type.id,
        },
        transaction,
      );
    });
    return type;
  }

  async setTypeActive(actor: Actor, id: string, active: boolean): Promise<void> {
    if (!canManageTypes(actor)) throw new AppError('appointment_type.forbidden', 'forbidden');
    await this.#sequelize.transaction(async (transaction) => {
      if (!(await this.#repo.setTypeActive(id, active, this.#clock.now(), transaction))) {
        throw new AppError('appointment_type.not_found', 'not_found');
      }
      await this.#audit.record(
        {
          actorId: actor.id,
          action: active ? 'appointment_type.activated' : 'appointment_type.retired',
          targetType: 'appointment_type',
          targetId: id,
        },
        transaction,
      );
    });
  }

  /** Open slots a client can book (at the client's step), grouped by the viewer's local days. */
  async listSlots(query: SlotsQuery): Promise<SlotListing> {
    const parsed = slotsQuerySchema.safeParse(query);
    if (!parsed.success) throw new AppError('slots.invalid_query', 'bad_request', firstIssue(parsed.error));
    const q = parsed.data;
    const { schedule, type } = await this.#bookable(q.therapistId, q.typeId);
    const now = this.#clock.now();
    const from = q.from ? DateTime.fromISO(q.from, { zone: q.zone }).startOf('day').toJSDate() : now;
    const to = DateTime.fromJSDate(from, { zone: q.zone }).plus({ days: q.days }).startOf('day').toJSDate();
    const slots = await this.#clientSlots(schedule, type, from, to, now);
    return {
      viewerZone: q.zone,
      viewerZoneLabel: zoneLabel(q.zone, slots[0]?.start ?? now),
      therapistZone: schedule.timeZone,
      type,
      days: groupByViewerDay(slots, q.zone),
    };
  }

  /**
   * The booking page's day picker: every day from today to the therapist's horizon (at most six
   * weeks) in the viewer's zone, with its number of free times, and the times of the day asked for
   * (or of the first day that has any, with a notice saying why).
   */
  async bookingCalendar(query: BookingCalendarQuery): Promise<BookingCalendar> {
    const parsed = bookingCalendarSchema.safeParse(query);
    if (!parsed.success) throw new AppError('slots.invalid_query', 'bad_request', firstIssue(parsed.error));
    const q = parsed.data;
    const { schedule, type } = await this.#bookable(q.therapistId, q.typeId);
    const now = this.#clock.now();
    const today = DateTime.fromJSDate(now, { zone: q.zone }).startOf('day');
    const lastDay = DateTime.fromJSDate(horizonEnd(policyOf(schedule), now), { zone: q.zone }).startOf('day');
    const dayCount = Math.min(
      MAX_CALENDAR_DAYS,
      Math.max(1, Math.round(lastDay.diff(today, 'days').days) + 1),
    );
    const to = today.plus({ days: dayCount }).toJSDate();
    const slots = await this.#clientSlots(schedule, type, today.toJSDate(), to, now);
    const choice = chooseDay({
      slots,
      zone: q.zone,
      today: today.toISODate() ?? '',
      dayCount,
      requested: q.day,
    });
    return {
      ...choice,
      viewerZone: q.zone,
      viewerZoneLabel: zoneLabel(q.zone, slots[0]?.start ?? now),
      therapistZone: schedule.timeZone,
      type,
      stepMinutes: clientStepMinutes(type, schedule.slotStepMinutes),
      bookingMode: schedule.bookingMode,
    };
  }

  /**
   * The review step: the slot starting at `start` when it is still offered to clients, with the
   * calendar of its day (so a page can offer that day's other times when it is not).
   */
  async offeredSlot(
    query: Omit<BookingCalendarQuery, 'day'> & { start: Date },
  ): Promise<{ calendar: BookingCalendar; slot: Slot | null }> {
    const day = DateTime.fromJSDate(query.start, { zone: query.zone }).toISODate() ?? '';
    const calendar = await this.bookingCalendar({ ...query, day });
    const slot =
      calendar.selected?.date === day
        ? (calendar.groups.flatMap((g) => g.slots).find((s) => s.start.getTime() === query.start.getTime()) ??
          null)
        : null;
    return { calendar, slot };
  }

  async #bookable(
    therapistId: string,
    typeId: string,
  ): Promise<{ schedule: TherapistSchedule; type: AppointmentType }> {
    const schedule = await this.#repo.scheduleOf(therapistId);
    if (!schedule) throw new AppError('schedule.not_found', 'not_found', phrase('errors:booking.noHours'));
    const type = await this.typeById(typeId);
    if (!type.active) throw new AppError('appointment_type.not_found', 'not_found');
    return { schedule, type };
  }

  async #clientSlots(
    schedule: TherapistSchedule,
    type: AppointmentType,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<Slot[]> {
    const busy = await this.#repo.busyBlocks(
      schedule.therapistId,
      new Date(from.getTime() - 86_400_000),
      new Date(to.getTime() + 86_400_000),
    );
    return generateSlots({
      policy: policyOf(schedule),
      durationMinutes: type.durationMinutes,
      bufferBeforeMinutes: type.bufferBeforeMinutes,
      bufferAfterMinutes: type.bufferAfterMinutes,
      stepMinutes: clientStepMinutes(type, schedule.slotStepMinutes),
      from,
      to,
      now,
      busy,
    });
  }
}
