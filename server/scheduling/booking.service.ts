import type { Sequelize, Transaction } from 'sequelize';
import type { z } from 'zod';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import { blockOf, generateSlots } from './availability';
import { checkOccurrences, expandRecurrence, type OccurrenceCheck } from './recurrence';
import { policyOf } from './schedule.service';
import { moveSeriesFrom } from './series-move';
import type { SchedulingMailer } from './scheduling-mail';
import {
  canActAsTherapist,
  canBookAsClient,
  canBookForClient,
  canCancel,
  canReadReason,
  canReschedule,
  canViewAppointment,
} from './scheduling.policy';
import type { SchedulingRepository } from './scheduling.repository';
import {
  clientBookingSchema,
  firstIssue,
  rescheduleSchema,
  seriesSchema,
  therapistBookingSchema,
  type ClientBookingInput,
  type SeriesInput,
  type TherapistBookingInput,
} from './scheduling.schemas';
import type {
  Actor,
  Appointment,
  AppointmentStatus,
  AppointmentType,
  CareLookup,
  PeopleDirectory,
  TherapistSchedule,
} from './scheduling.types';

export interface BookingSettings {
  /** Clients cancelling closer than this to the start are recorded as late cancellations. */
  readonly lateCancelHours: number;
}

export interface BookingDeps {
  readonly sequelize: Sequelize;
  readonly repo: SchedulingRepository;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly mailer: SchedulingMailer;
  readonly people: PeopleDirectory;
  /** When given, therapists may book only for clients they treat. */
  readonly care: CareLookup | null;
  readonly settings: BookingSettings;
}

const REASON_CONTEXT = 'appointments.reason';
const DAY = 86_400_000;

/** Blocking conflicts; "outside your usual hours" is only a warning when a therapist books. */
const blocking = (c: OccurrenceCheck) => c.conflicts.some((r) => r !== 'outside_availability');

