import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import { LiveMediaService, type IceServersFor } from './live-media.service';
import { LiveSessionService } from './live-session.service';
import { E2eeRelay } from './e2ee-relay.service';
import { E2eeChoiceService } from './e2ee-choice.service';
import type { Outbox } from '../mail';
import type { GuestMailSettings } from './guest-mail';
import { defineGuestModels } from './guests.model';
import { GuestsRepository, type GuestAttendance } from './guests.repository';
import { RoomGuestsService, type GuestList, type GuestSessionPass, type LinkState } from './guests.service';
import { RoomAccessService, type RoomTimes } from './room-access.service';
import { RoomChatService } from './room-chat.service';
import { Pseudonyms } from './pseudonyms';
import { MeetingControls } from './meeting-controls.service';
import { defineRoomModels } from './rooms.model';
import { RoomsRepository } from './rooms.repository';
import { RoomsSubjectRecords } from './subject-records';
import { SafetyCheckPush } from './safety-check-push';
import { roomPage, type RoomPage } from './room-page';
import type {
  Actor,
  AppointmentLookup,
  AttendanceRecord,
  CareLookup,
  ChatMessage,
  E2eeMode,
  GroupMeetingLookup,
  MediaPort,
  PeopleLookup,
  RoomHomePort,
  SafetyCheckLookup,
} from './rooms.types';
import type { IceTransportPolicy } from './live.types';

export { LiveMediaService, type IceServersFor } from './live-media.service';
export { LiveSessionService, SEAT_HOLD_MS } from './live-session.service';
export { E2eeRelay } from './e2ee-relay.service';
export { E2eeChoiceService, type SessionEncryption } from './e2ee-choice.service';
export { RoomAccessService, ADHOC_ROOM_LIFETIME_MS } from './room-access.service';
export { RoomChatService } from './room-chat.service';
export { RoomsSubjectRecords } from './subject-records';
export * as roomSchemas from './rooms.schemas';
export * as meetingSchemas from './meeting.schemas';
export { GUEST_ROLES } from '../shared/guest-roles';
export type { GuestList, GuestSessionPass, GuestView, LinkState } from './guests.service';
export type { GuestAttendance } from './guests.repository';
export type { ClinicLanguages, GuestMailSettings } from './guest-mail';
export { MeetingControls } from './meeting-controls.service';
export type { RoomPage, SafetyCheckView } from './room-page';
export type * from './rooms.types';
export type * from './live.types';

/** The rooms feature as the transports (http, realtime) see it. */
export interface RoomsFeature {
  readonly access: RoomAccessService;
  readonly live: LiveSessionService;
  readonly media: LiveMediaService;
  /** End-to-end encrypted sessions: public keys and sealed sender keys between admitted people. */
  readonly e2ee: E2eeRelay;
  /** ROOM_E2EE=per-session: the therapist's choice for an appointment, and what its page says. */
  readonly e2eeChoice: E2eeChoiceService;
  /** Group meetings: facilitator controls, raised hands, reports. */
  readonly meeting: MeetingControls;
  attendance(roomId: string): Promise<AttendanceRecord[]>;
  /**
   * The room page's view model, if this person may enter now (the same rules as the socket's
   * `room:join`: otherwise the precise refusal, e.g. `room.safety_check_required`).
   */
  page(actor: Actor, roomId: string, ip: string | null): Promise<RoomPage>;
  /** A participant reads the room's chat afterwards (audited; any time, not only during the session). */
  transcript(actor: Actor, roomId: string, ip: string | null): Promise<ChatMessage[]>;
  /** A client's session chat for export, its deletion on erasure, attendance purge (data rights). */
  readonly subjectRecords: RoomsSubjectRecords;
  /** Rooms this therapist hosts where someone is waiting to be let in now, with their names. */
  waitingFor(hostId: string): Array<{ roomId: string; waitingNames: string[] }>;
  /** A client confirmed the safety check for an appointment: its therapist's open room shows it. */
  safetyCheckConfirmed(clientId: string, appointmentId: string): Promise<void>;
  /** Invited guests: the appointment page's list and form, the guest's link, their attendance. */
  readonly guests: RoomGuests;
  close(): void;
}

/** Invited guests as the transports see them (see RoomGuestsService for the rules). */
export interface RoomGuests {
  list(actor: Actor, appointmentId: string): Promise<GuestList>;
  invite(
    therapist: Actor,
    appointmentId: string,
    input: unknown,
    ip: string | null,
  ): Promise<Array<{ guestId: string; appointmentId: string; token: string }>>;
  /** Removes the guest from the appointment and, if they are in its live room, from the room now. */
  remove(therapist: Actor, guestId: string, ip: string | null): Promise<void>;
  askRemoval(client: Actor, guestId: string, ip: string | null): Promise<void>;
  linkState(token: string): Promise<LinkState>;
  /** The language a link's guest reads (their link page opens in it), null if unknown. */
  readingLanguageOf(token: string): Promise<string | null>;
  redeem(token: string, ip: string | null): Promise<GuestSessionPass>;
  /** The actor a guest's web session (or socket) acts as, or null once the therapist removed them. */
  actorOf(pass: GuestSessionPass): Promise<Actor | null>;
  /** The room of the guest's appointment (created if nobody has entered it yet). */
  roomOf(guest: Actor): Promise<string>;
  attendance(roomId: string): Promise<GuestAttendance[]>;
}

