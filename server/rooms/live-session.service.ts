import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import { TypedEmitter } from '../shared/typed-emitter';
import { assertRoomForOneMore, seatInGroupRoom } from './group-rooms';
import { LiveRoom, type Seat } from './live-room';
import { takeOverAttendance } from './room-takeover';
import type { AdmittedPayload, JoinResult, LiveNotice, LiveNoticeMap, LiveNoticeName } from './live.types';
import type { RoomAccessService } from './room-access.service';
import type { RoomChatService } from './room-chat.service';
import type { GuestsRepository } from './guests.repository';
import type { RoomGuestsService } from './guests.service';
import { canManageRoom, sessionEncrypted } from './rooms.policy';
import type { RoomsRepository } from './rooms.repository';
import type {
  Actor,
  ChatMessage,
  E2eeMode,
  MediaPort,
  MediaRoomPort,
  ProducerView,
  RoomHomePort,
} from './rooms.types';
import type { ConsumerOffer } from '../protocol';

/** How long an admitted person's place is kept after their connection drops (reload, network blip). */
export const SEAT_HOLD_MS = 120_000;

export interface LiveSessionEvents {
  notice: [LiveNotice];
}

/**
 * The live part of a session: who is waiting, who is admitted, and the gate in front of media and
 * chat. The server decides everything here; a page that skips a step gets `room.not_admitted`.
 * It speaks upward through `notice` events (the realtime layer delivers them to sockets).
 */
export class LiveSessionService extends TypedEmitter<LiveSessionEvents> {
  readonly #sequelize: Sequelize;
  readonly #access: RoomAccessService;
  readonly #chat: RoomChatService;
  readonly #repo: RoomsRepository;
  readonly #media: MediaPort;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, LiveRoom>();
  readonly #guests: RoomGuestsService;
  readonly #guestsRepo: GuestsRepository;
  readonly #home: RoomHomePort | null;
  /** Set by `handOver()`: this node is stopping and another will take its rooms over. */
  #handingOver = false;
  readonly #e2ee: E2eeMode;

  constructor(deps: {
    sequelize: Sequelize;
    access: RoomAccessService;
    chat: RoomChatService;
    repo: RoomsRepository;
    guests: RoomGuestsService;
    guestsRepo: GuestsRepository;
    media: MediaPort;
    audit: AuditTrail;
    clock: Clock;
    logger: Logger;
    /** Several nodes: where each room runs. Absent: every room runs here. */
    home?: RoomHomePort | null;
    /** ROOM_E2EE: which one-to-one and couple rooms are end-to-end encrypted (default off). */
    e2ee?: E2eeMode;
  }) {
    super(deps.logger);
    this.#home = deps.home ?? null;
    this.#sequelize = deps.sequelize;
    this.#access = deps.access;
    this.#chat = deps.chat;
    this.#repo = deps.repo;
    this.#guests = deps.guests;
    this.#guestsRepo = deps.guestsRepo;
    this.#media = deps.media;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#e2ee = deps.e2ee ?? 'off';
  }

