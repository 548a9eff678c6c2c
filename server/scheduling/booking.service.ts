import type { Transaction } from 'sequelize';
import { AppError, phrase } from '../shared/errors';
import { blockOf, generateSlots } from './availability';
import {
  activeType,
  assertTherapistBookable,
  auditAppointment,
  bookerOf,
  checkClients,
  DAY,
  insertAppointment,
  loadAppointment,
  parse,
  participantsOf,
  REASON_CONTEXT,
  scheduleOrThrow,
  type BookingDeps,
} from './booking-steps';
import type { OccurrenceCheck } from './recurrence';
import { policyOf } from './schedule.service';
import {
  canBookAsClient,
  canBookForClient,
  canCancel,
  canReadReason,
  canReschedule,
  canViewAppointment,
  changeRefusal,
  isActive,
} from './scheduling.policy';

/** Refuses a change to an appointment that has started or is no longer active (the policy says which). */
function assertChangeable(a: Appointment, now: Date): void {
  const refusal = changeRefusal(a, now);
  if (refusal) throw new AppError(refusal, 'conflict');
}
import {
  clientBookingSchema,
  rescheduleSchema,
  therapistBookingSchema,
  type ClientBookingInput,
  type SeriesInput,
  type TherapistBookingInput,
} from './scheduling.schemas';
import type {
  Actor,
  Appointment,
  AppointmentType,
  SchedulingPerson,
  TherapistSchedule,
} from './scheduling.types';
import { createSeries, moveSeriesFrom, previewSeries } from './series';
import { careFollowsCancellation } from './care-rule';
import { therapistTransition } from './therapist-transitions';

export type { BookingDeps, BookingSettings } from './booking-steps';

/** Booking, series, changes, cancellations, approvals and no-shows. Every write is audited and mailed in one transaction. */
export class BookingService {
  readonly #d: BookingDeps;

  constructor(deps: BookingDeps) {
    this.#d = deps;
  }

  get lateCancelHours(): number {
    return this.#d.settings.lateCancelHours;
  }

  /** The instant after which a client's cancellation counts as late. */
  lateCancellationFrom(a: Appointment): Date {
    return new Date(a.start.getTime() - this.#d.settings.lateCancelHours * 3_600_000);
  }

  /** Fails unless `start` is one of the slots a client could pick right now. */
  async #assertBookableSlot(
    schedule: TherapistSchedule,
    type: AppointmentType,
    start: Date,
    transaction: Transaction,
    ignoreAppointmentId?: string,
  ): Promise<void> {
    const end = new Date(start.getTime() + type.durationMinutes * 60_000);
    let busy = await this.#d.repo.busyBlocks(
      schedule.therapistId,
      new Date(start.getTime() - DAY),
      new Date(end.getTime() + DAY),
      transaction,
    );
    if (ignoreAppointmentId) {
      const own = await loadAppointment(this.#d, ignoreAppointmentId, transaction);
      busy = busy.filter((b) => !(b.start === own.blockStart.getTime() && b.end === own.blockEnd.getTime()));
    }
    const slots = generateSlots({
      policy: policyOf(schedule),
      durationMinutes: type.durationMinutes,
      bufferBeforeMinutes: type.bufferBeforeMinutes,
      bufferAfterMinutes: type.bufferAfterMinutes,
      stepMinutes: schedule.slotStepMinutes,
      from: start,
      to: new Date(start.getTime() + 1),
      now: this.#d.clock.now(),
      busy,
    });
    if (!slots.some((s) => s.start.getTime() === start.getTime())) {
      throw new AppError(
        'appointment.slot_unavailable',
        'conflict',
        phrase('errors:booking.timeUnavailable'),
      );
    }
  }

