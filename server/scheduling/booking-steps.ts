import type { Sequelize, Transaction } from 'sequelize';
import type { z } from 'zod';
import type { SchedulingEvents } from './scheduling-events';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, type ErrorCode, phrase } from '../shared/errors';
import type { FieldCipher } from '../shared/field-encryption';
import { newId } from '../shared/ids';
import { blockOf } from './availability';
import { careFollowsConfirmation } from './care-rule';
import type { SchedulingMailer } from './scheduling-mail';
import type { SchedulingRepository } from './scheduling.repository';
import { firstIssue } from './scheduling.schemas';
import type {
  Actor,
  Appointment,
  AppointmentStatus,
  AppointmentType,
  CareLookup,
  PeopleDirectory,
  TherapistSchedule,
} from './scheduling.types';

/**
 * The steps single bookings and series share (loading, checking, inserting with slot claims,
 * auditing), as plain functions over the booking dependencies.
 */
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
  /**
   * May this therapist be booked now, by someone new to them or a client they already treat? (The
   * directory's rule: new clients need a verified licence and "accepting new clients"; nobody books a
   * therapist whose licence has expired.) Absent: always yes.
   */
  readonly mayTakeBookings?:
    ((therapistId: string, from: 'new_client' | 'existing_client') => Promise<boolean>) | undefined;
  readonly settings: BookingSettings;
  /** Told after the commit when an appointment is completed, missed or cancelled. */
  readonly events?: SchedulingEvents;
}

/** Refuses a booking the directory's rule does not allow (see BookingDeps.mayTakeBookings). */
export async function assertTherapistBookable(
  d: BookingDeps,
  therapistId: string,
  from: 'new_client' | 'existing_client',
): Promise<void> {
  if (d.mayTakeBookings && !(await d.mayTakeBookings(therapistId, from))) {
    throw new AppError(
      'appointment.therapist_unavailable',
      'conflict',
      phrase(from === 'new_client' ? 'errors:booking.noNewClients' : 'errors:booking.noNewBookings'),
    );
  }
}

/** Is this client new to this therapist (no current care between them)? */
export async function bookerOf(
  d: BookingDeps,
  therapistId: string,
  clientId: string,
): Promise<'new_client' | 'existing_client'> {
  return d.care && (await d.care.isTreating(therapistId, clientId)) ? 'existing_client' : 'new_client';
}

export const REASON_CONTEXT = 'appointments.reason';
export const DAY = 86_400_000;

export function parse<T>(schema: z.ZodType<T, unknown>, input: unknown, code: ErrorCode): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError(code, 'bad_request', firstIssue(result.error));
  return result.data;
}

export async function scheduleOrThrow(
  d: BookingDeps,
  therapistId: string,
  transaction?: Transaction,
): Promise<TherapistSchedule> {
  const s = await d.repo.scheduleOf(therapistId, transaction);
  if (!s) throw new AppError('schedule.not_found', 'not_found', phrase('errors:booking.noHours'));
  return s;
}

export async function activeType(
  d: BookingDeps,
  typeId: string,
  transaction?: Transaction,
): Promise<AppointmentType> {
  const t = await d.repo.typeById(typeId, transaction);
  if (!t || !t.active) throw new AppError('appointment_type.not_found', 'not_found');
  return t;
}

export async function checkClients(
  d: BookingDeps,

  therapistId: string,
  type: AppointmentType,
  clientIds: readonly string[],
): Promise<void> {
  if (new Set(clientIds).size !== clientIds.length) throw new AppError('appointment.duplicate_client');
  if (clientIds.length > type.capacity) {
    throw new AppError(
      'appointment.too_many_clients',
      'bad_request',
      phrase('errors:booking.tooManyClients', { max: type.capacity }),
    );
  }
  for (const id of clientIds) {
    const p = await d.people.byId(id);
    if (!p || !p.active || !p.roles.includes('client')) throw new AppError('appointment.unknown_client');
    if (d.care && !(await d.care.isTreating(therapistId, id))) {
      throw new AppError('appointment.not_your_client', 'forbidden', phrase('errors:booking.notYourClient'));
    }
  }
}

/** The people of an appointment, read before a transaction (see SchedulingMailer.recipients). */
export async function participantsOf(d: BookingDeps, id: string) {
  const a = await d.repo.byId(id);
  return a ? d.mailer.recipients([a.therapistId, ...a.clientIds]) : [];
}

export async function loadAppointment(
  d: BookingDeps,
  id: string,
  transaction?: Transaction,
): Promise<Appointment> {
  const a = await d.repo.byId(id, transaction);
  if (!a) throw new AppError('appointment.not_found', 'not_found');
  return a;
}

export async function insertAppointment(
  d: BookingDeps,

  p: {
    therapistId: string;
    type: AppointmentType;
    clientIds: readonly string[];
    start: Date;
    status: AppointmentStatus;
    reason: string | undefined;
    /** Who books: recorded as `booked_by`, and as the actor of any care the booking begins. */
    bookedBy: Actor;
    seriesId: string | null;
  },
  transaction: Transaction,
): Promise<Appointment> {
  const end = new Date(p.start.getTime() + p.type.durationMinutes * 60_000);
  const block = blockOf(p.start, end, p.type.bufferBeforeMinutes, p.type.bufferAfterMinutes);
  const id = newId();
  await d.repo.insertAppointment(
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
      reasonCipher: p.reason ? d.cipher.encrypt(p.reason, REASON_CONTEXT) : null,
      bookedBy: p.bookedBy.id,
      now: d.clock.now(),
    },
    transaction,
  );
  const a = await loadAppointment(d, id, transaction);
  await careFollowsConfirmation(d, a, p.bookedBy, transaction);
  return a;
}

export async function auditAppointment(
  d: Pick<BookingDeps, 'audit'>,

  actor: Actor,
  action: string,
  a: Appointment,
  transaction: Transaction,
  details: Record<string, string | number | boolean | null> = {},
) {
  await d.audit.record(
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