function parse<T>(schema: z.ZodType<T, unknown>, input: unknown, code: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError(code, 'bad_request', firstIssue(result.error));
  return result.data;
}

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

  async #schedule(therapistId: string, transaction?: Transaction): Promise<TherapistSchedule> {
    const s = await this.#d.repo.scheduleOf(therapistId, transaction);
    if (!s) throw new AppError('schedule.not_found', 'not_found', 'This therapist has no booking hours yet.');
    return s;
  }

  async #type(typeId: string, transaction?: Transaction): Promise<AppointmentType> {
    const t = await this.#d.repo.typeById(typeId, transaction);
    if (!t || !t.active) throw new AppError('appointment_type.not_found', 'not_found');
    return t;
  }

  async #checkClients(
    therapistId: string,
    type: AppointmentType,
    clientIds: readonly string[],
  ): Promise<void> {
    if (new Set(clientIds).size !== clientIds.length) throw new AppError('appointment.duplicate_client');
    if (clientIds.length > type.capacity) {
      throw new AppError(
        'appointment.too_many_clients',
        'bad_request',
        `At most ${type.capacity} for this type.`,
      );
    }
    for (const id of clientIds) {
      const p = await this.#d.people.byId(id);
      if (!p || !p.active || !p.roles.includes('client')) throw new AppError('appointment.unknown_client');
      if (this.#d.care && !(await this.#d.care.isTreating(therapistId, id))) {
        throw new AppError(
          'appointment.not_your_client',
          'forbidden',
          'You can book only for your own clients.',
        );
      }
    }
  }

  /** The people of an appointment, read before a transaction (see SchedulingMailer.recipients). */
  async #participants(id: string) {
    const a = await this.#d.repo.byId(id);
    return a ? this.#d.mailer.recipients([a.therapistId, ...a.clientIds]) : [];
  }

  async #load(id: string, transaction?: Transaction): Promise<Appointment> {
    const a = await this.#d.repo.byId(id, transaction);
    if (!a) throw new AppError('appointment.not_found', 'not_found');
    return a;
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
      const own = await this.#load(ignoreAppointmentId, transaction);
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
      throw new AppError('appointment.slot_unavailable', 'conflict', 'That time is no longer available.');
    }
  }

  async #insert(
    p: {
      therapistId: string;
      type: AppointmentType;
      clientIds: readonly string[];
      start: Date;
      status: AppointmentStatus;
      reason: string | undefined;
      bookedBy: string;
      seriesId: string | null;
    },
    transaction: Transaction,
  ): Promise<Appointment> {
    const end = new Date(p.start.getTime() + p.type.durationMinutes * 60_000);
    const block = blockOf(p.start, end, p.type.bufferBeforeMinutes, p.type.bufferAfterMinutes);
    const id = newId();
    await this.#d.repo.insertAppointment(
      {
        id,
        therapistId: p.therapistId,
        clientIds: p.clientIds,
        typeId: p.type.id,
        seriesId: p.seriesId,
        start: p.start,
        end,
        blockStart: new Date(block.start),
        blockEnd: new Date(block.end),
        status: p.status,
        format: p.type.format,
        reasonCipher: p.reason ? this.#d.cipher.encrypt(p.reason, REASON_CONTEXT) : null,
        bookedBy: p.bookedBy,
        now: this.#d.clock.now(),
      },
      transaction,
    );
    return this.#load(id, transaction);
  }

  async #audit(
    actor: Actor,
    action: string,
    a: Appointment,
    transaction: Transaction,
    details: Record<string, string | number | boolean | null> = {},
  ) {
    await this.#d.audit.record(
      {
        actorId: actor.id,
        action,
        targetType: 'appointment',
        targetId: a.id,
        subjectId: a.clientIds[0] ?? null,
        ip: actor.ip ?? null,
        details: { status: a.status, ...details },
      },
      transaction,
    );
  }

  /** A client books (or, in request mode, requests) one of the slots they were shown. */
  async bookAsClient(actor: Actor, input: ClientBookingInput): Promise<Appointment> {
    if (!canBookAsClient(actor)) throw new AppError('appointment.forbidden', 'forbidden');
    const data = parse(clientBookingSchema, input, 'appointment.invalid');
    const therapist = await this.#d.people.byId(data.therapistId);
    if (!therapist?.active || !therapist.roles.includes('therapist'))
      throw new AppError('appointment.unknown_therapist', 'not_found');
    const recipients = await this.#d.mailer.recipients([data.therapistId, actor.id]);
    return this.#d.sequelize.transaction(async (transaction) => {
      const schedule = await this.#schedule(data.therapistId, transaction);
      const type = await this.#type(data.typeId, transaction);
      if (type.kind !== 'individual')
        throw new AppError(
          'appointment.type_needs_therapist',
          'bad_request',
          'Your therapist books this kind of session.',
        );
      await this.#assertBookableSlot(schedule, type, data.start, transaction);
      const status = schedule.bookingMode === 'request' ? 'requested' : 'confirmed';
      const a = await this.#insert(
        {
          therapistId: data.therapistId,
          type,
          clientIds: [actor.id],
          start: data.start,
          status,
          reason: data.reason,
          bookedBy: actor.id,
          seriesId: null,
        },
        transaction,
      );
      await this.#audit(
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
    const type = await this.#type(data.typeId);
    await this.#checkClients(actor.id, type, data.clientIds);
    if (data.start.getTime() <= this.#d.clock.now().getTime()) throw new AppError('appointment.in_the_past');
    const recipients = await this.#d.mailer.recipients([actor.id, ...data.clientIds]);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await this.#insert(
        {
          therapistId: actor.id,
          type,
          clientIds: data.clientIds,
          start: data.start,
          status: 'confirmed',
          reason: data.reason,
          bookedBy: actor.id,
          seriesId: null,
        },
        transaction,
      );
      await this.#audit(actor, 'appointment.booked', a, transaction, { hasReason: a.hasReason });
      await this.#d.mailer.notify('booked', a, this.#d.clock.now(), transaction, recipients);
      return a;
    });
  }

  async #planSeries(actor: Actor, data: ReturnType<typeof seriesSchema.parse>, transaction?: Transaction) {
    const schedule = await this.#schedule(actor.id, transaction);
    const type = await this.#type(data.typeId, transaction);
    const starts = expandRecurrence({
      firstStart: data.start,
      timeZone: schedule.timeZone,
      frequency: data.frequency,
      count: data.count ?? null,
      until: data.until ?? null,
    });
    const last = starts[starts.length - 1] ?? data.start;
    const busy = await this.#d.repo.busyBlocks(
      actor.id,
      new Date(data.start.getTime() - DAY),
      new Date(last.getTime() + DAY),
      transaction,
    );
    const checks = checkOccurrences({
      starts,
      durationMinutes: type.durationMinutes,
      bufferBeforeMinutes: type.bufferBeforeMinutes,
      bufferAfterMinutes: type.bufferAfterMinutes,
      policy: policyOf(schedule),
      busy,
      now: this.#d.clock.now(),
    });
    return { schedule, type, checks };
  }

  /** Every occurrence of a planned series with its conflicts, shown before anything is created. */
  async previewSeries(actor: Actor, input: SeriesInput): Promise<OccurrenceCheck[]> {
    if (!canBookForClient(actor, actor.id)) throw new AppError('appointment.forbidden', 'forbidden');
    const data = parse(seriesSchema, input, 'series.invalid');
    return (await this.#planSeries(actor, data)).checks;
  }

  /**
   * Creates a series. Occurrences with blocking conflicts stop the creation unless `skipConflicts`;
   * a slot taken between preview and creation rolls the whole series back (slot claims).
   */
  async createSeries(
    actor: Actor,
    input: SeriesInput,
  ): Promise<{ seriesId: string; created: Appointment[]; skipped: Date[] }> {
    if (!canBookForClient(actor, actor.id)) throw new AppError('appointment.forbidden', 'forbidden');
    const data = parse(seriesSchema, input, 'series.invalid');
    const type = await this.#type(data.typeId);
    await this.#checkClients(actor.id, type, data.clientIds);
    const recipients = await this.#d.mailer.recipients([actor.id, ...data.clientIds]);
    return this.#d.sequelize.transaction(async (transaction) => {
      const { schedule, checks } = await this.#planSeries(actor, data, transaction);
      const conflicted = checks.filter(blocking);
      if (conflicted.length > 0 && !data.skipConflicts) {
        throw new AppError(
          'series.conflicts',
          'conflict',
          `${conflicted.length} of the sessions conflict with other appointments.`,
        );
      }
      const seriesId = newId();
      const now = this.#d.clock.now();
      await this.#d.repo.insertSeries(
        {
          id: seriesId,
          therapist_id: actor.id,
          frequency: data.frequency,
          occurrence_count: data.count ?? null,
          until_date: data.until ?? null,
          time_zone: schedule.timeZone,
          created_by: actor.id,
          created_at: now,
        },
        transaction,
      );
      const created: Appointment[] = [];
      for (const c of checks.filter((x) => !blocking(x))) {
        created.push(
          await this.#insert(
            {
              therapistId: actor.id,
              type,
              clientIds: data.clientIds,
              start: c.start,
              status: 'confirmed',
              reason: undefined,
              bookedBy: actor.id,
              seriesId,
            },
            transaction,
          ),
        );
      }
      if (created.length === 0)
        throw new AppError('series.nothing_to_create', 'conflict', 'Every session conflicts.');
      for (const a of created) await this.#audit(actor, 'appointment.booked', a, transaction, { seriesId });
      await this.#d.mailer.notifySeries(seriesId, created, now, transaction, 'created', recipients);
      return { seriesId, created, skipped: conflicted.map((c) => c.start) };
    });
  }

  /** Moves one appointment. Clients pick from open slots and not inside the late window. */
  async reschedule(actor: Actor, id: string, input: { start: string }): Promise<Appointment> {
    const { start } = parse(rescheduleSchema, input, 'appointment.invalid');
    const recipients = await this.#participants(id);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await this.#load(id, transaction);
      if (!canReschedule(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const now = this.#d.clock.now();
      if (a.status !== 'confirmed' && a.status !== 'requested')
        throw new AppError('appointment.not_active', 'conflict');
      if (a.start.getTime() <= now.getTime()) throw new AppError('appointment.already_started', 'conflict');
      const type = await this.#d.repo.typeById(a.typeId, transaction);
      if (!type) throw new AppError('appointment_type.not_found', 'not_found');
      const isTherapist = actor.id === a.therapistId;
      if (!isTherapist) {
        if (a.clientIds.length > 1)
          throw new AppError(
            'appointment.change_by_therapist',
            'forbidden',
            'Your therapist changes shared sessions.',
          );
        if (now >= this.lateCancellationFrom(a))
          throw new AppError(
            'appointment.change_too_late',
            'conflict',
            `Changes are possible until ${this.#d.settings.lateCancelHours} hours before.`,
          );
        await this.#assertBookableSlot(
          await this.#schedule(a.therapistId, transaction),
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
      const moved = await this.#load(a.id, transaction);
      await this.#audit(actor, 'appointment.rescheduled', moved, transaction, {
        from: a.start.toISOString(),
        to: start.toISOString(),
      });
      await this.#d.mailer.notify('changed', moved, now, transaction, recipients);
      return moved;
    });
  }

  /** Moves this occurrence and all later ones of its series by the same wall-clock change. */
  moveSeriesFrom(actor: Actor, id: string, input: { start: string }): Promise<Appointment[]> {
    const { start } = parse(rescheduleSchema, input, 'appointment.invalid');
    return moveSeriesFrom(this.#d, actor, id, start);
  }

  /** Cancels one appointment, or it and the rest of its series. Late client cancellations are flagged. */
  async cancel(actor: Actor, id: string, scope: 'one' | 'rest' = 'one'): Promise<Appointment[]> {
    const recipients = await this.#participants(id);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await this.#load(id, transaction);
      if (!canCancel(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const now = this.#d.clock.now();
      if (a.start.getTime() <= now.getTime()) throw new AppError('appointment.already_started', 'conflict');
      if (a.status !== 'confirmed' && a.status !== 'requested')
        throw new AppError('appointment.not_active', 'conflict');
      const targets =
        scope === 'rest' && a.seriesId
          ? (await this.#d.repo.seriesFrom(a.seriesId, a.start, transaction)).filter(
              (x) => x.status === 'confirmed' || x.status === 'requested',
            )
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
        const done = await this.#load(t.id, transaction);
        await this.#audit(actor, 'appointment.cancelled', done, transaction, { late, scope });
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
  }

  async #therapistTransition(
    actor: Actor,
    id: string,
    from: AppointmentStatus,
    to: AppointmentStatus,
    action: string,
  ): Promise<Appointment> {
    const recipients = await this.#participants(id);
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await this.#load(id, transaction);
      if (!canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      if (!canActAsTherapist(actor, a)) throw new AppError('appointment.forbidden', 'forbidden');
      if (a.status !== from) throw new AppError('appointment.wrong_status', 'conflict');
      const now = this.#d.clock.now();
      if (to === 'no_show' && now < a.start)
        throw new AppError(
          'appointment.not_started',
          'conflict',
          'A no-show can be recorded once the start time has passed.',
        );
      if (to === 'declined') await this.#d.repo.releaseClaims(a.id, transaction);
      await this.#d.repo.update(a.id, { status: to, bumpSequence: to !== 'no_show', now }, transaction);
      const done = await this.#load(a.id, transaction);
      await this.#audit(actor, action, done, transaction);
      if (to === 'confirmed') await this.#d.mailer.notify('approved', done, now, transaction, recipients);
      if (to === 'declined') await this.#d.mailer.notify('declined', done, now, transaction, recipients);
      return done;
    });
  }

  approve(actor: Actor, id: string): Promise<Appointment> {
    return this.#therapistTransition(actor, id, 'requested', 'confirmed', 'appointment.approved');
  }

  decline(actor: Actor, id: string): Promise<Appointment> {
    return this.#therapistTransition(actor, id, 'requested', 'declined', 'appointment.declined');
  }

  markNoShow(actor: Actor, id: string): Promise<Appointment> {
    return this.#therapistTransition(actor, id, 'confirmed', 'no_show', 'appointment.no_show');
  }

  /** A participant's view of one appointment (others get "not found", not "forbidden"). */
  async getForViewer(actor: Actor, id: string): Promise<Appointment> {
    const a = await this.#load(id);
    if (!canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
    return a;
  }

  /** Decrypts the reason for visit for a participant; the read is audited. */
  async readReason(actor: Actor, id: string): Promise<string | null> {
    return this.#d.sequelize.transaction(async (transaction) => {
      const a = await this.#load(id, transaction);
      if (!canReadReason(actor, a)) throw new AppError('appointment.not_found', 'not_found');
      const stored = await this.#d.repo.reasonCipherOf(id, transaction);
      if (stored === null) return null;
      await this.#audit(actor, 'appointment.reason.read', a, transaction);
      return this.#d.cipher.decrypt(stored, REASON_CONTEXT);
    });
  }

  /** Upcoming (not yet ended) or past appointments of the actor, as therapist and as client. */
  async listFor(actor: Actor, scope: 'upcoming' | 'past'): Promise<Appointment[]> {
    const now = this.#d.clock.now();
    const [from, to] =
      scope === 'upcoming'
        ? [new Date(now.getTime() - DAY), new Date(now.getTime() + 400 * DAY)]
        : [new Date(now.getTime() - 400 * DAY), now];
    const mine = [
      ...(await this.#d.repo.forTherapist(actor.id, from, to)),
      ...(await this.#d.repo.forClient(actor.id, from, to)),
    ];
    const unique = [...new Map(mine.map((a) => [a.id, a])).values()];
    const chosen = unique.filter((a) => (scope === 'upcoming' ? a.end > now : a.end <= now));
    return chosen.sort((x, y) => (scope === 'upcoming' ? 1 : -1) * (x.start.getTime() - y.start.getTime()));
  }
}
