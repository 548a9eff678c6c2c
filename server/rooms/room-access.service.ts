import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import {
  appointmentWindow,
  canOpenAdhocRoom,
  guestMayEnter,
  needsSafetyCheck,
  seatRoleFor,
  windowVerdict,
  type EntryWindow,
  type RoomParticipants,
} from './rooms.policy';
import type { RoomsRepository } from './rooms.repository';
import { groupEntry, newGroupRoom, type GroupEntry } from './group-rooms';
import { RoomGuestsService } from './guests.service';
import type {
  Actor,
  AppointmentLookup,
  CareLookup,
  GroupMeetingLookup,
  GuestBadge,
  Room,
  SafetyCheckLookup,
  SeatRole,
} from './rooms.types';

/** An ad-hoc room can be entered for this long after the therapist opens it. */
export const ADHOC_ROOM_LIFETIME_MS = 4 * 60 * 60 * 1000;

export interface RoomTimes {
  readonly openBeforeMs: number;
  readonly graceMs: number;
}

/** The outcome of "may this person come in now?": everything the live session needs. */
export interface Entry {
  readonly room: Room;
  readonly role: SeatRole;
  readonly participants: RoomParticipants;
  readonly window: EntryWindow;
  /** An audio appointment: the page starts in audio-only mode. */
  readonly audioOnly: boolean;
  /** The appointment's therapist chose end-to-end encrypted media (false for other rooms). */
  readonly e2eeChosen: boolean;
  /** A peer-support group meeting's room: the seat, pseudonyms and capacity. */
  readonly group?: GroupEntry;
  /** An invited guest: who they are in the session (role, an interpreter's language). */
  readonly guest?: GuestBadge;
}

/**
 * Finds or opens rooms and answers who may enter which room when. Every refusal is an AppError with
 * a stable code: `room.not_found`, `room.forbidden`, `room.not_open`, `room.closed`, and
 * `room.safety_check_required` for a client who has not confirmed this session's safety check.
 * Every way in (the room page, the appointment link, the socket's `room:join`) passes `entry`,
 * so the rules here hold for all of them.
 */
export class RoomAccessService {
  readonly #sequelize: Sequelize;
  readonly #repo: RoomsRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #times: RoomTimes;
  readonly #appointments: AppointmentLookup | null;
  readonly #care: CareLookup | null;
  readonly #meetings: GroupMeetingLookup | null;
  readonly #safetyChecks: SafetyCheckLookup | null;
  readonly #guests: RoomGuestsService | null;

