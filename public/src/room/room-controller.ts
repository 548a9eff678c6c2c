/**
 * The session room's controller (mediasoup-demo's RoomClient is the model): it owns the page's
 * state as `#private` fields, turns server pushes and the person's actions into media and signalling
 * calls, and tells the view (room-view.ts) and the stage what to show. The server decides
 * everything (waiting, admission, who sees what); this class only carries it out.
 *
 * First entry and a rebuild after a media failure run the same `#connectMedia`: new transports, the
 * others' media consumed again, our microphone and camera produced (kept tracks reused on a rebuild).
 */
import type {
  AdmittedPayload,
  ConsumerOffer,
  PeerView,
  ProducerView,
  RtpCapabilities,
} from '../../../server/protocol';
import { ChatPanel } from './chat-panel';
import { DegradeWatch } from './degrade';
import { E2eePanel, type E2eeState } from './e2ee/e2ee-panel';
import { canEncryptMedia, E2eeSession } from './e2ee/e2ee-session';
import type { WorkerReport } from './e2ee/worker-messages';
import { JoinTimeline, type JoinStep } from './join-timeline';
import { fillPickers, getCamera, getMic, loadChoice, saveChoice, type DeviceChoice } from './devices';
import { MediaSession, type MediaStats, type RemoteTrack } from './media-session';
import { noMediaStats } from './media-stats';
import { MeetingPanel } from './meeting';
import { personLabel, renderPeople, renderWaiting, softKnock, type PeopleActions } from './people';
import { receivingFirst } from './receiving-first';
import { ConnectionWatch } from './reconnect';
import type { RoomView } from './room-view';
import { showSafetyCheck } from './safety-panel';
import { SignalError, type Signaling } from './signaling';
import { Stage } from './stage';
import { WaitingPreview, type LocalTracks } from './waiting-preview';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/** What the page was rendered with (data-* attributes of #room in views/rooms/room.ejs). */
export interface RoomPageData {
  readonly roomId: string;
  readonly selfId: string;
  readonly isHost: boolean;
  /** A client of the session (may ask for an invited guest's removal). */
  readonly isClient: boolean;
  readonly isMeeting: boolean;
  /** Audio appointments start in audio-only mode (the person can turn video on). */
  readonly audioOnly: boolean;
}

/** What the server offers a new media session: the router's capabilities and what is being sent. */
interface MediaOffer {
  readonly rtpCapabilities: RtpCapabilities;
  readonly producers: readonly ProducerView[];
  /** Consumers the server made ahead (admission, on transports prepared while waiting). */
  readonly consumers?: readonly ConsumerOffer[];
}

/** The read-only counters automated checks read through `window.havenRoom` (our own media only). */
export type RoomStats = MediaStats & {
  firstRemoteFrameAt: number | null;
  /** The receive transport's state (while waiting: the one made ahead of admission), or null. */
  receiveTransport: string | null;
  /** Waiting, and done preparing media ahead of admission (made, or found not possible here). */
  waitingSettled: boolean;
  /** When each step of the latest entry happened (Date.now(), ms); see join-timeline.ts. */
  joinTimeline: ReturnType<JoinTimeline['snapshot']>;
  remoteVideoTiles: number;
  audioOnly: boolean;
  rebuilds: number;
  iceRestarts: number;
  reconnecting: boolean;
  quality: string;
  /** The socket path in use (several nodes: the room's node). */
  signalPath: string;
  /** End-to-end encryption: the state shown, the safety code, and the worker's frame counts. */
  e2ee: { state: E2eeState | null; safetyCode: string | null; frames: WorkerReport | null };
};

const live = (t: MediaStreamTrack | null | undefined): MediaStreamTrack | null =>
  t?.readyState === 'live' ? t : null;

