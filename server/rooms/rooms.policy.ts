import type { Actor, AppointmentForRoom, E2eeMode, Room, RoomKind, SeatRole } from './rooms.types';

/**
 * Who may do what with a room, as pure functions. Being an admin grants nothing here: an admin who is
 * not the therapist of record or an invited client cannot enter, watch or listen (no silent joining).
 */

export interface RoomParticipants {
  readonly hostId: string;
  readonly clientIds: readonly string[];
}

/** The seat a person takes in a room, or null if they are not one of its participants. */
export function seatRoleFor(actor: Actor, participants: RoomParticipants): SeatRole | null {
  // An invited guest's seat comes only from their pass (guestMayEnter), never from an id match.
  if (actor.guest) return null;
  if (actor.id === participants.hostId && actor.roles.includes('therapist')) return 'host';
  if (participants.clientIds.includes(actor.id)) return 'client';
  return null;
}

/**
 * An invited guest may knock only at the room of the one appointment their link was for; never at
 * an ad-hoc room or a group meeting, never at another appointment's room.
 */
export function guestMayEnter(actor: Actor, room: Pick<Room, 'kind' | 'appointmentId'>): boolean {
  return (
    actor.guest !== undefined &&
    room.kind === 'appointment' &&
    room.appointmentId === actor.guest.appointmentId
  );
}

/** Only a therapist may open an ad-hoc room, only for a client they treat, never for themselves. */
export function canOpenAdhocRoom(actor: Actor, clientId: string, treatsClient: boolean): boolean {
  return actor.roles.includes('therapist') && actor.id !== clientId && treatsClient;
}

export interface EntryWindow {
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/** An appointment room opens `openBeforeMs` before the start and closes `graceMs` after the end. */
export function appointmentWindow(
  appointment: Pick<AppointmentForRoom, 'startsAt' | 'endsAt'>,
  openBeforeMs: number,
  graceMs: number,
): EntryWindow {
  return {
    opensAt: new Date(appointment.startsAt.getTime() - openBeforeMs),
    closesAt: new Date(appointment.endsAt.getTime() + graceMs),
  };
}

export type WindowVerdict = 'open' | 'not_yet' | 'closed';

export function windowVerdict(window: EntryWindow, now: Date, room: Pick<Room, 'endedAt'>): WindowVerdict {
  if (room.endedAt) return 'closed';
  if (now < window.opensAt) return 'not_yet';
  if (now > window.closesAt) return 'closed';
  return 'open';
}

/**
 * A client confirms the safety check (location, callback number) before each appointment's
 * session; the therapist does not, nor anyone in an ad-hoc room or a peer-support meeting.
 */
export function needsSafetyCheck(role: SeatRole, room: Pick<Room, 'kind' | 'appointmentId'>): boolean {
  return role === 'client' && room.kind === 'appointment' && room.appointmentId !== null;
}

/** Only the host admits, denies, moves people back to waiting or ends the session. */
export function canManageRoom(role: SeatRole): boolean {
  return role === 'host';
}

/**
 * Whether a room's media is end-to-end encrypted (ROOM_E2EE; docs/media.md). Group meetings never
 * are (many people, simulcast). Under `per-session` an appointment's room follows its therapist's
 * choice, and an ad-hoc room, which has no page to choose on, is plain: off unless chosen.
 */
export function sessionEncrypted(mode: E2eeMode, room: { kind: RoomKind; e2eeChosen: boolean }): boolean {
  if (room.kind === 'group' || mode === 'off') return false;
  if (mode === 'on') return true;
  return room.kind === 'appointment' && room.e2eeChosen;
}