  constructor(deps: {
    sequelize: Sequelize;
    repo: RoomsRepository;
    audit: AuditTrail;
    clock: Clock;
    times: RoomTimes;
    appointments: AppointmentLookup | null;
    care: CareLookup | null;
    meetings?: GroupMeetingLookup | null;
    safetyChecks?: SafetyCheckLookup | null;
    guests?: RoomGuestsService | null;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#times = deps.times;
    this.#appointments = deps.appointments;
    this.#care = deps.care;
    this.#meetings = deps.meetings ?? null;
    this.#safetyChecks = deps.safetyChecks ?? null;
    this.#guests = deps.guests ?? null;
  }

  /** The clients a therapist may start an ad-hoc session with. */
  async clientsFor(therapist: Actor): Promise<readonly string[]> {
    if (!therapist.roles.includes('therapist') || !this.#care) return [];
    return this.#care.clientsOf(therapist.id);
  }

  /**
   * A therapist opens (or reopens, if one is still open for the same people) an ad-hoc room for one
   * or more of their clients. Anyone else, or anyone's else client, gets `room.forbidden`.
   */
  async openAdhoc(actor: Actor, clientIds: readonly string[], ip: string | null): Promise<Room> {
    const unique = [...new Set(clientIds)];
    if (unique.length === 0)
      throw new AppError('room.invalid_client', 'bad_request', phrase('errors:room.chooseClient'));
    for (const clientId of unique) {
      const treats = this.#care ? await this.#care.isTreating(actor.id, clientId) : false;
      if (!canOpenAdhocRoom(actor, clientId, treats)) {
        throw new AppError('room.forbidden', 'forbidden', phrase('errors:room.ownClientsOnly'));
      }
    }
    const now = this.#clock.now();
    const existing = await this.#repo.openAdhocFor(actor.id, unique, now);
    if (existing) return existing;
    const room: Room = {
      id: newId(),
      kind: 'adhoc',
      appointmentId: null,
      hostId: actor.id,
      createdAt: now,
      closesAt: new Date(now.getTime() + ADHOC_ROOM_LIFETIME_MS),
      endedAt: null,
    };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.insert(room, unique, transaction);
      for (const clientId of unique) {
        await this.#audit.record(
          {
            actorId: actor.id,
            action: 'room.opened',
            targetType: 'room',
            targetId: room.id,
            subjectId: clientId,
            ip,
          },
          transaction,
        );
      }
    });
    return room;
  }

  /**
   * Ad-hoc sessions a therapist opened with this client that can still be entered: the client's home
   * and appointments list them (otherwise only the therapist would know the room's address).
   */
  async openAdhocSessionsFor(client: Actor): Promise<Room[]> {
    return this.#repo.openAdhocWithClient(client.id, this.#clock.now());
  }

  /** The room of an appointment, created on first entry by one of its participants. */
  async forAppointment(actor: Actor, appointmentId: string): Promise<Room> {
    const appointment = this.#appointments
      ? await this.#appointments.getAppointmentForRoom(appointmentId)
      : null;
    if (!appointment || appointment.cancelled || appointment.format === 'in_person') {
      throw new AppError('room.not_found', 'not_found', phrase('errors:room.noOnlineSession'));
    }
    const participants = { hostId: appointment.therapistId, clientIds: appointment.clientIds };
    const isGuest = guestMayEnter(actor, { kind: 'appointment', appointmentId });
    if (!seatRoleFor(actor, participants) && !isGuest) {
      throw new AppError('room.forbidden', 'forbidden', phrase('errors:room.notYours'));
    }
    const existing = await this.#repo.byAppointment(appointmentId);
    if (existing) return existing;
    const room: Room = {
      id: newId(),
      kind: 'appointment',
      appointmentId,
      hostId: appointment.therapistId,
      createdAt: this.#clock.now(),
      closesAt: null,
      endedAt: null,
    };
    try {
      await this.#sequelize.transaction((transaction) => this.#repo.insert(room, [], transaction));
    } catch (error) {
      // Two participants arriving at once: the unique appointment_id lets one insert win.
      const winner = await this.#repo.byAppointment(appointmentId);
      if (winner) return winner;
      throw error;
    }
    return room;
  }

  /**
   * The room of a group meeting, created on first entry by a facilitator or a member who may attend
   * (the groups feature refuses everyone else, with its own code, e.g. `meeting.removed`).
   */
  async forGroupMeeting(actor: Actor, meetingId: string): Promise<Room> {
    const meeting = this.#meetings ? await this.#meetings.forRoom(meetingId) : null;
    if (!meeting || meeting.cancelled || !this.#meetings) {
      throw new AppError('room.not_found', 'not_found', phrase('errors:room.noSuchMeeting'));
    }
    await this.#meetings.seat(meetingId, actor.id);
    const existing = await this.#repo.byMeeting(meetingId);
    if (existing) return existing;
    const room = newGroupRoom(meetingId, meeting.facilitatorIds, this.#clock.now());
    try {
      await this.#sequelize.transaction((transaction) => this.#repo.insert(room, [], transaction));
    } catch (error) {
      const winner = await this.#repo.byMeeting(meetingId);
      if (winner) return winner;
      throw error;
    }
    return room;
  }

  /**
   * Is this person one of the room's participants (whatever the time)? For the chat transcript
   * afterwards. Throws `room.not_found` or `room.forbidden`.
   */
  async participant(actor: Actor, roomId: string): Promise<Entry & { cancelled: boolean }> {
    const room = await this.#repo.byId(roomId);
    if (!room) throw new AppError('room.not_found', 'not_found', phrase('errors:room.noSuchRoom'));
    let participants: RoomParticipants;
    let window: EntryWindow;
    let cancelled = false;
    let audioOnly = false;
    let e2eeChosen = false;
    if (actor.guest) return this.#guestEntry(actor, room);
    if (room.kind === 'group') {
      const g = await groupEntry(this.#meetings, actor, room, this.#times);
      return { room, role: g.group.seat.role, audioOnly, e2eeChosen, ...g };
    }
    if (room.kind === 'appointment') {
      const appointment =
        room.appointmentId && this.#appointments
          ? await this.#appointments.getAppointmentForRoom(room.appointmentId)
          : null;
      if (!appointment) throw new AppError('room.not_found', 'not_found', phrase('errors:room.noSuchRoom'));
      cancelled = appointment.cancelled;
      audioOnly = appointment.format === 'audio';
      e2eeChosen = appointment.e2eeChosen;
      participants = { hostId: appointment.therapistId, clientIds: appointment.clientIds };
      window = appointmentWindow(appointment, this.#times.openBeforeMs, this.#times.graceMs);
    } else {
      participants = { hostId: room.hostId, clientIds: await this.#repo.participantIds(room.id) };
      window = { opensAt: room.createdAt, closesAt: room.closesAt ?? room.createdAt };
    }
    const role = seatRoleFor(actor, participants);
    if (!role) throw new AppError('room.forbidden', 'forbidden', phrase('errors:room.notYours'));
    return { room, role, participants, window, audioOnly, e2eeChosen, cancelled };
  }

  /** An invited guest's place: their appointment's room only, while the therapist has not removed them. */
  async #guestEntry(actor: Actor, room: Room): Promise<Entry & { cancelled: boolean }> {
    const guest = this.#guests ? await this.#guests.current(actor.id) : null;
    const appointment =
      room.appointmentId && this.#appointments
        ? await this.#appointments.getAppointmentForRoom(room.appointmentId)
        : null;
    if (!guest || !appointment || !guestMayEnter(actor, room) || guest.appointmentId !== room.appointmentId) {
      throw new AppError('room.forbidden', 'forbidden', phrase('errors:room.notYours'));
    }
    return {
      room,
      role: 'guest',
      participants: { hostId: appointment.therapistId, clientIds: appointment.clientIds },
      window: appointmentWindow(appointment, this.#times.openBeforeMs, this.#times.graceMs),
      audioOnly: appointment.format === 'audio',
      e2eeChosen: appointment.e2eeChosen,
      cancelled: appointment.cancelled,
      guest: RoomGuestsService.badge(guest),
    };
  }

  /** May this person enter this room now? Throws the precise refusal otherwise. */
  async entry(actor: Actor, roomId: string): Promise<Entry> {
    const { cancelled, ...entry } = await this.participant(actor, roomId);
    if (cancelled) {
      throw new AppError('room.closed', 'conflict', phrase('errors:room.notScheduled'), {
        reason: 'cancelled',
      });
    }
    const { window, room } = entry;
    const verdict = windowVerdict(window, this.#clock.now(), room);
    if (verdict === 'not_yet') {
      throw new AppError('room.not_open', 'conflict', phrase('errors:room.notOpenYet'), {
        opensAt: window.opensAt.toISOString(),
      });
    }
    if (verdict === 'closed') {
      throw new AppError('room.closed', 'conflict', phrase('errors:room.ended'), { reason: 'ended' });
    }
    await this.#requireSafetyCheck(actor, entry.role, room);
    return entry;
  }

  /** The safety-check rule (rooms.policy `needsSafetyCheck`), for every way into a room. */
  async #requireSafetyCheck(
    actor: Actor,
    role: SeatRole,
    room: Pick<Room, 'kind' | 'appointmentId'>,
  ): Promise<void> {
    if (!this.#safetyChecks || !needsSafetyCheck(role, room) || !room.appointmentId) return;
    if (await this.#safetyChecks.hasConfirmedSafetyCheck(actor.id, room.appointmentId)) return;
    throw new AppError('room.safety_check_required', 'forbidden', phrase('errors:room.safetyCheckFirst'), {
      appointmentId: room.appointmentId,
    });
  }

  /** The host ended the session for everyone: the room closes, and an appointment is completed. */
  async markEnded(roomId: string, host: Actor, ip: string | null): Promise<void> {
    await this.#repo.markEnded(roomId, this.#clock.now());
    const room = await this.#repo.byId(roomId);
    if (room?.kind === 'appointment' && room.appointmentId && this.#appointments) {
      await this.#appointments.completeFromRoom(room.appointmentId, { id: host.id, roles: host.roles, ip });
    }
  }
}
