import type { RoomParticipants } from './rooms.policy';
import type { GuestBadge, MediaRoomPort, RtpCapabilities, SeatRole, SeatState } from './rooms.types';
import type { MeetingFlags, PeerView } from './live.types';
import type { Pseudonyms } from './pseudonyms';

/** One person's place in a live room. */
export interface Seat {
  readonly userId: string;
  readonly displayName: string;
  readonly role: SeatRole;
  state: SeatState;
  connected: boolean;
  audioOnly: boolean;
  /** Open attendance row while admitted and connected. */
  attendanceId: string | null;
  /**
   * Set on admission: settles when its audit row and attendance row are committed (true) or could
   * not be (false). Chat and closing the attendance wait for it.
   */
  admissionWritten?: Promise<boolean> | null;
  /** What the person's browser can decode, said while waiting: admission makes their consumers ahead. */
  canDecode?: RtpCapabilities | null;
  /** Set while an admitted person is disconnected: their place is kept until it fires. */
  holdTimer: NodeJS.Timeout | null;
  /** When their connection dropped (by the service's clock): a rejoin after the hold is a new knock. */
  releasedAt?: Date | null;
  /** Invited guests only: role, an interpreter's language, whether the client asked for removal. */
  guest?: GuestBadge;
  /** When the person was last admitted: a guest sees the chat from here on, nothing before. */
  admittedAt?: Date | null;
  /**
   * E2EE rooms: the public key this connection's page said (base64), or null. Cleared when the
   * person comes back on a new page, which draws a new key pair.
   */
  e2eeKey?: string | null;
  /** Group meetings only: raised hand and the facilitator's mute / camera-off (enforced by media). */
  meeting?: { -readonly [F in keyof MeetingFlags]: MeetingFlags[F] };
}

/** The in-memory state of a room while anyone is in it (waiting or admitted). */
export class LiveRoom {
  readonly roomId: string;
  readonly hostId: string;
  participants: RoomParticipants;
  readonly seats = new Map<string, Seat>();
  media: MediaRoomPort | null = null;
  mediaPending: Promise<MediaRoomPort> | null = null;
  /** Set for a peer-support group meeting's room (see group-rooms.ts). */
  group: { meetingId: string; groupId: string; capacity: number } | null = null;
  pseudonyms: Pseudonyms | null = null;
  /**
   * Set when this room came to this node because its earlier node died (issue 22): settles to the
   * people who were admitted there and when that node was last heard. They come back to an
   * admitted seat within the seat hold, as after a reload, instead of knocking again (once each).
   */
  takenOver: Promise<Map<string, Date>> | null = null;
  /** The media is end-to-end encrypted between the browsers (ROOM_E2EE; never a group meeting). */
  e2ee = false;

  constructor(roomId: string, participants: RoomParticipants) {
    this.roomId = roomId;
    this.hostId = participants.hostId;
    this.participants = participants;
  }

  admittedIds(except?: string): string[] {
    return [...this.seats.values()]
      .filter((s) => s.state === 'admitted' && s.connected && s.userId !== except)
      .map((s) => s.userId);
  }

  /** The client whose record this session belongs to (first invited client), for the audit trail. */
  get subjectId(): string | null {
    return this.participants.clientIds[0] ?? null;
  }

  /**
   * The admitted people as `viewer` sees them: a guest is not told that the client asked for a
   * guest's removal (that is between the client and the therapist).
   */
  peers(viewer?: Pick<Seat, 'role'>): PeerView[] {
    const admitted = [...this.seats.values()].filter((s) => s.state === 'admitted').map((s) => view(s));
    if (viewer?.role !== 'guest') return admitted;
    return admitted.map((p) => (p.guest ? { ...p, guest: { ...p.guest, removalAsked: false } } : p));
  }

  /** The public keys of the admitted, connected people who have said one (E2EE rooms). */
  e2eeKeys(): Array<{ peerId: string; publicKey: string }> {
    return [...this.seats.values()]
      .filter((s) => s.state === 'admitted' && s.connected && s.e2eeKey)
      .map((s) => ({ peerId: s.userId, publicKey: s.e2eeKey as string }));
  }

  waiting(): PeerView[] {
    return [...this.seats.values()].filter((s) => s.state === 'waiting' && s.connected).map((s) => view(s));
  }

  /**
   * A payload as the people in this room may see it (group rooms: public ids and pseudonyms only).
   * Everything the rooms feature sends a page, an answer or a push, passes through here.
   */
  present<T>(payload: T): T {
    return this.pseudonyms ? this.pseudonyms.present(payload) : payload;
  }

  /** The user id behind an id a page sent (a group room names people by public id). */
  userIdOf(personId: string): string {
    return this.pseudonyms?.userIdOf(personId) ?? personId;
  }

  get empty(): boolean {
    return [...this.seats.values()].every((s) => !s.connected && !s.holdTimer);
  }
}

function view(seat: Seat): PeerView {
  return {
    userId: seat.userId,
    displayName: seat.displayName,
    role: seat.role,
    state: seat.state,
    connected: seat.connected,
    audioOnly: seat.audioOnly,
    ...(seat.meeting ? { meeting: { ...seat.meeting } } : {}),
    ...(seat.guest ? { guest: { ...seat.guest } } : {}),
  };
}