export interface RoomsDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly times: RoomTimes;
  readonly mediaPort: MediaPort;
  readonly people: PeopleLookup;
  /** Scheduling's appointment lookup; without it only ad-hoc rooms exist. */
  readonly appointments: AppointmentLookup | null;
  /** Clinical's care assignments; without it no ad-hoc room can be opened. */
  readonly care: CareLookup | null;
  /** The groups feature's meetings; without it there are no group-meeting rooms. */
  readonly meetings?: GroupMeetingLookup | null;
  /** Clinical's per-session safety check; without it no room asks for one. */
  readonly safetyChecks?: SafetyCheckLookup | null;
  /** TURN relays with short-lived credentials, handed out with each transport; none by default. */
  readonly iceServers?: IceServersFor;
  /** 'relay' makes browsers send all media through TURN (MEDIA_ICE_TRANSPORT_POLICY); default 'all'. */
  readonly iceTransportPolicy?: IceTransportPolicy;
  /** Where guests' invitations are queued; without it guests can be added but get no email. */
  readonly outbox?: Outbox | null;
  /** The guest invitation's link base, clinic name, the inviter's zone, its words and the clinic's languages. */
  readonly guestMail: GuestMailSettings;
  /** Several nodes on PostgreSQL: which node each room runs on. Absent: every room runs here. */
  readonly home?: RoomHomePort | null;
  /** ROOM_E2EE: which one-to-one and couple sessions are end-to-end encrypted; off by default. */
  readonly e2ee?: E2eeMode;
}

/** The actor an invited guest's pass stands for: no roles, one appointment. */
export function guestActor(pass: GuestSessionPass): Actor {
  return {
    id: pass.guestId,
    displayName: pass.displayName,
    roles: [],
    guest: { appointmentId: pass.appointmentId },
  };
}

export function createRooms(deps: RoomsDeps): RoomsFeature {
  const models = defineRoomModels(deps.sequelize);
  const repo = new RoomsRepository(models, deps.cipher);
  const guestsRepo = new GuestsRepository(defineGuestModels(deps.sequelize), deps.cipher);
  const guests = new RoomGuestsService({
    sequelize: deps.sequelize,
    repo: guestsRepo,
    audit: deps.audit,
    clock: deps.clock,
    times: deps.times,
    appointments: deps.appointments,
    outbox: deps.outbox ?? null,
    mail: deps.guestMail,
  });
  const access = new RoomAccessService({
    sequelize: deps.sequelize,
    repo,
    audit: deps.audit,
    clock: deps.clock,
    times: deps.times,
    appointments: deps.appointments,
    care: deps.care,
    meetings: deps.meetings ?? null,
    safetyChecks: deps.safetyChecks ?? null,
    guests,
  });
  const chat = new RoomChatService({
    sequelize: deps.sequelize,
    repo,
    audit: deps.audit,
    clock: deps.clock,
    people: deps.people,
  });
  const live = new LiveSessionService({
    sequelize: deps.sequelize,
    access,
    chat,
    repo,
    guests,
    guestsRepo,
    media: deps.mediaPort,
    audit: deps.audit,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'rooms' }),
    home: deps.home ?? null,
    e2ee: deps.e2ee ?? 'off',
  });
  const safetyPush = deps.safetyChecks
    ? new SafetyCheckPush({
        live,
        repo,
        checks: deps.safetyChecks,
        logger: deps.logger.child({ component: 'rooms' }),
      })
    : null;
  return {
    access,
    live,
    media: new LiveMediaService(live, deps.iceServers, deps.iceTransportPolicy),
    e2ee: new E2eeRelay(live),
    e2eeChoice: new E2eeChoiceService({
      mode: deps.e2ee ?? 'off',
      appointments: deps.appointments,
      repo,
      live,
      clustered: Boolean(deps.home),
    }),
    attendance: (roomId) => repo.attendanceFor(roomId),
    page: (actor, roomId, ip) =>
      roomPage(
        { access, guests, people: deps.people, safetyChecks: deps.safetyChecks ?? null },
        actor,
        roomId,
        ip,
      ),
    async transcript(actor, roomId, ip) {
      const { participants, group } = await access.participant(actor, roomId);
      const history = await chat.history(roomId, actor.id, participants.clientIds[0] ?? null, ip);
      // A group meeting's transcript, like its live chat, names people by group pseudonym only.
      return group ? new Pseudonyms(group.roster).present(history) : history;
    },
    subjectRecords: new RoomsSubjectRecords(models, deps.cipher),
    meeting: new MeetingControls({ live, meetings: deps.meetings ?? null, audit: deps.audit }),
    waitingFor: (hostId) =>
      live
        .hostedBy(hostId)
        .map((r) => ({ roomId: r.roomId, waitingNames: r.waiting().map((p) => p.displayName) }))
        .filter((r) => r.waitingNames.length > 0),
    safetyCheckConfirmed: async (clientId, appointmentId) => safetyPush?.confirmed(clientId, appointmentId),
    guests: {
      list: (actor, appointmentId) => guests.list(actor, appointmentId),
      invite: (therapist, appointmentId, input, ip) => guests.invite(therapist, appointmentId, input, ip),
      async remove(therapist, guestId, ip) {
        await guests.remove(therapist, guestId, ip);
        await live.expelGuest(guestId);
      },
      async askRemoval(client, guestId, ip) {
        await guests.askRemoval(client, guestId, ip);
        live.guestRemovalAsked(guestId);
      },
      linkState: (token) => guests.linkState(token),
      readingLanguageOf: (token) => guests.readingLanguageOf(token),
      redeem: (token, ip) => guests.redeem(token, ip),
      async actorOf(pass) {
        const guest = await guests.current(pass.guestId);
        if (!guest || guest.appointmentId !== pass.appointmentId) return null;
        return guestActor(pass);
      },
      roomOf: async (guest) => (await access.forAppointment(guest, guest.guest?.appointmentId ?? '')).id,
      attendance: (roomId) => guestsRepo.attendanceFor(roomId),
    },
    close: () => live.close(),
  };
}