  /** A client books (or, in request mode, requests) one of the slots they were shown. */
  async bookAsClient(actor: Actor, input: ClientBookingInput): Promise<Appointment> {
    if (!canBookAsClient(actor)) throw new AppError('appointment.forbidden', 'forbidden');
    const data = parse(clientBookingSchema, input, 'appointment.invalid');
    if (data.therapistId === actor.id)
      throw new AppError('appointment.self', 'bad_request', phrase('errors:booking.self'));
    const therapist = await this.#d.people.byId(data.therapistId);
    if (!therapist?.active || !therapist.roles.includes('therapist'))
      throw new AppError('appointment.unknown_therapist', 'not_found');
    await assertTherapistBookable(
      this.#d,
      data.therapistId,
      await bookerOf(this.#d, data.therapistId, actor.id),
    );
    const recipients = await this.#d.mailer.recipients([data.therapistId, actor.id]);
    return this.#d.sequelize.transaction(async (transaction) => {
      const schedule = await scheduleOrThrow(this.#d, data.therapistId, transaction);
      const type = await activeType(this.#d, data.typeId, transaction);
      if (type.kind !== 'individual')
        throw new AppError(
          'appointment.type_needs_therapist',
          'bad_request',
          phrase('errors:booking.therapistBooksKind'),
        );
      await this.#assertBookableSlot(schedule, type, data.start, transaction);
      const status = schedule.bookingMode === 'request' ? 'requested' : 'confirmed';
      const a = await insertAppointment(
        this.#d,
        {
          therapistId: data.therapistId,
          type,
          clientIds: [actor.id],
          start: data.start,
          status,
          reason: data.reason,
          bookedBy: actor,
          seriesId: null,
        },
        transaction,
      );
      await auditAppointment(
        this.#d,
        actor,
        status === 'requested' ? 'appointment.requested' : 'appointment.booked',
        a,
        transaction,
        { hasReason: a.hasReason },
      );
      await this.#d.mailer.notify(
        status === 'requested' ? 'requested' : 'booked',
        a,
        this.#d.clock.now(),
        transaction,
        recipients,
      );
      return a;
    });
  }

  /** A therapist books in their own calendar for one or more clients (may be outside usual hours). */
  async bookForClient(actor: Actor, input: TherapistBookingInput): Promise<Appointment> {
    if (!canBookForClient(actor, actor.id)) throw new AppError('appointment.forbidden', 'forbidden');
    const data = parse(therapistBookingSchema, input, 'appointment.invalid');
    // Only for clients they treat (checkClients), so the rule for existing clients applies.
    await assertTherapistBookable(this.#d, actor.id, 'existing_client');
    const type = await activeType(this.#d, data.typeId);
    await checkClients(this.#d, actor.id, type, data.clientIds);
    if (data.start.getTime() <= this.#d.clock.now().getTime()) throw new AppError('appointment.in_the_past');
    const recipients = await this.#d.mailer.recipients([actor.id, ...data.clientIds]);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await insertAppointment(
        this.#d,
        {
          therapistId: actor.id,
          type,
          clientIds: data.clientIds,
          start: data.start,
          status: 'confirmed',
          reason: data.reason,
          bookedBy: actor,
          seriesId: null,
        },
        transaction,
      );
      await auditAppointment(this.#d, actor, 'appointment.booked', a, transaction, {
        hasReason: a.hasReason,
      });
      await this.#d.mailer.notify('booked', a, this.#d.clock.now(), transaction, recipients);
      return a;
    });
  }

