/**
 * The rooms feature's view of the world: who is acting, the ports it is given (scheduling, care
 * relationships, media), and what it hands back to the realtime layer. What crosses the wire is
 * declared once in `protocol/` and only re-exported here.
 */
import type {
  ConsumerOffer,
  DtlsParameters,
  GroupReport,
  IceCandidate,
  IceParameters,
  MediaKind,
  MediaSource,
  ProducerView,
  RtpCapabilities,
  RtpParameters,
  SctpParameters,
  SeatRole,
  TransportDirection,
  WarmUpOffer,
} from '../protocol';
import type { Role } from '../accounts';

export type {
  ChatMessage,
  GroupReport,
  GuestBadge,
  GuestRole,
  ProducerView,
  RtpCapabilities,
  SeatRole,
  SeatState,
} from '../protocol';

/**
 * An invited guest acting (no account): who they are for the room, from the web session their
 * single-use link started. `Actor.id` is the guest's id; `roles` is empty.
 */
export interface GuestPass {
  readonly appointmentId: string;
}

/** The person acting: a signed-in person (a slice of accounts' User), or an invited guest. */
export interface Actor {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** Set only for an invited guest: the one appointment whose room they may knock at. */
  readonly guest?: GuestPass;
}

export type RoomKind = 'appointment' | 'adhoc' | 'group';

export interface Room {
  readonly id: string;
  readonly kind: RoomKind;
  readonly appointmentId: string | null;
  /** The peer-support group meeting this room belongs to (kind `group`). */
  readonly meetingId?: string | null;
  readonly hostId: string;
  readonly createdAt: Date;
  readonly closesAt: Date | null;
  readonly endedAt: Date | null;
}

/** What scheduling tells us about an appointment (its `getAppointmentForRoom`). */
export interface AppointmentForRoom {
  readonly id: string;
  readonly therapistId: string;
  readonly clientIds: readonly string[];
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** e.g. 'video', 'audio', 'in_person'; in-person appointments have no room. */
  readonly format: string;
  readonly cancelled: boolean;
  /** Its session was ended for everyone: the appointment is over. */
  readonly completed: boolean;
  /** Its therapist chose end-to-end encrypted media (read under ROOM_E2EE=per-session only). */
  readonly e2eeChosen: boolean;
}

/** Port: the scheduling feature. */
export interface AppointmentLookup {
  getAppointmentForRoom(appointmentId: string): Promise<AppointmentForRoom | null>;
  /** The series' later appointments still going ahead (invite a guest to "this and the rest"). */
  laterInSeries(appointmentId: string): Promise<AppointmentForRoom[]>;
  /** The therapist ended the appointment's session for everyone: scheduling marks it completed. */
  completeFromRoom(
    appointmentId: string,
    therapist: { readonly id: string; readonly roles: readonly string[]; readonly ip?: string | null },
  ): Promise<void>;
  /**
   * The therapist's choice of end-to-end encrypted media for the session (and the series' later
   * ones): scheduling applies its rule (the appointment's therapist only; 404 to anyone who cannot
   * see it) and audits; `guard` is asked with the appointments it would change, before any write.
   */
  chooseE2ee(
    therapist: { readonly id: string; readonly roles: readonly string[]; readonly ip?: string | null },
    appointmentId: string,
    input: unknown,
    guard: (appointments: readonly AppointmentForRoom[]) => Promise<void>,
  ): Promise<AppointmentForRoom[]>;
}

/**
 * ROOM_E2EE: one-to-one and couple sessions are end-to-end encrypted never, always, or as the
 * appointment's therapist chose for it (`per-session`; ad-hoc sessions are then plain).
 */
export type E2eeMode = 'off' | 'on' | 'per-session';

/** What the groups feature tells us about a group meeting. */
export interface GroupMeetingForRoom {
  readonly id: string;
  readonly groupId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly cancelled: boolean;
  readonly capacity: number;
  readonly facilitatorIds: readonly string[];
}

/**
 * A person's seat at a group meeting: hosts are the group's facilitators. `publicId` replaces the
 * user id in everything other people in the room receive; `name` is the group pseudonym for members.
 */
export interface GroupMeetingSeat {
  readonly role: SeatRole;
  readonly publicId: string;
  readonly name: string;
}