  /**
   * Enter a room: the host is admitted at once; a client waits (or returns to a held place); an
   * invited guest always knocks, every time (their place is never held). With several nodes the
   * room runs on one of them: joining on another is refused with `room.elsewhere`, naming the node
   * to connect to.
   */
  async join(actor: Actor, roomId: string, ip: string | null): Promise<JoinResult> {
    const entry = await this.#access.entry(actor, roomId);
    const home = this.#home ? await this.#home.locate(roomId) : null;
    if (home && !home.here) {
      throw new AppError('room.elsewhere', 'conflict', phrase('errors:room.elsewhere'), {
        node: home.nodeId,
      });
    }
    let live = this.#rooms.get(roomId);
    if (!live) {
      live = new LiveRoom(roomId, entry.participants);
      this.#rooms.set(roomId, live);
      if (home?.movedFrom)
        live.takenOver = takeOverAttendance(this.#repo, this.#logger, roomId, home.movedFrom);
    }
    // Decided as the room comes alive and kept while anyone is in it: every page in it keys (or not)
    // for the same answer. The therapist's choice cannot change meanwhile (E2eeChoiceService).
    if (live.empty) {
      live.e2ee = sessionEncrypted(this.#e2ee, { kind: entry.room.kind, e2eeChosen: entry.e2eeChosen });
    }
    live.participants = entry.participants;
    const carriedOver = await this.#carriedOver(live, actor.id);
    if (entry.group) seatInGroupRoom(live, actor.id, entry.group);
    let seat = live.seats.get(actor.id);
    if (seat && this.#holdExpired(seat)) {
      // Back after the hold (the timer may not have fired yet): a new knock, as if they had left.
      if (seat.holdTimer) clearTimeout(seat.holdTimer);
      live.seats.delete(actor.id);
      seat = undefined;
    }
    // Coming back (a reconnect, a reload, another tab): the page builds its media from scratch, so
    // whatever an earlier connection still had in the room goes first (the others are told).
    if (seat) {
      live.media?.closePeer(actor.id);
      seat.e2eeKey = null;
    }
    if (!seat) {
      seat = {
        userId: actor.id,
        // In a group meeting, the person's group pseudonym (facilitators: their display name).
        displayName: entry.group?.seat.name ?? actor.displayName,
        role: entry.role,
        state: entry.role === 'host' || carriedOver ? 'admitted' : 'waiting',
        connected: true,
        audioOnly: false,
        attendanceId: null,
        holdTimer: null,
        ...(entry.group ? { meeting: { handRaised: false, muted: false, cameraOff: false } } : {}),
        ...(entry.guest ? { guest: entry.guest } : {}),
      };
      live.seats.set(actor.id, seat);
    }
    seat.connected = true;
    seat.releasedAt = null;
    if (seat.holdTimer) clearTimeout(seat.holdTimer);
    seat.holdTimer = null;
    await this.#audit.record({
      actorId: actor.id,
      action: seat.state === 'admitted' ? 'room.entered' : 'room.knocked',
      targetType: 'room',
      targetId: roomId,
      subjectId: live.subjectId,
      ip,
    });
    let admitted: AdmittedPayload | null = null;
    if (seat.state === 'admitted') admitted = await this.#enterAdmitted(live, seat, ip);
    else this.#notifyHost(live);
    // A waiting page gets the router's capabilities too, to prepare its media before admission.
    const rtpCapabilities =
      admitted?.rtpCapabilities ??
      (await this.#ensureMedia(live).then(
        (media) => media.rtpCapabilities,
        () => null,
      ));
    return live.present({
      roomId,
      selfId: actor.id,
      role: seat.role,
      state: seat.state,
      waiting: seat.role === 'host' ? live.waiting() : [],
      admitted,
      rtpCapabilities,
      e2ee: live.e2ee,
    });
  }

  /** Leaving on purpose gives up the place; a dropped connection keeps it for SEAT_HOLD_MS. */
  async leave(actor: Actor, roomId: string, deliberate: boolean): Promise<void> {
    const live = this.#rooms.get(roomId);
    const seat = live?.seats.get(actor.id);
    if (!live || !seat) return;
    seat.connected = false;
    live.media?.closePeer(actor.id);
    // A node handing its rooms over leaves attendance open, as a dead node's is: the node taking
    // the room over closes it and lets the person back in without a knock. A guest always knocks
    // again and their attendance is not taken over, so theirs closes here.
    if (deliberate || !this.#handingOver || seat.role === 'guest') await this.#closeAttendance(seat);
    if (deliberate || seat.state === 'waiting' || seat.role === 'guest') {
      live.seats.delete(actor.id);
    } else {
      seat.releasedAt = this.#clock.now();
      seat.holdTimer = setTimeout(() => {
        seat.holdTimer = null;
        if (!seat.connected) live.seats.delete(actor.id);
        this.#forgetIfEmpty(live);
      }, SEAT_HOLD_MS);
      seat.holdTimer.unref();
    }
    this.#notifyHost(live);
    this.#notifyPeers(live);
    this.#forgetIfEmpty(live);
  }

  /** `personId` is the id the room shows (a public id in a group meeting), as a page sends it. */
  async admit(host: Actor, roomId: string, personId: string, ip: string | null): Promise<void> {
    const live = this.#managed(host, roomId);
    await this.#admit(host, live, live.userIdOf(personId), ip);
  }

  async admitAll(host: Actor, roomId: string, ip: string | null): Promise<number> {
    const live = this.#managed(host, roomId);
    const waiting = live.waiting();
    for (const person of waiting) await this.#admit(host, live, person.userId, ip);
    return waiting.length;
  }

  /**
   * Admission. The push goes out before anything is written (or begins to be): it carries no
   * health information (router capabilities, who sends what, who is here), and writing first put
   * three fsyncs (35 ms unloaded, 30–240 ms on a busy disk) between the click and the client
   * starting its media. The writes follow at once as one transaction: the admission's audit row, the attendance row, and
   * the chat history's read with its audit row. Health information waits for that commit: the chat
   * history is sent only after it (`room:chat-history`) and a chat line waits for it. Live audio and
   * video are not stored or read from a record, so they do not wait; if the transaction fails the
   * person is moved back to the waiting room (and told), so no admission stands unrecorded.
   */
  async #admit(host: Actor, live: LiveRoom, userId: string, ip: string | null): Promise<void> {
    const media = await this.#ensureMedia(live);
    const seat = live.seats.get(userId);
    if (!seat || seat.state !== 'waiting' || !seat.connected) {
      throw new AppError('room.not_waiting', 'not_found', phrase('errors:room.notWaiting'));
    }
    assertRoomForOneMore(live);
    seat.state = 'admitted';
    seat.admittedAt = this.#clock.now();
    const attendanceId = newId();
    seat.attendanceId = attendanceId;
    // The transaction begins once the push is out: begun before it, its statements' JavaScript
    // (query building, result parsing) ran on this thread between the consumers being made and
    // the push. Anything that must wait for the writes (a chat line, a leave) finds
    // `admissionWritten` set from here on, before the first await.
    let startWriting: () => void = () => {};
    const written = new Promise<void>((resolve) => (startWriting = resolve)).then(() =>
      this.#writeAdmission(host, live, seat, attendanceId, ip),
    );
    seat.admissionWritten = written.then(
      () => true,
      () => false,
    );
    try {
      const producers = media.producers().filter((p) => p.peerId !== userId);
      this.#send(live, [userId], 'room:admitted', {
        rtpCapabilities: media.rtpCapabilities,
        producers,
        chat: [],
        peers: live.peers(seat),
        consumers: await this.#consumeAhead(media, seat, producers),
      });
    } finally {
      startWriting();
    }
    this.#notifyPeers(live);
    this.#notifyHost(live);
    let chat: ChatMessage[];
    try {
      chat = await written;
    } catch (error) {
      this.#logger.error({ err: error, roomId: live.roomId }, 'admission could not be written');
      if (seat.attendanceId === attendanceId && seat.state === 'admitted') {
        seat.state = 'waiting';
        seat.admittedAt = null;
        seat.attendanceId = null;
        live.media?.closePeer(userId);
        this.#send(live, [userId], 'room:moved-to-waiting', {});
        this.#notifyPeers(live);
        this.#notifyHost(live);
      }
      throw error;
    }
    if (chat.length > 0 && seat.attendanceId === attendanceId)
      this.#send(live, [userId], 'room:chat-history', { messages: chat });
  }

  /**
   * The admitted person's consumers, made (paused) before the push on the receive transport they
   * prepared while waiting, so the page need not ask for each: one round trip and one SDP
   * renegotiation fewer. Only when the page said what it can decode; a track that cannot be consumed
   * here is left for the page to ask for (and be told why).
   */
  async #consumeAhead(
    media: MediaRoomPort,
    seat: Seat,
    producers: readonly ProducerView[],
  ): Promise<ConsumerOffer[]> {
    const canDecode = seat.canDecode;
    if (!canDecode) return [];
    const made = await Promise.all(
      producers.map((p) => media.consume(seat.userId, p.producerId, canDecode).catch(() => null)),
    );
    return made.filter((c): c is ConsumerOffer => c !== null);
  }

  /** The admission's audit row, attendance row and chat read (audited): one transaction, one fsync. */
  #writeAdmission(
    host: Actor,
    live: LiveRoom,
    seat: Seat,
    attendanceId: string,
    ip: string | null,
  ): Promise<ChatMessage[]> {
    return this.#sequelize.transaction(async (transaction) => {
      await this.#audit.record(
        {
          actorId: host.id,
          action: 'room.admitted',
          targetType: 'room',
          targetId: live.roomId,
          subjectId: seat.userId,
          ip,
        },
        transaction,
      );
      // A guest's time in the room has its own table (room_attendance names accounts only).
      const attendance = seat.role === 'guest' ? this.#guestsRepo : this.#repo;
      await attendance.openAttendance(attendanceId, live.roomId, seat.userId, this.#clock.now(), transaction);
      // A guest reads no chat from before they were let in (their place is never held, so each
      // admission starts afresh); everyone else gets the session's chat so far.
      const since = seat.role === 'guest' ? (seat.admittedAt ?? null) : null;
      return this.#chat.history(live.roomId, seat.userId, live.subjectId, ip, transaction, since);
    });
  }

  async deny(host: Actor, roomId: string, personId: string, ip: string | null): Promise<void> {
    const live = this.#managed(host, roomId);
    const userId = live.userIdOf(personId);
    const seat = live.seats.get(userId);
    if (!seat || seat.state !== 'waiting') {
      throw new AppError('room.not_waiting', 'not_found', phrase('errors:room.notWaiting'));
    }
    live.seats.delete(userId);
    await this.#audit.record({
      actorId: host.id,
      action: 'room.denied',
      targetType: 'room',
      targetId: roomId,
      subjectId: userId,
      ip,
    });
    this.#send(live, [userId], 'room:denied', {});
    this.#notifyHost(live);
  }

  /** Back to the waiting room: their media stops at once and they must be admitted again. */
  async moveToWaiting(host: Actor, roomId: string, personId: string, ip: string | null): Promise<void> {
    const live = this.#managed(host, roomId);
    const userId = live.userIdOf(personId);
    const seat = live.seats.get(userId);
    if (!seat || seat.state !== 'admitted' || seat.role === 'host') {
      throw new AppError('room.not_admitted_peer', 'not_found', phrase('errors:room.notInSession'));
    }
    seat.state = 'waiting';
    seat.audioOnly = false;
    seat.admittedAt = null;
    live.media?.closePeer(userId);
    await this.#closeAttendance(seat);
    await this.#audit.record({
      actorId: host.id,
      action: 'room.moved_to_waiting',
      targetType: 'room',
      targetId: roomId,
      subjectId: userId,
      ip,
    });
    this.#send(live, [userId], 'room:moved-to-waiting', {});
    this.#notifyPeers(live);
    this.#notifyHost(live);
  }

  /** Ends the session for everyone: media closes, attendance closes, the room cannot be entered again. */
  async end(host: Actor, roomId: string, ip: string | null): Promise<void> {
    const live = this.#managed(host, roomId);
    const everyone = [...live.seats.keys()];
    for (const seat of live.seats.values()) {
      if (seat.holdTimer) clearTimeout(seat.holdTimer);
      await this.#closeAttendance(seat);
    }
    live.seats.clear();
    live.media?.close();
    this.#rooms.delete(roomId);
    await this.#access.markEnded(roomId, host, ip);
    await this.#audit.record({
      actorId: host.id,
      action: 'room.ended',
      targetType: 'room',
      targetId: roomId,
      subjectId: live.subjectId,
      ip,
    });
    this.#send(live, everyone, 'room:ended', {});
  }

  /** The therapist removes an invited guest: out of the room now, and their link and pass stop working. */
  async removeGuest(host: Actor, roomId: string, personId: string, ip: string | null): Promise<void> {
    const live = this.#managed(host, roomId);
    const seat = live.seats.get(personId);
    if (!seat || seat.role !== 'guest') {
      throw new AppError('guest.not_found', 'not_found', phrase('errors:room.notAGuest'));
    }
    await this.#guests.remove(host, seat.userId, ip);
    await this.expel(live, seat.userId, 'room:removed', {});
  }

  /** A guest removed from the appointment's page while in a live room leaves it at once. */
  async expelGuest(guestId: string): Promise<void> {
    for (const live of this.#rooms.values()) {
      if (live.seats.get(guestId)?.role === 'guest') await this.expel(live, guestId, 'room:removed', {});
    }
  }

  /** A client in the session asks the therapist to remove a guest; the therapist sees it and decides. */
  async askGuestRemoval(client: Actor, roomId: string, personId: string, ip: string | null): Promise<void> {
    const { live, seat: own } = this.admitted(client, roomId);
    const seat = live.seats.get(personId);
    if (own.role !== 'client' || !seat?.guest) {
      throw new AppError('guest.not_found', 'not_found', phrase('errors:room.notAGuest'));
    }
    await this.#guests.askRemoval(client, seat.userId, ip);
    this.guestRemovalAsked(seat.userId);
  }

  /** A client asked (here or on the appointment's page): a seated guest's badge says so, the therapist is told. */
  guestRemovalAsked(guestId: string): void {
    for (const live of this.#rooms.values()) {
      const seat = live.seats.get(guestId);
      if (!seat?.guest) continue;
      seat.guest = { ...seat.guest, removalAsked: true };
      const hosts = [...live.seats.values()].filter((s) => s.role === 'host').map((s) => s.userId);
      this.#send(live, hosts, 'room:guest-removal-asked', {
        userId: seat.userId,
        displayName: seat.displayName,
      });
      this.#notifyPeers(live);
      this.#notifyHost(live);
    }
  }

  async sendChat(actor: Actor, roomId: string, text: string, ip: string | null): Promise<ChatMessage> {
    const { live, seat } = await this.#admittedAndWritten(actor, roomId);
    if (seat.role === 'guest') {
      // The session's chat is part of the client's record, written by its therapist and clients.
      throw new AppError('guest.read_only', 'forbidden', phrase('errors:room.guestsReadOnly'));
    }
    const sender = { id: actor.id, displayName: seat.displayName };
    const message = await this.#chat.send(roomId, sender, text, live.subjectId, ip);
    this.#send(live, live.admittedIds(), 'chat:message', message);
    return live.present(message);
  }

  /**
   * The gate in front of media: the caller's admitted seat and the room's media. Anyone else —
   * waiting, moved back, never joined, or naming a room they are not in — gets `room.not_admitted`.
   */
  admitted(actor: Actor, roomId: string): { live: LiveRoom; seat: Seat } {
    const live = this.#rooms.get(roomId);
    const seat = live?.seats.get(actor.id);
    if (!live || !seat || seat.state !== 'admitted' || !seat.connected) {
      throw new AppError('room.not_admitted', 'forbidden', phrase('errors:room.notAdmitted'));
    }
    return { live, seat };
  }

  async mediaFor(
    actor: Actor,
    roomId: string,
  ): Promise<{ live: LiveRoom; seat: Seat; media: MediaRoomPort }> {
    const { live, seat } = this.admitted(actor, roomId);
    return { live, seat, media: await this.#ensureMedia(live) };
  }

  /** Admitted, and that admission written (a chat line right after admission waits for it). */
  async #admittedAndWritten(actor: Actor, roomId: string): Promise<{ live: LiveRoom; seat: Seat }> {
    const { seat } = this.admitted(actor, roomId);
    if (seat.admissionWritten) await seat.admissionWritten;
    return this.admitted(actor, roomId);
  }

  /**
   * The gate for preparing a connection: anyone in the room, waiting or admitted, connected. What
   * passes here only builds transports (no relay for waiting people) and the idle warm-up channel;
   * sending and receiving media still go through `mediaFor`.
   */
  async preparingFor(
    actor: Actor,
    roomId: string,
  ): Promise<{ live: LiveRoom; seat: Seat; media: MediaRoomPort }> {
    const live = this.#rooms.get(roomId);
    const seat = live?.seats.get(actor.id);
    if (!live || !seat || !seat.connected) {
      throw new AppError('room.not_admitted', 'forbidden', phrase('errors:room.notAdmitted'));
    }
    return { live, seat, media: await this.#ensureMedia(live) };
  }

  /** Tells the room's other admitted people about a new producer (video skipped for audio-only seats). */
  announceProducer(live: LiveRoom, producer: ProducerView): void {
    const to = [...live.seats.values()]
      .filter((s) => s.state === 'admitted' && s.connected && s.userId !== producer.peerId)
      .filter((s) => !(s.audioOnly && producer.kind === 'video'))
      .map((s) => s.userId);
    this.#send(live, to, 'media:new-producer', producer);
  }

  notifyPeers(live: LiveRoom): void {
    this.#notifyPeers(live);
  }

  /** Live therapy-session rooms this therapist hosts (their "today" lists who waits in them). */
  hostedBy(hostId: string): LiveRoom[] {
    return [...this.#rooms.values()].filter((r) => r.hostId === hostId && !r.group);
  }

  /** The live state of a room while anyone is in it. */
  liveRoom(roomId: string): LiveRoom | undefined {
    return this.#rooms.get(roomId);
  }

  /** Pushes an event to some people in a live room (meeting controls use it). */
  notify<K extends LiveNoticeName>(
    live: LiveRoom,
    to: readonly string[],
    event: K,
    payload: LiveNoticeMap[K],
  ): void {
    this.#send(live, to, event, payload);
  }

  /** Takes someone out of a live room at once (a facilitator's remove): media, attendance and seat go. */
  async expel<K extends LiveNoticeName>(
    live: LiveRoom,
    userId: string,
    event: K,
    payload: LiveNoticeMap[K],
  ): Promise<void> {
    const seat = live.seats.get(userId);
    if (!seat) return;
    if (seat.holdTimer) clearTimeout(seat.holdTimer);
    live.media?.closePeer(userId);
    await this.#closeAttendance(seat);
    this.#send(live, [userId], event, payload);
    live.seats.delete(userId);
    this.#notifyPeers(live);
    this.#notifyHost(live);
  }

  /**
   * This node is stopping cleanly (an upgrade, node by node) and its connections are about to be
   * dropped. With several nodes its rooms move to another node, which treats them as a dead node's:
   * connections dropped from now on keep their attendance open, so the people admitted here come
   * back admitted there. On one node there is nowhere to hand over to: nothing changes.
   */
  handOver(): void {
    if (this.#home) this.#handingOver = true;
  }

  /** Idempotent: forgets every live room (the media service closes the routers). */
  close(): void {
    for (const live of this.#rooms.values()) {
      for (const seat of live.seats.values()) if (seat.holdTimer) clearTimeout(seat.holdTimer);
    }
    this.#rooms.clear();
    this.removeAllListeners();
  }

  /** Whether this person was admitted on the room's dead node and is back within the seat hold. */
  async #carriedOver(live: LiveRoom, userId: string): Promise<boolean> {
    if (!live.takenOver || live.seats.has(userId)) return false;
    const carried = await live.takenOver;
    const lastSeenAt = carried.get(userId);
    if (!lastSeenAt) return false;
    carried.delete(userId); // once: leaving and coming back later is a new knock
    return this.#clock.now().getTime() - lastSeenAt.getTime() < SEAT_HOLD_MS;
  }

  #holdExpired(seat: Seat): boolean {
    if (seat.connected || !seat.releasedAt) return false;
    return this.#clock.now().getTime() - seat.releasedAt.getTime() >= SEAT_HOLD_MS;
  }

  #managed(actor: Actor, roomId: string): LiveRoom {
    const { live, seat } = this.admitted(actor, roomId);
    if (!canManageRoom(seat.role)) {
      throw new AppError('room.host_only', 'forbidden', phrase('errors:room.therapistOnly'));
    }
    return live;
  }

  async #enterAdmitted(live: LiveRoom, seat: Seat, ip: string | null): Promise<AdmittedPayload> {
    const media = await this.#ensureMedia(live);
    if (!seat.attendanceId) {
      seat.attendanceId = newId();
      await this.#repo.openAttendance(seat.attendanceId, live.roomId, seat.userId, this.#clock.now());
    }
    // Only the host and a returning (held) seat come in this way; a guest is always admitted by the host.
    const chat = await this.#chat.history(live.roomId, seat.userId, live.subjectId, ip);
    this.#notifyPeers(live);
    return {
      rtpCapabilities: media.rtpCapabilities,
      producers: media.producers().filter((p) => p.peerId !== seat.userId),
      chat,
      peers: live.peers(seat),
    };
  }

  async #ensureMedia(live: LiveRoom): Promise<MediaRoomPort> {
    if (live.media && !live.media.closed) return live.media;
    live.mediaPending ??= this.#media.room(live.roomId).then((media) => {
      live.media = media;
      live.mediaPending = null;
      this.#wireMedia(live, media);
      return media;
    });
    try {
      return await live.mediaPending;
    } catch (error) {
      live.mediaPending = null;
      this.#logger.error({ err: error, roomId: live.roomId }, 'could not open media for a room');
      throw new AppError('media.unavailable', 'unavailable', phrase('errors:room.mediaUnavailable'));
    }
  }

  #wireMedia(live: LiveRoom, media: MediaRoomPort): void {
    media.on('producerclosed', (p) =>
      this.#send(live, live.admittedIds(p.peerId), 'media:producer-closed', {
        producerId: p.producerId,
        peerId: p.peerId,
      }),
    );
    media.on('producerpaused', (p) =>
      this.#send(live, live.admittedIds(p.peerId), 'media:producer-paused', p),
    );
    media.on('consumerclosed', (c) =>
      this.#send(live, [c.peerId], 'media:consumer-closed', { consumerId: c.consumerId }),
    );
    media.on('activespeaker', (s) => this.#send(live, live.admittedIds(), 'media:active-speaker', s));
    media.on('close', () => {
      if (live.media !== media) return;
      live.media = null;
      if (this.#rooms.get(live.roomId) === live) this.#send(live, live.admittedIds(), 'media:lost', {});
    });
  }

  async #closeAttendance(seat: Seat): Promise<void> {
    // An admission still being written: its attendance row must exist before it can be closed.
    if (seat.admissionWritten) await seat.admissionWritten;
    if (!seat.attendanceId) return;
    const id = seat.attendanceId;
    seat.attendanceId = null;
    if (seat.role === 'guest') await this.#guestsRepo.closeAttendance(id, this.#clock.now());
    else await this.#repo.closeAttendance(id, this.#clock.now());
  }

  #notifyHost(live: LiveRoom): void {
    // Every host (a group meeting may have several facilitators; a 1:1 room has one therapist).
    const hosts = [...live.seats.values()]
      .filter((s) => s.role === 'host' && s.connected && s.state === 'admitted')
      .map((s) => s.userId);
    this.#send(live, hosts, 'room:knock', { waiting: live.waiting() });
  }

  #notifyPeers(live: LiveRoom): void {
    const admitted = live.admittedIds().map((id) => live.seats.get(id)!);
    const guests = admitted.filter((s) => s.role === 'guest').map((s) => s.userId);
    const others = admitted.filter((s) => s.role !== 'guest').map((s) => s.userId);
    this.#send(live, others, 'room:peers', { peers: live.peers() });
    this.#send(live, guests, 'room:peers', { peers: live.peers({ role: 'guest' }) });
    // Who is in changed: every admitted page gets the keys again and draws a new sender key.
    if (live.e2ee) this.notifyE2eeKeys(live);
  }

  /** E2EE rooms: the admitted people's public keys, to the admitted people (never to anyone waiting). */
  notifyE2eeKeys(live: LiveRoom): void {
    this.#send(live, live.admittedIds(), 'e2ee:keys', { keys: live.e2eeKeys() });
  }

  #forgetIfEmpty(live: LiveRoom): void {
    if (!live.empty || this.#rooms.get(live.roomId) !== live) return;
    this.#rooms.delete(live.roomId);
    live.media?.close();
  }

  #send<K extends LiveNoticeName>(
    live: LiveRoom,
    to: readonly string[],
    event: K,
    payload: LiveNoticeMap[K],
  ): void {
    if (to.length === 0) return;
    this.emit('notice', { roomId: live.roomId, to, event, payload: live.present(payload) } as LiveNotice);
  }
}