export class RoomController {
  readonly #page: RoomPageData;
  readonly #view: RoomView;
  readonly #signal: Signaling;
  readonly #stage: Stage;
  readonly #chat: ChatPanel;
  readonly #choice: DeviceChoice = loadChoice();
  readonly #watch: ConnectionWatch;
  readonly #degrade: DegradeWatch;
  readonly #meeting: MeetingPanel | null;
  readonly #names = new Map<string, string>();
  readonly #consumerTile = new Map<string, { key: string; kind: 'audio' | 'video' }>();
  readonly #timeline = new JoinTimeline();
  #media: MediaSession | null = null;
  /** While waiting: the media made ahead of admission (Device, transports, warm-up), if it worked. */
  #prepared: Promise<MediaSession | null> | null = null;
  /** The same session once preparing has finished (for `stats`: what a waiting page receives). */
  #preparedSession: MediaSession | null = null;
  #prepareSettled = false;
  readonly #preview: WaitingPreview;
  #peers: readonly PeerView[] = [];
  /** The tile the therapist pinned (e.g. the interpreter's), shown first and largest. */
  #pinned: string | null = null;
  /** The guest a client asked to have removed, while the therapist decides. */
  #removalAsked: string | null = null;
  #waitingCount = 0;
  #audioOnly: boolean;
  /** The router's capabilities from joining: a waiting page prepares its media with them. */
  #routerCaps: RtpCapabilities | null = null;
  #muted = false;
  #cameraOff = false;
  #finished = false;
  /** E2EE sessions: this page's keys and the transform worker (made on the first join). */
  #e2ee: E2eeSession | null = null;
  /** An E2EE session this browser cannot encrypt: no media at all here (never sent in the clear). */
  #e2eeRefused = false;
  readonly #e2eePanel = new E2eePanel(document);

