import type { ErrorCode } from '../shared/errors';
import type { Actor, Appointment } from './scheduling.types';

/** Who may do what in scheduling. Pure functions; services call them, routes never decide. */
const has = (actor: Actor, role: string): boolean => actor.roles.includes(role);

export const isParticipant = (actor: Actor, a: Appointment): boolean =>
  actor.id === a.therapistId || a.clientIds.includes(actor.id);

/** Only the people in an appointment see it (not admins: who sees whom is itself sensitive). */
export const canViewAppointment = isParticipant;

/** The reason for visit (health information): the client(s) who wrote it and the therapist. */
export const canReadReason = isParticipant;

export const canManageSchedule = (actor: Actor, therapistId: string): boolean =>
  (actor.id === therapistId && has(actor, 'therapist')) || has(actor, 'admin');

export const canManageTypes = (actor: Actor): boolean => has(actor, 'admin') || has(actor, 'therapist');

export const canBookAsClient = (actor: Actor): boolean => has(actor, 'client');

/** A therapist books in their own calendar only. */
export const canBookForClient = (actor: Actor, therapistId: string): boolean =>
  actor.id === therapistId && has(actor, 'therapist');

export const canCancel = isParticipant;
export const canReschedule = isParticipant;

/** Approving requests and recording no-shows belong to the appointment's therapist. */
export const canActAsTherapist = (actor: Actor, a: Appointment): boolean => actor.id === a.therapistId;

/**
 * Whether a session's media is end-to-end encrypted (ROOM_E2EE=per-session) is the treating
 * therapist's call: not the client's (they see it, they do not set it), not an admin's, not another
 * therapist's. Callers answer "not found" to anyone who cannot view the appointment at all.
 */
export const canChooseE2ee = (actor: Actor, a: Appointment): boolean =>
  actor.id === a.therapistId && has(actor, 'therapist');

/** Media to encrypt: video and audio sessions (a chat-only session sends none). */
export const hasMedia = (a: Pick<Appointment, 'format'>): boolean =>
  a.format === 'video' || a.format === 'audio';

/** The session can still happen: going ahead (or asked for) and not yet over. */
export const stillAhead = (a: Pick<Appointment, 'status' | 'end'>, now: Date): boolean =>
  isActive(a) && a.end.getTime() > now.getTime();

/** Still to happen and not cancelled, declined or over: the appointments a change can touch. */
export const isActive = (a: Pick<Appointment, 'status'>): boolean =>
  a.status === 'confirmed' || a.status === 'requested';

/**
 * Why an appointment can no longer be moved or cancelled at `now` (by anyone), or null if it can:
 * it has started, or it is not active. The pages' "Change or cancel" and the service's refusals
 * both come from here.
 */
export function changeRefusal(
  a: Pick<Appointment, 'status' | 'start'>,
  now: Date,
): Extract<ErrorCode, 'appointment.already_started' | 'appointment.not_active'> | null {
  if (a.start.getTime() <= now.getTime()) return 'appointment.already_started';
  if (!isActive(a)) return 'appointment.not_active';
  return null;
}

export const canChange = (a: Pick<Appointment, 'status' | 'start'>, now: Date): boolean =>
  changeRefusal(a, now) === null;