  /** Moves one appointment. Clients pick from open slots and not inside the late window. */
  async reschedule(actor: Actor, id: string, input: { start: string }): Promise<Appointment> {
    const { start } = parse(rescheduleSchema, input, 'appointment.invalid');
    const recipients = await participantsOf(this.#d, id);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await loadAppointment(this.#d, id, transaction);
      if (!canReschedule(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const now = this.#d.clock.now();
      assertChangeable(a, now);
      const type = await this.#d.repo.typeById(a.typeId, transaction);
      if (!type) throw new AppError('appointment_type.not_found', 'not_found');
      const isTherapist = actor.id === a.therapistId;
      if (!isTherapist) {
        if (a.clientIds.length > 1)
          throw new AppError(
            'appointment.change_by_therapist',
            'forbidden',
            phrase('errors:booking.sharedByTherapist'),
          );
        if (now >= this.lateCancellationFrom(a))
          throw new AppError(
            'appointment.change_too_late',
            'conflict',
            phrase('errors:booking.tooLateToChange', { hours: this.#d.settings.lateCancelHours }),
          );
        await this.#assertBookableSlot(
          await scheduleOrThrow(this.#d, a.therapistId, transaction),
          type,
          start,
          transaction,
          a.id,
        );
      } else if (start.getTime() <= now.getTime()) {
        throw new AppError('appointment.in_the_past');
      }
      const end = new Date(start.getTime() + type.durationMinutes * 60_000);
      const block = blockOf(start, end, type.bufferBeforeMinutes, type.bufferAfterMinutes);
      await this.#d.repo.releaseClaims(a.id, transaction);
      await this.#d.repo.claim(a.id, a.therapistId, new Date(block.start), new Date(block.end), transaction);
      await this.#d.repo.update(
        a.id,
        {
          start_at: start,
          end_at: end,
          block_start_at: new Date(block.start),
          block_end_at: new Date(block.end),
          bumpSequence: true,
          now,
        },
        transaction,
      );
      const moved = await loadAppointment(this.#d, a.id, transaction);
      await auditAppointment(this.#d, actor, 'appointment.rescheduled', moved, transaction, {
        from: a.start.toISOString(),
        to: start.toISOString(),
      });
      await this.#d.mailer.notify('changed', moved, now, transaction, recipients);
      return moved;
    });
  }

  /** Every occurrence of a planned series with its conflicts, shown before anything is created. */
  previewSeries(actor: Actor, input: SeriesInput): Promise<OccurrenceCheck[]> {
    return previewSeries(this.#d, actor, input);
  }

  /** Creates a series (see series.ts): conflicts refuse it unless skipped; claims make it atomic. */
  async createSeries(
    actor: Actor,
    input: SeriesInput,
  ): Promise<{ seriesId: string; created: Appointment[]; skipped: Date[] }> {
    await assertTherapistBookable(this.#d, actor.id, 'existing_client');
    return createSeries(this.#d, actor, input);
  }

  /** Moves this occurrence and all later ones of its series by the same wall-clock change. */
  moveSeriesFrom(actor: Actor, id: string, input: { start: string }): Promise<Appointment[]> {
    const { start } = parse(rescheduleSchema, input, 'appointment.invalid');
    return moveSeriesFrom(this.#d, actor, id, start);
  }

  /** Cancels one appointment, or it and the rest of its series. Late client cancellations are flagged. */
  async cancel(actor: Actor, id: string, scope: 'one' | 'rest' = 'one'): Promise<Appointment[]> {
    const recipients = await participantsOf(this.#d, id);
    const cancelled = await this.#d.sequelize.transaction(async (transaction) => {
      const a = await loadAppointment(this.#d, id, transaction);
      if (!canCancel(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const now = this.#d.clock.now();
      assertChangeable(a, now);
      const targets =
        scope === 'rest' && a.seriesId
          ? (await this.#d.repo.seriesFrom(a.seriesId, a.start, transaction)).filter(isActive)
          : [a];
      const cancelled: Appointment[] = [];
      for (const t of targets) {
        const late = actor.id !== t.therapistId && now >= this.lateCancellationFrom(t);
        await this.#d.repo.releaseClaims(t.id, transaction);
        await this.#d.repo.update(
          t.id,
          {
            status: 'cancelled',
            cancelled_by: actor.id,
            cancelled_at: now,
            late_cancellation: late,
            bumpSequence: true,
            now,
          },
          transaction,
        );
        const done = await loadAppointment(this.#d, t.id, transaction);
        await auditAppointment(this.#d, actor, 'appointment.cancelled', done, transaction, { late, scope });
        await careFollowsCancellation(this.#d, done, actor, transaction);
        cancelled.push(done);
      }
      if (cancelled.length === 1) {
        await this.#d.mailer.notify('cancelled', cancelled[0]!, now, transaction, recipients);
      } else
        await this.#d.mailer.notifySeries(
          `${a.seriesId}:cancel:${a.id}`,
          cancelled,
          now,
          transaction,
          'cancelled',
          recipients,
        );
      return cancelled;
    });
    for (const a of cancelled) this.#d.events?.settled(a.id, a.status, a.lateCancellation);
    return cancelled;
  }

  approve(actor: Actor, id: string): Promise<Appointment> {
    return therapistTransition(this.#d, actor, id, 'requested', 'confirmed', 'appointment.approved');
  }

  decline(actor: Actor, id: string): Promise<Appointment> {
    return therapistTransition(this.#d, actor, id, 'requested', 'declined', 'appointment.declined');
  }

  markNoShow(actor: Actor, id: string): Promise<Appointment> {
    return therapistTransition(this.#d, actor, id, 'confirmed', 'no_show', 'appointment.no_show');
  }

  /** The therapist ended the session in its room ("End for everyone"): it is completed. */
  complete(actor: Actor, id: string): Promise<Appointment> {
    return therapistTransition(this.#d, actor, id, 'confirmed', 'completed', 'appointment.completed');
  }

  /** The therapists this client may book now: hours set, not themself, and the directory's rule. */
  async therapistsFor(actor: Actor): Promise<SchedulingPerson[]> {
    const withHours = new Set(await this.#d.repo.therapistIdsWithSchedule());
    const offered: SchedulingPerson[] = [];
    for (const t of await this.#d.people.withRole('therapist')) {
      if (t.id === actor.id || !withHours.has(t.id)) continue;
      const from = await bookerOf(this.#d, t.id, actor.id);
      if (!this.#d.mayTakeBookings || (await this.#d.mayTakeBookings(t.id, from))) offered.push(t);
    }
    return offered;
  }

  /** A participant's view of one appointment (others get "not found", not "forbidden"). */
  async getForViewer(actor: Actor, id: string): Promise<Appointment> {
    const a = await loadAppointment(this.#d, id);
    if (!canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
    return a;
  }

  /** Decrypts the reason for visit for a participant; the read is audited. */
  async readReason(actor: Actor, id: string): Promise<string | null> {
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await loadAppointment(this.#d, id, transaction);
      if (!canReadReason(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const stored = await this.#d.repo.reasonCipherOf(id, transaction);
      if (stored === null) return null;
      await auditAppointment(this.#d, actor, 'appointment.reason.read', a, transaction);
      return this.#d.cipher.decrypt(stored, REASON_CONTEXT);
    });
  }

  /**
   * Upcoming (not yet over) or past appointments of the actor, as therapist and as client. Over means
   * its end has passed, or its session was ended for everyone (completed), even before its end.
   */
  async listFor(actor: Actor, scope: 'upcoming' | 'past'): Promise<Appointment[]> {
    return (await this.listsFor(actor, [scope]))[scope];
  }

  /**
   * The person's upcoming and past appointments from one read of the 800 days around now (the
   * appointments page shows both; it read the same rows twice). Upcoming soonest first, past most
   * recent first; an appointment from the day around now is in the list its end and status say.
   */
  async listsFor(
    actor: Actor,
    scopes: readonly ('upcoming' | 'past')[] = ['upcoming', 'past'],
  ): Promise<{ upcoming: Appointment[]; past: Appointment[] }> {
    const now = this.#d.clock.now();
    const from = new Date(now.getTime() - (scopes.includes('past') ? 400 * DAY : DAY));
    const to = new Date(now.getTime() + (scopes.includes('upcoming') ? 400 * DAY : DAY));
    const unique = await this.#d.repo.involving(actor.id, from, to);
    const over = (a: Appointment) => a.end <= now || a.status === 'completed';
    // Each list keeps the window it always had: upcoming from a day ago, past until a day ahead.
    const upcoming = unique.filter((a) => !over(a) && a.start.getTime() >= now.getTime() - DAY);
    const past = unique.filter((a) => over(a) && a.start.getTime() < now.getTime() + DAY);
    return {
      upcoming: upcoming.sort((x, y) => x.start.getTime() - y.start.getTime()),
      past: past.sort((x, y) => y.start.getTime() - x.start.getTime()),
    };
  }
}