  constructor(page: RoomPageData, view: RoomView, signal: Signaling) {
    this.#page = page;
    this.#view = view;
    this.#signal = signal;
    this.#audioOnly = page.audioOnly;
    this.#stage = new Stage(view.el('stage'), view.el('audio-sinks'));
    this.#chat = new ChatPanel(view.el('chat-log'), page.selfId);
    this.#preview = new WaitingPreview(
      view.el('waiting-preview'),
      view.el<HTMLVideoElement>('waiting-preview-video'),
      view.el('waiting-preview-note'),
    );
    this.#watch = new ConnectionWatch({
      banner: view.el('connection-banner'),
      socketUp: () => signal.socket.connected,
      restartIce: async (direction) => this.#media?.restartIce(direction),
      rebuild: () => this.#rebuild(),
    });
    this.#degrade = new DegradeWatch({
      stats: async () => (this.#media ? this.#media.stats() : null),
      offer: view.el('degrade-offer'),
      notice: view.el('degrade-notice'),
      applyLayers: async () => this.#media?.preferLayer(this.#preferredLayer()),
      setMaxSendLayer: async (layer) => this.#media?.setMaxSendLayer(layer),
      setAudioOnly: (on) => this.setAudioOnly(on, false),
      announce: (text) => view.announce(text),
      showLevel: (level) => view.quality(level),
      words: {
        audioOnly: t('degrade.audioOnly'),
        improved: t('degrade.improved'),
        reduced: t('degrade.reduced'),
        offer: t('degrade.offer'),
      },
    });
    // A peer-support group meeting: hands, reports and the facilitator's controls (meeting.ts).
    this.#meeting = page.isMeeting
      ? new MeetingPanel({
          signal,
          roomId: page.roomId,
          selfId: page.selfId,
          isHost: page.isHost,
          announce: (text) => view.announce(text),
          fail: (error) => this.fail(error),
          media: () => this.#media,
          startMic: async () => {
            await this.#media?.produce('mic', await getMic(this.#choice.mic));
            if (this.#muted) await this.#media?.setPaused('mic', true);
          },
          startCamera: () => (this.#cameraOff ? Promise.resolve() : this.#startCamera()),
          removed: (blocked) =>
            this.#finish(
              t('finish.removed'),
              blocked ? t('finish.blockedDetail') : t('finish.removedDetail'),
            ),
        })
      : null;
  }

  get audioOnly(): boolean {
    return this.#audioOnly;
  }

  /** Listens to the socket and the server's pushes; joining starts when the socket connects. */
  start(): void {
    this.#degrade.start();
    const { socket } = this.#signal;
    // Settled unless the join sent the page to another node (it is connecting there now).
    socket.on('connect', () => void this.#join().finally(() => socket.connected && this.#watch.settled()));
    socket.on('connect_error', (error: Error) => {
      if (error.message === 'auth.required') {
        this.#finish(t('finish.signIn'), t('finish.signInDetail'));
        return;
      }
      // The room's node may have died: any node answers with where the room runs now.
      this.#signal.anyNode();
      this.#view.announce(t('status.reconnecting'));
    });
    socket.on('disconnect', () => {
      if (this.#finished) return;
      this.#watch.socketDown();
      this.#view.announce(t('status.lost'));
    });
    this.#listen();
  }

  #listen(): void {
    const signal = this.#signal;
    signal.on('room:admitted', (payload) => void this.#enter(payload).catch((e) => this.fail(e)));
    signal.on('room:denied', () => this.#finish(t('finish.denied'), t('finish.deniedDetail')));
    signal.on('room:moved-to-waiting', () => {
      this.#wait(this.#routerCaps);
      this.#view.announce(t('status.movedBack'));
    });
    signal.on('room:chat-history', ({ messages }) => {
      for (const m of messages) this.#chat.add(m);
      this.#meeting?.sawMessages(messages);
    });
    signal.on('room:ended', () => this.#finish(t('finish.ended'), t('finish.thanks')));
    signal.on('room:removed', () =>
      this.#finish(t('finish.removedFromSession'), t('finish.removedFromSessionDetail')),
    );
    signal.on('room:guest-removal-asked', ({ userId, displayName }) =>
      this.#removalAskedFor(userId, displayName),
    );
    signal.on('room:replaced', () => this.#finish(t('finish.elsewhere'), t('finish.elsewhereDetail')));
    signal.on('media:lost', () => {
      if (this.#media && !this.#finished) this.#watch.mediaLost();
    });
    signal.on('room:knock', ({ waiting }) => this.#setWaiting(waiting));
    signal.on('room:safety-check', (notice) => showSafetyCheck(document, notice));
    signal.on('room:peers', ({ peers }) => this.#setPeers(peers));
    signal.on('media:new-producer', (producer) => {
      if (this.#audioOnly && producer.kind === 'video') return;
      void this.#media
        ?.consume(producer)
        .then(() => this.#media?.preferLayer(this.#preferredLayer()))
        .catch((e) => this.fail(e));
    });
    signal.on('media:producer-closed', ({ producerId }) => this.#media?.dropProducer(producerId));
    signal.on('media:consumer-closed', ({ consumerId }) => this.#media?.dropConsumer(consumerId));
    signal.on('media:producer-paused', (p) => {
      if (p.source === 'mic') this.#stage.setMuted(p.peerId, p.paused);
    });
    signal.on('media:active-speaker', ({ peerId }) => this.#stage.setActiveSpeaker(peerId));
    signal.on('chat:message', (message) => {
      this.#chat.add(message);
      if (message.senderId !== this.#page.selfId)
        this.#view.announce(t('status.messageFrom', { name: message.senderName }));
    });
  }

  /** A refusal the person should read (the server's message), or a generic one. */
  fail(error: unknown): void {
    this.#view.announce(error instanceof SignalError ? error.message : t('status.wrong'));
  }

  // ── What the person does (room-controls.ts wires the buttons to these) ──────────────────────

  toggleMic(): void {
    this.#muted = !this.#muted;
    this.#view.muted(this.#muted);
    this.#stage.setMuted(this.#page.selfId, this.#muted);
    void this.#media?.setPaused('mic', this.#muted).catch((e) => this.fail(e));
    this.#view.announce(this.#muted ? t('status.micMuted') : t('status.micOn'));
  }

  toggleCamera(): void {
    if (this.#audioOnly) return;
    this.#cameraOff = !this.#cameraOff;
    this.#view.cameraOff(this.#cameraOff);
    const track = this.#media?.producerTrack('camera') ?? null;
    this.#stage.setVideo(this.#page.selfId, t('you'), this.#cameraOff ? null : track, true);
    void this.#media?.setPaused('camera', this.#cameraOff).catch((e) => this.fail(e));
    this.#view.announce(this.#cameraOff ? t('controls.cameraOff') : t('controls.cameraOn'));
  }

  /** Audio-only on or off; `byPerson` false when the connection watch decided it (degrade.ts). */
  async setAudioOnly(next: boolean, byPerson: boolean): Promise<void> {
    if (byPerson) this.#degrade.personChose(next);
    if (next === this.#audioOnly) return;
    const { videoProducers } = await this.#signal.request('media:audio-only', {
      roomId: this.#page.roomId,
      on: next,
    });
    this.#audioOnly = next;
    this.#view.audioOnly(next);
    const media = this.#media;
    if (next) {
      media?.producerTrack('camera')?.stop();
      media?.producerTrack('screen')?.stop();
      await media?.stopProducing('camera');
      await media?.stopProducing('screen');
      media?.dropVideo();
      this.#stage.setVideo(this.#page.selfId, t('you'), null, true);
      this.#view.announce(t('status.audioOnly'));
    } else {
      if (!this.#cameraOff) await this.#startCamera().catch((e) => this.fail(e));
      for (const p of videoProducers) await media?.consume(p).catch((e) => this.fail(e));
      await media?.preferLayer(this.#preferredLayer());
      this.#view.announce(t('status.videoBack'));
    }
  }

  /** "Keep video" in the weak-connection question. */
  keepVideo(): Promise<void> {
    return this.#degrade.keepVideo();
  }

  async toggleScreen(): Promise<void> {
    const media = this.#media;
    if (!media) return;
    const key = `${this.#page.selfId}:screen`;
    if (media.hasProducer('screen')) {
      media.producerTrack('screen')?.stop();
      await media.stopProducing('screen');
      this.#stage.remove(key);
      this.#view.sharing(false);
      return;
    }
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    await media.produce('screen', track);
    this.#stage.setVideo(key, t('yourScreen'), track, true);
    this.#view.sharing(true);
    // The browser's own "stop sharing" bar ends the track without our button.
    track.addEventListener('ended', () => {
      this.#stage.remove(key);
      this.#view.sharing(false);
      void this.#media?.stopProducing('screen');
    });
  }

  /** A device picked in the settings: remembered, and swapped into the call without renegotiating. */
  async chooseDevice(kind: keyof DeviceChoice, deviceId: string): Promise<void> {
    this.#choice[kind] = deviceId;
    saveChoice(this.#choice);
    if (kind === 'speaker') return this.#stage.setSpeaker(deviceId);
    if (kind === 'mic') return this.#media?.replaceTrack('mic', await getMic(deviceId));
    if (this.#audioOnly || this.#cameraOff) return;
    const track = await getCamera(deviceId);
    this.#media?.producerTrack('camera')?.stop();
    await this.#media?.replaceTrack('camera', track);
    this.#stage.setVideo(this.#page.selfId, t('you'), track, true);
  }

  /** Sends a chat line; resolves once the server stored it (the caller then clears the input). */
  async sendChat(text: string): Promise<void> {
    const message = await this.#signal.request('chat:send', { roomId: this.#page.roomId, text });
    this.#chat.add(message);
  }

  leave(): void {
    void this.#signal
      .request('room:leave', { roomId: this.#page.roomId })
      .catch(() => {})
      .finally(() => this.#finish(t('finish.left'), t('finish.leftDetail')));
  }

  endForEveryone(): void {
    void this.#signal.request('room:end', { roomId: this.#page.roomId }).catch((e) => this.fail(e));
  }

  admitAll(): void {
    void this.#signal.request('room:admit-all', { roomId: this.#page.roomId }).catch((e) => this.fail(e));
  }

  async stats(): Promise<RoomStats> {
    const session = this.#media ?? this.#preparedSession;
    const s = session ? await session.stats() : noMediaStats();
    return {
      ...s,
      receiveTransport: session?.recvTransport?.connectionState ?? null,
      waitingSettled: this.#prepareSettled,
      firstRemoteFrameAt: this.#stage.firstRemoteFrameAt,
      joinTimeline: {
        ...this.#timeline.snapshot(),
        ...(this.#stage.firstRemoteFrameAt ? { 'first-frame': this.#stage.firstRemoteFrameAt } : {}),
        ...(this.#stage.firstRemoteFrameReceivedAt
          ? { 'frame-received': this.#stage.firstRemoteFrameReceivedAt }
          : {}),
      },
      remoteVideoTiles: this.#stage.remoteVideoCount(),
      audioOnly: this.#audioOnly,
      rebuilds: this.#watch.rebuilds,
      iceRestarts: this.#watch.iceRestarts,
      reconnecting: this.#watch.reconnecting,
      quality: this.#degrade.level,
      signalPath: this.#signal.path,
      e2ee: {
        state: this.#e2eePanel.state,
        safetyCode: this.#e2eePanel.safetyCode,
        frames: this.#e2ee?.counts() ?? null,
      },
    };
  }

  // ── Joining, the call and leaving it ─────────────────────────────────────────────────────

  async #join(): Promise<void> {
    try {
      const result = await this.#signal.request('room:join', { roomId: this.#page.roomId });
      this.#routerCaps = result.rtpCapabilities;
      // Not awaited: the join's answer is acted on at once, before any push can come in between (an
      // admission arriving while the key is still being said would otherwise be undone by #wait).
      // Sending waits for the key to be said (MediaSession.produce), which the server requires.
      this.#secure(result.e2ee).catch(() => {}); // a key not said: the server refuses to take media
      this.#setWaiting(result.waiting);
      if (result.state === 'admitted' && result.admitted) {
        // Back in a held seat (a reconnect): joining closed what an earlier wait had made.
        this.#dropPrepared();
        await this.#enter(result.admitted);
      } else {
        this.#wait(result.rtpCapabilities);
        this.#view.announce(t('status.waiting'));
      }
    } catch (error) {
      this.#refused(error);
    }
  }

  /**
   * On every join, what the session's encryption asks of this page: E2EE sessions need the Encoded
   * Transform API (our public key is said again each time: the server forgets it on a reconnect);
   * a browser without it is told so and takes no part in the media, rather than sending in the clear.
   */
  async #secure(e2ee: boolean): Promise<void> {
    if (!e2ee) return this.#e2eePanel.show('off');
    if (!canEncryptMedia()) {
      this.#e2eeRefused = true;
      // Nothing to mute or share: the media buttons would only pretend.
      for (const id of ['btn-mic', 'btn-camera', 'btn-audio-only', 'btn-screen', 'btn-settings'])
        this.#view.el<HTMLButtonElement>(id).disabled = true;
      return this.#e2eePanel.show('refused');
    }
    this.#e2ee ??= new E2eeSession(this.#signal, this.#page.roomId, this.#page.selfId, {
      onSafetyCode: (code) => this.#e2eePanel.setCode(code),
    });
    this.#e2eePanel.show('on');
    await this.#e2ee.announce();
  }

  /** Why `room:join` was refused, said the way the person can act on it. */
  #refused(error: unknown): void {
    const code = error instanceof SignalError ? error.code : '';
    const message = error instanceof Error ? error.message : '';
    // The safety check is not confirmed for this session: the page itself sends the client to it.
    if (code === 'room.safety_check_required') window.location.reload();
    // Another node holds the room (it moved there, or this page was told an old node): go there.
    else if (code === 'room.elsewhere' && error instanceof SignalError && error.node)
      this.#signal.moveTo(error.node);
    else if (code === 'room.closed') this.#finish(t('finish.ended'), t('finish.over'));
    else if (code === 'room.not_open') this.#finish(t('finish.notOpen'), message);
    else if (code === 'room.forbidden' || code === 'room.not_found' || code.startsWith('meeting.'))
      this.#finish(t('finish.cannotJoin'), message);
    else this.fail(error);
  }

  /**
   * The waiting room. What can safely be had before admission is made now, so admission only has
   * the media itself left: the camera and microphone (the self-view), the mediasoup Device, both
   * transports, and the receive transport connected through the idle warm-up channel. The server
   * still refuses sending, receiving and chat until admitted.
   */
  #wait(rtpCapabilities: RtpCapabilities | null): void {
    this.#leaveCall();
    this.#e2ee?.reset();
    this.#view.show('panel-waiting');
    this.#preview.start(this.#choice, this.#audioOnly);
    if (!rtpCapabilities || this.#e2eeRefused) {
      this.#prepareSettled = true;
      return;
    }
    const session = new MediaSession(this.#signal, this.#page.roomId, this.#mediaEvents, this.#e2ee);
    const prepared: Promise<MediaSession | null> = session
      .start(rtpCapabilities)
      .then(() => session.warmUp({ sayWhatWeDecode: !this.#audioOnly }))
      .then(
        () => session,
        () => {
          // Not possible here (a relay-only clinic, a refusal): admission builds media the usual way.
          session.close();
          return null;
        },
      )
      .then((made) => {
        // Still this wait's (not left, admitted or waiting again meanwhile): what stats() reports.
        if (this.#prepared === prepared) {
          this.#preparedSession = made;
          this.#prepareSettled = true;
        }
        return made;
      });
    this.#prepared = prepared;
  }

  /** Admitted (on joining, or by the host later): the call panel, the people, the chat, the media. */
  async #enter(payload: AdmittedPayload): Promise<void> {
    this.#timeline.mark('admitted');
    // First of all, the consumers the server made ahead go into the receive transport prepared
    // while waiting: their SDP round runs on the browser's WebRTC thread while this page redraws.
    const adopting = this.#e2eeRefused ? null : this.#adoptAhead(payload);
    this.#view.show('panel-call');
    this.#view.announce(t('status.inSession'));
    this.#setPeers(payload.peers);
    for (const m of payload.chat) this.#chat.add(m);
    this.#meeting?.sawMessages(payload.chat);
    if (this.#e2eeRefused) {
      // People and chat only: this browser cannot encrypt, so it neither sends nor receives media.
      this.#dropPrepared();
      this.#preview.stop();
      return;
    }
    const tried = this.#prepared;
    this.#prepared = null;
    this.#preparedSession = null;
    this.#prepareSettled = false;
    const prepared = tried ? await tried : null;
    // Our own devices may still be starting: receiving does not wait for them, sending does.
    const tracks = this.#preview.take();
    if (prepared?.usable) {
      await this.#connectMedia({
        keep: false,
        offer: async () => payload,
        prepared,
        tracks,
        ...(adopting ? { adopting } : {}),
      });
      void prepared.addRelays().catch(() => {});
      return;
    }
    prepared?.close();
    void adopting?.catch(() => {}); // wired into the session just closed: nothing to tell
    // Anything made while waiting is replaced: the server closes it and answers as on admission.
    const offer = tried
      ? () => this.#signal.request('media:rebuild', { roomId: this.#page.roomId })
      : async () => payload;
    await this.#connectMedia({ keep: false, offer, tracks });
  }

  /**
   * On admission, the consumers made ahead (in the push) into the session prepared while waiting,
   * at once; null when there is no such session yet (still preparing) or nothing was made ahead.
   * The stage is cleared first: the tracks land on it when their SDP round is done.
   */
  #adoptAhead(payload: AdmittedPayload): Promise<Set<string>> | null {
    const session = this.#preparedSession;
    if (!session?.usable || !payload.consumers?.length) return null;
    this.#clearStage();
    return session.adopt(payload.consumers, this.#wanted(payload.producers));
  }

  /** The producers this page receives (no video in audio-only mode). */
  #wanted(producers: readonly ProducerView[]): ProducerView[] {
    return producers.filter((p) => !(this.#audioOnly && p.kind === 'video'));
  }

  #clearStage(): void {
    this.#stage.clear();
    this.#stage.forgetFirstFrame();
    this.#consumerTile.clear();
  }

  /**
   * Builds the media again inside the same page (after `media:lost`, or when an ICE restart did
   * not bring the path back): same seat, new transports, our live tracks carried over.
   */
  #rebuild(): Promise<void> {
    return this.#connectMedia({
      keep: true,
      offer: () => this.#signal.request('media:rebuild', { roomId: this.#page.roomId }),
    });
  }

  /**
   * The one media sequence. The old session (if any) closes first; `keep` carries the microphone
   * and camera tracks over when they are still live (a rebuild), otherwise every local track stops
   * and the stage starts empty (an entry). Receiving does not wait for our own devices, so the
   * others appear as soon as possible.
   */
  async #connectMedia({
    keep,
    offer,
    prepared,
    tracks,
    adopting,
  }: {
    keep: boolean;
    offer: () => Promise<MediaOffer>;
    /** Made while waiting (Device loaded, transports connected or connecting). */
    prepared?: MediaSession;
    /** Started while waiting (the self-view's microphone and camera). */
    tracks?: Promise<LocalTracks>;
    /** The consumers made ahead, already being wired into `prepared` (see #adoptAhead). */
    adopting?: Promise<Set<string>>;
  }): Promise<void> {
    const old = this.#media;
    const kept = {
      mic: keep ? live(old?.producerTrack('mic')) : null,
      camera: keep ? live(old?.producerTrack('camera')) : null,
    };
    for (const source of ['mic', 'camera', 'screen'] as const) {
      const track = old?.producerTrack(source);
      if (track && track !== kept.mic && track !== kept.camera) track.stop();
    }
    if (old?.hasProducer('screen')) {
      this.#stage.remove(`${this.#page.selfId}:screen`);
      this.#view.sharing(false);
    }
    old?.close();
    // (Consumers already being adopted found the stage cleared for them.)
    if (!keep && !adopting) this.#clearStage();
    const session =
      prepared ?? new MediaSession(this.#signal, this.#page.roomId, this.#mediaEvents, this.#e2ee);
    this.#media = session;
    const { rtpCapabilities, producers, consumers } = await offer().catch((error: unknown) => {
      session.close();
      throw error;
    });
    if (!prepared) await session.start(rtpCapabilities);
    let audioOnlyTold: Promise<unknown> = Promise.resolve();
    if (!keep) {
      if (this.#audioOnly) {
        // The server starts every seat with video; an audio appointment tells it at once (the page
        // itself never asks for video, so receiving need not wait for the answer).
        audioOnlyTold = this.#signal
          .request('media:audio-only', { roomId: this.#page.roomId, on: true })
          .catch((e) => this.fail(e));
        this.#view.audioOnly(true);
      }
      this.#stage.setVideo(this.#page.selfId, t('you'), null, true);
    }
    // Every track at once: audio and video need not wait for each other.
    const wanted = this.#wanted(producers);
    const made = prepared && consumers?.length ? consumers : [];
    const adoption = (adopting ?? session.adopt(made, wanted)).catch((e: unknown) => {
      this.fail(e);
      return new Set<string>();
    });
    const receiving = (async () => {
      const covered = await adoption;
      const rest = wanted.filter((p) => !covered.has(p.producerId));
      await Promise.all(rest.map((p) => session.consume(p).catch((e) => this.fail(e))));
      await session.preferLayer(this.#preferredLayer());
    })();
    const sending = Promise.all([audioOnlyTold, tracks, receivingFirst(adoption, wanted, this.#stage)]).then(
      ([, started]) => this.#send(session, keep ? kept : (started ?? kept)),
    );
    await Promise.all([receiving, sending]);
    if (!keep)
      await fillPickers(
        {
          mic: this.#view.el('select-mic'),
          camera: this.#view.el('select-camera'),
          speaker: this.#view.el('select-speaker'),
        },
        this.#choice,
      ).catch(() => {});
  }

  /** Our microphone and (unless audio-only) camera into a new session, as the person left them. */
  async #send(
    session: MediaSession,
    kept: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null },
  ): Promise<void> {
    this.#timeline.mark('sending');
    try {
      await session.produce('mic', kept.mic ?? (await getMic(this.#choice.mic)));
      if (this.#muted) await session.setPaused('mic', true);
    } catch {
      this.#view.announce(t('preview.micFailed'));
    }
    if (this.#audioOnly) return;
    try {
      const camera = kept.camera ?? (await getCamera(this.#choice.camera));
      await session.produce('camera', camera);
      if (this.#cameraOff) await session.setPaused('camera', true);
      this.#stage.setVideo(this.#page.selfId, t('you'), this.#cameraOff ? null : camera, true);
      await session.setMaxSendLayer(this.#degrade.maxReceiveLayer);
    } catch {
      this.#view.announce(t('status.cameraFailed'));
    }
  }

  async #startCamera(): Promise<void> {
    if (!this.#media || this.#audioOnly) return;
    const track = await getCamera(this.#choice.camera);
    await this.#media.produce('camera', track);
    this.#stage.setVideo(this.#page.selfId, t('you'), track, true);
  }

  /** Media callbacks: remote tracks onto the stage, transport states to the connection watch. */
  readonly #mediaEvents = {
    onTrack: (track: RemoteTrack): void => {
      const screen = track.source === 'screen';
      const key = screen ? `${track.peerId}:screen` : track.peerId;
      const label = screen ? `${this.#nameOf(track.peerId)}'s screen` : this.#nameOf(track.peerId);
      this.#consumerTile.set(track.consumerId, { key, kind: track.kind });
      if (track.kind === 'audio') this.#stage.setAudio(track.consumerId, track.track, this.#choice.speaker);
      else this.#stage.setVideo(key, label, track.track);
    },
    onTransportState: (direction: 'send' | 'recv', state: string): void => {
      // Transports made while waiting are not watched until they carry the call.
      if (this.#media) this.#watch.transportState(direction, state);
    },
    onStep: (step: JoinStep): void => this.#timeline.mark(step),
    onTrackEnded: (consumerId: string): void => {
      const entry = this.#consumerTile.get(consumerId);
      this.#consumerTile.delete(consumerId);
      if (!entry) return;
      if (entry.kind === 'audio') this.#stage.removeAudio(consumerId);
      else if (entry.key.endsWith(':screen')) this.#stage.remove(entry.key);
      else this.#stage.setVideo(entry.key, this.#nameOf(entry.key), null);
    },
  };

  /** Whatever was made while waiting is let go (the server closes its side when the seat changes). */
  #dropPrepared(): void {
    const prepared = this.#prepared;
    this.#prepared = null;
    this.#preparedSession = null;
    this.#prepareSettled = false;
    void prepared?.then((session) => session?.close());
  }

  #leaveCall(): void {
    this.#preview.stop();
    this.#dropPrepared();
    for (const source of ['mic', 'camera', 'screen'] as const) this.#media?.producerTrack(source)?.stop();
    this.#media?.close();
    this.#media = null;
    this.#clearStage();
    this.#timeline.reset();
  }

  #finish(title: string, detail: string): void {
    this.#finished = true;
    this.#leaveCall();
    this.#e2eePanel.hide();
    this.#e2ee?.close();
    this.#e2ee = null;
    this.#view.ended(title, detail);
    this.#signal.socket.disconnect();
  }

  // ── People ───────────────────────────────────────────────────────────────────────────────

  readonly #peopleActions: PeopleActions = {
    admit: (userId) => void this.#roomRequest('room:admit', userId),
    deny: (userId) => void this.#roomRequest('room:deny', userId),
    moveToWaiting: (userId) => void this.#roomRequest('room:move-to-waiting', userId),
    removeGuest: (userId) => void this.#roomRequest('room:remove-guest', userId),
    askRemoval: (userId) =>
      void this.#roomRequest('room:ask-guest-removal', userId).then(() =>
        this.#view.announce(t('guest.asked')),
      ),
    pin: (userId) => {
      this.#pinned = this.#pinned === userId ? null : userId;
      this.#stage.pin(this.#pinned);
      this.#setPeers(this.#peers);
    },
  };

  /** The therapist's decision box: a client asked for this guest's removal. */
  #removalAskedFor(userId: string, displayName: string): void {
    const box = this.#view.maybe('guest-removal');
    if (!box) return;
    this.#removalAsked = userId;
    this.#view.el('guest-removal-text').textContent = t('guest.removalAskedText', { name: displayName });
    box.hidden = false;
    this.#view.announce(t('guest.removalAskedAnnounce', { name: displayName }));
  }

  /** The therapist's answer to a removal request (bound in room-controls.ts). */
  decideRemoval(remove: boolean): void {
    const userId = this.#removalAsked;
    this.#removalAsked = null;
    const box = this.#view.maybe('guest-removal');
    if (box) box.hidden = true;
    if (remove && userId) void this.#roomRequest('room:remove-guest', userId);
  }

  #roomRequest(
    event:
      'room:admit' | 'room:deny' | 'room:move-to-waiting' | 'room:remove-guest' | 'room:ask-guest-removal',
    userId: string,
  ): Promise<void> {
    return this.#signal
      .request(event, { roomId: this.#page.roomId, userId })
      .then(() => undefined)
      .catch((e) => this.fail(e));
  }

  #nameOf(peerId: string): string {
    return this.#names.get(peerId) ?? t('someone');
  }

  /** The layer that fits the tiles, capped while the connection is weak (see degrade.ts). */
  #preferredLayer(): number {
    return Math.min(this.#stage.preferredLayer, this.#degrade.maxReceiveLayer);
  }

  #setPeers(peers: readonly PeerView[]): void {
    const { selfId, isHost, isClient } = this.#page;
    this.#peers = peers;
    for (const p of peers) this.#names.set(p.userId, personLabel(p));
    if (this.#pinned && !peers.some((p) => p.userId === this.#pinned)) {
      this.#pinned = null;
      this.#stage.pin(null);
    }
    renderPeople(
      this.#view.el('people-list'),
      peers,
      selfId,
      { isHost, isClient, pinned: this.#pinned },
      this.#peopleActions,
    );
    this.#meeting?.setPeers(peers);
    for (const p of peers)
      if (p.userId !== selfId && p.connected && !this.#stage.keys().includes(p.userId))
        this.#stage.setVideo(p.userId, personLabel(p), null);
    for (const key of this.#stage.keys()) {
      const peerId = key.split(':')[0] as string;
      if (peerId !== selfId && !peers.some((p) => p.userId === peerId && p.connected))
        this.#stage.remove(key);
    }
    void this.#media?.preferLayer(this.#preferredLayer());
  }

  #setWaiting(waiting: readonly PeerView[]): void {
    if (!this.#page.isHost) return;
    for (const p of waiting) this.#names.set(p.userId, personLabel(p));
    const v = this.#view;
    renderWaiting(
      v.el('waiting-list'),
      v.el('waiting-empty'),
      v.el('btn-admit-all'),
      waiting,
      this.#peopleActions,
    );
    if (waiting.length > this.#waitingCount) {
      softKnock();
      v.announce(t('status.knock', { name: waiting[waiting.length - 1]?.displayName ?? t('someone') }));
    }
    this.#waitingCount = waiting.length;
  }
}
