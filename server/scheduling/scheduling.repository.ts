import { Op, QueryTypes, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import { AppError, phrase } from '../shared/errors';
import type { TimeRange, WeeklyWindow, Weekday } from './availability';
import type { AppointmentRow, AppointmentTypeRow, SchedulingModels, SeriesRow } from './scheduling.model';
import {
  ACTIVE_STATUSES,
  type Appointment,
  type AppointmentFormat,
  type AppointmentKind,
  type AppointmentStatus,
  type AppointmentType,
  type BookingMode,
  type StoredException,
  type TherapistSchedule,
} from './scheduling.types';
import { claimGrains } from './slot-claims';

/** Every column of an appointment row, for the plain-SQL reads (checked against the row type). */
const APPOINTMENT_COLUMNS = (
  [
    'id',
    'therapist_id',
    'appointment_type_id',
    'series_id',
    'start_at',
    'end_at',
    'block_start_at',
    'block_end_at',
    'status',
    'format',
    'sequence',
    'reason_cipher',
    'booked_by',
    'late_cancellation',
    'e2ee_chosen',
    'cancelled_by',
    'cancelled_at',
    'created_at',
    'updated_at',
  ] satisfies (keyof AppointmentRow)[]
).join(', ');

const toType = (r: AppointmentTypeRow): AppointmentType => ({
  id: r.id,
  name: r.name,
  durationMinutes: r.duration_minutes,
  format: r.format as AppointmentFormat,
  kind: r.kind as AppointmentKind,
  capacity: r.capacity,
  bufferBeforeMinutes: r.buffer_before_minutes,
  bufferAfterMinutes: r.buffer_after_minutes,
  active: Boolean(r.active),
});

/** One row of SCHEDULE_IN_ONE_STATEMENT: `part` 0 the settings, 1 a weekly window, 2 an exception. */
interface SchedulePart {
  readonly part: number;
  readonly text1: string | null;
  readonly text2: string | null;
  readonly text3: string | null;
  readonly n1: number | null;
  readonly n2: number | null;
  readonly n3: number | null;
}

/**
 * A therapist's schedule as rows of one shape (plain SQL, the same on SQLite and PostgreSQL; text and
 * integer columns only, so UNION ALL needs no casts). Ordered by part, then the date (exceptions'
 * only text3), then n1 and n2: weekday and start for hours, start and end for exceptions.
 */
const SCHEDULE_IN_ONE_STATEMENT = `
SELECT 0 AS part, time_zone AS text1, booking_mode AS text2, NULL AS text3,
       min_notice_minutes AS n1, horizon_days AS n2, slot_step_minutes AS n3
  FROM therapist_schedules WHERE therapist_id = :therapistId
UNION ALL
SELECT 1, NULL, NULL, NULL, weekday, start_minute, end_minute
  FROM availability_windows WHERE therapist_id = :therapistId
UNION ALL
SELECT 2, id, kind, "date", start_minute, end_minute, NULL
  FROM availability_exceptions WHERE therapist_id = :therapistId
ORDER BY part, text3, n1, n2`;

export interface NewAppointment {
  readonly id: string;
  readonly therapistId: string;
  readonly clientIds: readonly string[];
  readonly typeId: string;
  readonly seriesId: string | null;
  readonly start: Date;
  readonly end: Date;
  readonly blockStart: Date;
  readonly blockEnd: Date;
  readonly status: AppointmentStatus;
  readonly format: AppointmentFormat;
  readonly reasonCipher: string | null;
  readonly bookedBy: string;
  readonly now: Date;
}

export interface ScheduleSettings {
  readonly therapistId: string;
  readonly timeZone: string;
  readonly minNoticeMinutes: number;
  readonly horizonDays: number;
  readonly slotStepMinutes: number;
  readonly bookingMode: BookingMode;
}

/** Data access for scheduling. Returns plain objects only. */
export class SchedulingRepository {
  readonly #m: SchedulingModels;

  constructor(models: SchedulingModels) {
    this.#m = models;
  }

  // ── appointment types ────────────────────────────────────────────────────────────────────────
  async listTypes(activeOnly: boolean): Promise<AppointmentType[]> {
    const rows = await this.#m.types.findAll({
      where: activeOnly ? { active: true } : {},
      order: [['name', 'ASC']],
    });
    return rows.map((r) => toType(r.get({ plain: true })));
  }

  async typeById(id: string, transaction?: Transaction): Promise<AppointmentType | null> {
    const row = await this.#m.types.findByPk(id, { transaction });
    return row ? toType(row.get({ plain: true })) : null;
  }

  async insertType(type: AppointmentType, now: Date, transaction?: Transaction): Promise<void> {
    await this.#m.types.create(
      {
        id: type.id,
        name: type.name,
        duration_minutes: type.durationMinutes,
        format: type.format,
        kind: type.kind,
        capacity: type.capacity,
        buffer_before_minutes: type.bufferBeforeMinutes,
        buffer_after_minutes: type.bufferAfterMinutes,
        active: type.active,
        created_at: now,
        updated_at: now,
      },
      { transaction },
    );
  }

  async updateType(type: AppointmentType, now: Date, transaction?: Transaction): Promise<void> {
    await this.#m.types.update(
      {
        name: type.name,
        duration_minutes: type.durationMinutes,
        format: type.format,
        capacity: type.capacity,
        buffer_before_minutes: type.bufferBeforeMinutes,
        buffer_after_minutes: type.bufferAfterMinutes,
        active: type.active,
        updated_at: now,
      },
      { where: { id: type.id }, transaction },
    );
  }

  async setTypeActive(id: string, active: boolean, now: Date, transaction?: Transaction): Promise<boolean> {
    const [count] = await this.#m.types.update({ active, updated_at: now }, { where: { id }, transaction });
    return count > 0;
  }

  // ── schedules ────────────────────────────────────────────────────────────────────────────────
  /** Whether the therapist has set up hours at all (one statement; scheduleOf reads three tables). */
  async hasSchedule(therapistId: string): Promise<boolean> {
    return (await this.#m.schedules.count({ where: { therapist_id: therapistId } })) > 0;
  }

  /**
   * The settings, weekly hours and exceptions in one statement (the /schedule page and every slot
   * search read it; three statements before, issue 21): one UNION ALL whose `part` says which table a
   * row is from, in the same order as before (hours by weekday then start, exceptions by date then
   * start; a NULL start sorts as the database sorts it, as it did).
   */
  async scheduleOf(therapistId: string, transaction?: Transaction): Promise<TherapistSchedule | null> {
    const rows = await this.#m.schedules.sequelize!.query<SchedulePart>(SCHEDULE_IN_ONE_STATEMENT, {
      replacements: { therapistId },
      type: QueryTypes.SELECT,
      transaction,
    });
    const settings = rows.find((r) => r.part === 0);
    if (!settings) return null;
    const weekly: WeeklyWindow[] = [];
    const exceptions: StoredException[] = [];
    for (const r of rows) {
      if (r.part === 1) weekly.push({ weekday: r.n1 as Weekday, startMinute: r.n2!, endMinute: r.n3! });
      else if (r.part === 2)
        exceptions.push({
          id: r.text1!,
          date: r.text3!,
          kind: r.text2 as StoredException['kind'],
          startMinute: r.n1,
          endMinute: r.n2,
        });
    }
    return {
      therapistId,
      timeZone: settings.text1!,
      minNoticeMinutes: settings.n1!,
      horizonDays: settings.n2!,
      slotStepMinutes: settings.n3!,
      bookingMode: settings.text2 as BookingMode,
      weekly,
      exceptions,
    };
  }

  /** Replaces a therapist's settings and weekly hours (exceptions are kept). */
  async saveSchedule(
    settings: ScheduleSettings,
    weekly: readonly WeeklyWindow[],
    newId: () => string,
    now: Date,
    transaction: Transaction,
  ): Promise<void> {
    await this.#m.schedules.upsert(
      {
        therapist_id: settings.therapistId,
        time_zone: settings.timeZone,
        min_notice_minutes: settings.minNoticeMinutes,
        horizon_days: settings.horizonDays,
        slot_step_minutes: settings.slotStepMinutes,
        booking_mode: settings.bookingMode,
        updated_at: now,
      },
      { transaction },
    );
    await this.#m.windows.destroy({ where: { therapist_id: settings.therapistId }, transaction });
    await this.#m.windows.bulkCreate(
      weekly.map((w) => ({
        id: newId(),
        therapist_id: settings.therapistId,
        weekday: w.weekday,
        start_minute: w.startMinute,
        end_minute: w.endMinute,
      })),
      { transaction },
    );
  }

  async insertException(
    therapistId: string,
    e: StoredException,
    now: Date,
    transaction?: Transaction,
  ): Promise<void> {
    await this.#m.exceptions.create(
      {
        id: e.id,
        therapist_id: therapistId,
        date: e.date,
        kind: e.kind,
        start_minute: e.startMinute,
        end_minute: e.endMinute,
        created_at: now,
      },
      { transaction },
    );
  }

  async deleteException(therapistId: string, id: string, transaction?: Transaction): Promise<boolean> {
    return (await this.#m.exceptions.destroy({ where: { id, therapist_id: therapistId }, transaction })) > 0;
  }

  async therapistIdsWithSchedule(): Promise<string[]> {
    const rows = await this.#m.schedules.findAll({ attributes: ['therapist_id'] });
    return rows.map((r) => r.get('therapist_id') as string);
  }

  // ── appointments ─────────────────────────────────────────────────────────────────────────────
  async #withClients(rows: AppointmentRow[], transaction?: Transaction): Promise<Appointment[]> {
    if (rows.length === 0) return [];
    // Plain SQL: every list of appointments comes through here.
    const links = await this.#m.participants.sequelize!.query<{ appointment_id: string; client_id: string }>(
      'SELECT appointment_id, client_id FROM appointment_participants WHERE appointment_id IN (:ids)',
      { replacements: { ids: rows.map((r) => r.id) }, type: QueryTypes.SELECT, transaction },
    );
    const clientsOf = new Map<string, string[]>();
    for (const { appointment_id, client_id } of links) {
      clientsOf.set(appointment_id, [...(clientsOf.get(appointment_id) ?? []), client_id]);
    }
    return rows.map((r) => ({
      id: r.id,
      therapistId: r.therapist_id,
      clientIds: (clientsOf.get(r.id) ?? []).sort(),
      typeId: r.appointment_type_id,
      seriesId: r.series_id,
      start: new Date(r.start_at),
      end: new Date(r.end_at),
      blockStart: new Date(r.block_start_at),
      blockEnd: new Date(r.block_end_at),
      status: r.status as AppointmentStatus,
      format: r.format as AppointmentFormat,
      sequence: r.sequence,
      hasReason: r.reason_cipher !== null,
      bookedBy: r.booked_by,
      lateCancellation: Boolean(r.late_cancellation),
      e2eeChosen: Boolean(r.e2ee_chosen),
      cancelledBy: r.cancelled_by,
      cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
      createdAt: new Date(r.created_at),
    }));
  }

  async #find(where: WhereOptions<AppointmentRow>, transaction?: Transaction, limit?: number) {
    const rows = await this.#m.appointments.findAll({
      where,
      order: [['start_at', 'ASC']],
      transaction,
      ...(limit ? { limit } : {}),
    });
    return this.#withClients(
      rows.map((r) => r.get({ plain: true })),
      transaction,
    );
  }

  /**
   * Claims the block's grains, then writes the appointment. A claim that already exists (another
   * booking won the race or overlaps) raises `appointment.slot_taken`; the caller's transaction
   * must then roll back.
   */
  async insertAppointment(a: NewAppointment, transaction: Transaction): Promise<void> {
    await this.#m.appointments.create(
      {
        id: a.id,
        therapist_id: a.therapistId,
        appointment_type_id: a.typeId,
        series_id: a.seriesId,
        start_at: a.start,
        end_at: a.end,
        block_start_at: a.blockStart,
        block_end_at: a.blockEnd,
        status: a.status,
        format: a.format,
        sequence: 0,
        reason_cipher: a.reasonCipher,
        booked_by: a.bookedBy,
        late_cancellation: false,
        e2ee_chosen: false,
        cancelled_by: null,
        cancelled_at: null,
        created_at: a.now,
        updated_at: a.now,
      },
      { transaction },
    );
    await this.#m.participants.bulkCreate(
      a.clientIds.map((client_id) => ({ appointment_id: a.id, client_id })),
      { transaction },
    );
    await this.claim(a.id, a.therapistId, a.blockStart, a.blockEnd, transaction);
  }

  async claim(
    appointmentId: string,
    therapistId: string,
    blockStart: Date,
    blockEnd: Date,
    transaction: Transaction,
  ): Promise<void> {
    const grains = claimGrains({ start: blockStart.getTime(), end: blockEnd.getTime() });
    try {
      await this.#m.claims.bulkCreate(
        grains.map((g) => ({
          therapist_id: therapistId,
          grain_minute: Math.round(g.getTime() / 60_000),
          appointment_id: appointmentId,
        })),
        { transaction },
      );
    } catch (error) {
      if (error instanceof UniqueConstraintError) {
        throw new AppError('appointment.slot_taken', 'conflict', phrase('errors:booking.justTaken'));
      }
      throw error;
    }
  }

  async releaseClaims(appointmentId: string, transaction: Transaction): Promise<void> {
    await this.#m.claims.destroy({ where: { appointment_id: appointmentId }, transaction });
  }

  async byId(id: string, transaction?: Transaction): Promise<Appointment | null> {
    return (await this.#find({ id }, transaction))[0] ?? null;
  }

  async reasonCipherOf(id: string, transaction?: Transaction): Promise<string | null> {
    const row = await this.#m.appointments.findByPk(id, { attributes: ['reason_cipher'], transaction });
    return (row?.get('reason_cipher') as string | null | undefined) ?? null;
  }

  /** Active appointments' blocks that intersect [from, to) — what slot generation must avoid. */
  async busyBlocks(
    therapistId: string,
    from: Date,
    to: Date,
    transaction?: Transaction,
  ): Promise<TimeRange[]> {
    const rows = await this.#m.appointments.findAll({
      attributes: ['block_start_at', 'block_end_at'],
      where: {
        therapist_id: therapistId,
        status: { [Op.in]: [...ACTIVE_STATUSES] },
        block_start_at: { [Op.lt]: to },
        block_end_at: { [Op.gt]: from },
      },
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return { start: new Date(p.block_start_at).getTime(), end: new Date(p.block_end_at).getTime() };
    });
  }

  async update(
    id: string,
    changes: Partial<
      Pick<AppointmentRow, 'status' | 'start_at' | 'end_at' | 'block_start_at' | 'block_end_at'>
    > & {
      late_cancellation?: boolean;
      e2ee_chosen?: boolean;
      cancelled_by?: string | null;
      cancelled_at?: Date | null;
      bumpSequence: boolean;
      now: Date;
    },
    transaction: Transaction,
  ): Promise<void> {
    const { bumpSequence, now, ...columns } = changes;
    const row = await this.#m.appointments.findByPk(id, { transaction });
    if (!row) throw new AppError('appointment.not_found', 'not_found');
    await row.update(
      { ...columns, updated_at: now, ...(bumpSequence ? { sequence: Number(row.get('sequence')) + 1 } : {}) },
      { transaction },
    );
  }

  async forTherapist(therapistId: string, from: Date, to: Date): Promise<Appointment[]> {
    return this.#find({ therapist_id: therapistId, start_at: { [Op.gte]: from, [Op.lt]: to } });
  }

  /**
   * The person's appointments on either side (as therapist, or as one of the clients) starting in
   * [from, to): one statement for the appointments (the client side by subquery) and one for their
   * clients, where reading each side separately took four. Plain SQL (the home page, the
   * appointments page and the admin's day ask): dates go in as the dialect writes them (Sequelize
   * formats Date replacements as it formats stored values) and come back as text from SQLite.
   */
  async involving(personId: string, from: Date, to: Date): Promise<Appointment[]> {
    const rows = await this.#m.appointments.sequelize!.query<AppointmentRow>(
      `SELECT ${APPOINTMENT_COLUMNS} FROM appointments
        WHERE (therapist_id = :personId
               OR id IN (SELECT appointment_id FROM appointment_participants WHERE client_id = :personId))
          AND start_at >= :from AND start_at < :to
        ORDER BY start_at ASC`,
      { replacements: { personId, from, to }, type: QueryTypes.SELECT },
    );
    return this.#withClients(rows);
  }

  async forClient(clientId: string, from: Date, to: Date): Promise<Appointment[]> {
    const links = await this.#m.participants.findAll({
      where: { client_id: clientId },
      attributes: ['appointment_id'],
    });
    if (links.length === 0) return [];
    return this.#find({
      id: { [Op.in]: links.map((l) => l.get('appointment_id') as string) },
      start_at: { [Op.gte]: from, [Op.lt]: to },
    });
  }

  /**
   * How many appointments of this therapist with this client, other than `exceptId`, are in one of
   * `statuses` (the care rule asks whether anything else happened between the two).
   */
  async countBetween(
    therapistId: string,
    clientId: string,
    statuses: readonly AppointmentStatus[],
    exceptId: string,
    transaction?: Transaction,
  ): Promise<number> {
    const links = await this.#m.participants.findAll({
      where: { client_id: clientId, appointment_id: { [Op.ne]: exceptId } },
      attributes: ['appointment_id'],
      transaction,
    });
    if (links.length === 0) return 0;
    return this.#m.appointments.count({
      where: {
        id: { [Op.in]: links.map((l) => l.get('appointment_id') as string) },
        therapist_id: therapistId,
        status: { [Op.in]: [...statuses] },
      },
      transaction,
    });
  }

  /** Series occurrences from a start onwards (for "cancel the rest of the series"). */
  async seriesFrom(seriesId: string, from: Date, transaction?: Transaction): Promise<Appointment[]> {
    return this.#find({ series_id: seriesId, start_at: { [Op.gte]: from } }, transaction);
  }

  /** Confirmed appointments starting in (from, to]: reminder candidates. */
  async confirmedStartingBetween(from: Date, to: Date, limit: number): Promise<Appointment[]> {
    return this.#find({ status: 'confirmed', start_at: { [Op.gt]: from, [Op.lte]: to } }, undefined, limit);
  }

  /** Appointments that may bill (billing's sweep): completed, no-shows and late cancellations starting in [from, to). */
  async settledStartingBetween(from: Date, to: Date): Promise<Appointment[]> {
    return this.#find({
      start_at: { [Op.gte]: from, [Op.lt]: to },
      [Op.or]: [
        { status: { [Op.in]: ['completed', 'no_show'] } },
        { status: 'cancelled', late_cancellation: true },
      ],
    });
  }

  async insertSeries(row: SeriesRow, transaction: Transaction): Promise<void> {
    await this.#m.series.create(row, { transaction });
  }

  // ── calendar feeds ───────────────────────────────────────────────────────────────────────────
  async setFeed(userId: string, tokenHash: string, now: Date, transaction?: Transaction): Promise<void> {
    await this.#m.feeds.destroy({ where: { user_id: userId }, transaction });
    await this.#m.feeds.create({ user_id: userId, token_hash: tokenHash, created_at: now }, { transaction });
  }

  async feedOwner(tokenHash: string): Promise<string | null> {
    const row = await this.#m.feeds.findOne({ where: { token_hash: tokenHash } });
    return (row?.get('user_id') as string | undefined) ?? null;
  }

  async hasFeed(userId: string): Promise<boolean> {
    return (await this.#m.feeds.count({ where: { user_id: userId } })) > 0;
  }

  async deleteFeed(userId: string, transaction?: Transaction): Promise<boolean> {
    return (await this.#m.feeds.destroy({ where: { user_id: userId }, transaction })) > 0;
  }
}