/** Port: the groups feature's meetings (its `GroupMeetings` fits). */
export interface GroupMeetingLookup {
  forRoom(meetingId: string): Promise<GroupMeetingForRoom | null>;
  /** Throws the groups feature's refusal (`meeting.removed`, `meeting.blocked`, …) when there is no seat. */
  seat(meetingId: string, userId: string): Promise<GroupMeetingSeat>;
  roster(meetingId: string): Promise<readonly { userId: string; publicId: string; name: string }[]>;
  removeFromMeeting(
    facilitator: { id: string; roles: readonly string[]; ip?: string | null },
    meetingId: string,
    memberId: string,
    block: boolean,
  ): Promise<void>;
  report(
    reporter: { id: string; roles: readonly string[]; ip?: string | null },
    meetingId: string,
    input: unknown,
  ): Promise<GroupReport>;
}

/**
 * Port: the clinical feature's per-session safety check (telehealth practice: before each session
 * the client confirms where they are and a number to call them back on). Its IntakeService fits.
 */
export interface SafetyCheckLookup {
  hasConfirmedSafetyCheck(clientId: string, appointmentId: string): Promise<boolean>;
  /** The check a client confirmed for this appointment, read as `reader` (the care rule applies; audited). */
  latestSafetyCheck(
    reader: { readonly id: string; readonly roles: readonly Role[]; readonly ip?: string | null },
    clientId: string,
    appointmentId: string,
  ): Promise<{ location: string; callbackNumber: string; createdAt: Date } | null>;
}

/** Port: who treats whom (the clinical feature's care assignments). */
export interface CareLookup {
  isTreating(therapistId: string, clientId: string): Promise<boolean>;
  clientsOf(therapistId: string): Promise<readonly string[]>;
}

/** Port: display names for people in a room. */
export interface PeopleLookup {
  displayName(userId: string): Promise<string | null>;
}

/** What a browser needs to build its side of a transport (before the TURN relays are added). */
export interface TransportParams {
  readonly id: string;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: readonly IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
  readonly sctpParameters?: SctpParameters | undefined;
}

/** Port: one room's media (implemented by server/media's MediaRoom). */
export interface MediaRoomPort {
  readonly closed: boolean;
  readonly rtpCapabilities: RtpCapabilities;
  producers(): ProducerView[];
  createTransport(peerId: string, direction: TransportDirection): Promise<TransportParams>;
  connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void>;
  /** The idle data channel that connects the peer's receive transport before admission. */
  warmUp(peerId: string): Promise<WarmUpOffer>;
  restartIce(peerId: string, transportId: string): Promise<IceParameters>;
  produce(
    peerId: string,
    transportId: string,
    kind: MediaKind,
    rtpParameters: RtpParameters,
    source: MediaSource,
  ): Promise<ProducerView>;
  consume(peerId: string, producerId: string, rtpCapabilities: RtpCapabilities): Promise<ConsumerOffer>;
  resumeConsumer(peerId: string, consumerId: string): Promise<void>;
  setConsumerLayer(peerId: string, consumerId: string, spatialLayer: number): Promise<void>;
  setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<ProducerView>;
  closeProducer(peerId: string, producerId: string): void;
  closeConsumersOfKind(peerId: string, kind: MediaKind): string[];
  closeProducersOfKind(peerId: string, kind: MediaKind): void;
  closePeer(peerId: string): void;
  close(): void;
  on(event: 'activespeaker', listener: (e: { peerId: string | null }) => void): unknown;
  on(event: 'producerclosed', listener: (e: ProducerView) => void): unknown;
  on(event: 'producerpaused', listener: (e: ProducerView) => void): unknown;
  on(event: 'consumerclosed', listener: (e: { peerId: string; consumerId: string }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Port: where a live room runs when the clinic has several nodes on PostgreSQL (issue 22;
 * implemented by the cluster's RoomPlacement). Absent on one node, where every room runs here.
 */
export interface RoomHomePort {
  /** The room's node, placing it first (or moving it off a dead node). */
  locate(roomId: string): Promise<RoomHome>;
}

export interface RoomHome {
  readonly nodeId: string;
  /** The room runs on this node. */
  readonly here: boolean;
  /** Set when the room came here because its earlier node died: when that node was last heard, and when the room moved. */
  readonly movedFrom: { readonly lastSeenAt: Date; readonly movedAt: Date } | null;
}

/** Port: the media layer (implemented by server/media's MediaService). */
export interface MediaPort {
  room(roomId: string): Promise<MediaRoomPort>;
  existingRoom(roomId: string): Promise<MediaRoomPort | null>;
}

export interface AttendanceRecord {
  readonly userId: string;
  readonly joinedAt: Date;
  readonly leftAt: Date | null;
  readonly durationSeconds: number | null;
}
