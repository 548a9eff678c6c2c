import { Device, type types } from 'mediasoup-client';
import type {
  ConsumerOffer,
  MediaKind,
  MediaSource,
  ProducerView,
  RtpCapabilities,
  TransportDirection,
} from '../../../server/protocol';
import type { JoinStep } from './join-timeline';
import type { Signaling } from './signaling';
import { noMediaStats, type MediaStats } from './media-stats';
import type { E2eeSession } from './e2ee/e2ee-session';

export type Source = MediaSource;

export interface RemoteTrack {
  readonly consumerId: string;
  readonly producerId: string;
  readonly peerId: string;
  readonly source: Source;
  readonly kind: MediaKind;
  readonly track: MediaStreamTrack;
}

export interface MediaSessionEvents {
  onTrack(track: RemoteTrack): void;
  onTrackEnded(consumerId: string): void;
  /** A transport's connection state changed (`disconnected`/`failed` start the ICE restart). */
  onTransportState?(direction: 'send' | 'recv', state: string): void;
  /** A step of setting up reached (join-timeline.ts: where join time goes). */
  onStep?(step: JoinStep): void;
}

/** Three simulcast layers for the camera; the server forwards the one that fits each viewer's tile. */
const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 400_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_000_000 },
];

/**
 * The browser's media in one room: a mediasoup-client Device, one send and one receive transport,
 * our producers by source and the consumers of everyone else's tracks.
 */
export class MediaSession {
  readonly #signal: Signaling;
  readonly #roomId: string;
  readonly #events: MediaSessionEvents;
  #device: Device | null = null;
  #send: types.Transport | null = null;
  #recv: types.Transport | null = null;
  readonly #producers = new Map<Source, types.Producer>();
  readonly #consumers = new Map<string, { consumer: types.Consumer; info: ProducerView }>();
  /** Producers being consumed right now: a notice and a list naming the same one consume it once. */
  readonly #consuming = new Set<string>();
  /** Settles when `start` has built the transports: a producer announced meanwhile waits for it. */
  readonly #ready: Promise<boolean>;
  #markReady: (ok: boolean) => void = () => {};
  #closed = false;
  /** An end-to-end encrypted session: every sender and receiver gets the worker's transform. */
  readonly #e2ee: E2eeSession | null;

  constructor(
    signal: Signaling,
    roomId: string,
    events: MediaSessionEvents,
    e2ee: E2eeSession | null = null,
  ) {
    this.#signal = signal;
    this.#roomId = roomId;
    this.#events = events;
    this.#e2ee = e2ee;
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  async start(routerRtpCapabilities: RtpCapabilities): Promise<void> {
    try {
      this.#device = await Device.factory();
      await this.#device.load({ routerRtpCapabilities });
      this.#events.onStep?.('device');
      [this.#send, this.#recv] = await Promise.all([this.#transport('send'), this.#transport('recv')]);
      this.#events.onStep?.('transports');
      this.#markReady(true);
    } catch (error) {
      this.#markReady(false);
      throw error;
    }
  }

  async #transport(direction: TransportDirection): Promise<types.Transport> {
    const device = this.#device as Device;
    // The server adds `iceServers`: the clinic's TURN relay with a short-lived credential minted
    // for this transport (an empty list when the install has no relay). It is passed through to
    // the browser's RTCPeerConnection, which falls back to it when direct media is blocked.
    // `iceTransportPolicy` is 'relay' when the clinic forces all media through TURN.
    const offer = await this.#signal.request('media:create-transport', { roomId: this.#roomId, direction });
    const options: types.TransportOptions = {
      id: offer.id,
      iceParameters: offer.iceParameters,
      iceCandidates: [...offer.iceCandidates],
      dtlsParameters: offer.dtlsParameters,
      iceServers: offer.iceServers.map((s) => ({ ...s, urls: [...s.urls] })),
      iceTransportPolicy: offer.iceTransportPolicy,
      ...(offer.sctpParameters ? { sctpParameters: offer.sctpParameters } : {}),
    };
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signal
        .request('media:connect-transport', {
          roomId: this.#roomId,
          transportId: transport.id,
          dtlsParameters,
        })
        .then(() => callback(), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected' && direction === 'recv') this.#events.onStep?.('recv-connected');
      if (!this.#closed) this.#events.onTransportState?.(direction, state);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.#signal
          .request('media:produce', {
            roomId: this.#roomId,
            transportId: transport.id,
            kind,
            source: appData.source as Source,
            rtpParameters,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    return transport;
  }

  /**
   * Connects the receive transport before anything is consumed (ICE + DTLS; the browser does it
   * only once something is received, so the server offers an idle data channel to open). Used while
   * waiting for admission; the channel never carries anything.
   */
  async warmUp({ sayWhatWeDecode }: { sayWhatWeDecode: boolean }): Promise<void> {
    if (!(await this.#ready) || !this.#recv || !this.#device || this.#closed) return;
    // What this browser can decode: admission then comes with our consumers already made.
    const offer = await this.#signal.request('media:warm-up', {
      roomId: this.#roomId,
      ...(sayWhatWeDecode ? { rtpCapabilities: this.#device.recvRtpCapabilities } : {}),
    });
    if (this.#closed || this.#recv.closed) return;
    await this.#recv.consumeData({
      id: offer.id,
      dataProducerId: offer.dataProducerId,
      sctpStreamParameters: offer.sctpStreamParameters,
      label: offer.label,
      protocol: offer.protocol,
    });
  }

  /** Transports made while waiting have no TURN relay: admitted, they get one for later restarts. */
  async addRelays(): Promise<void> {
    const { iceServers } = await this.#signal.request('media:ice-servers', { roomId: this.#roomId });
    if (iceServers.length === 0) return;
    const list = iceServers.map((s) => ({ ...s, urls: [...s.urls] }));
    for (const transport of [this.#send, this.#recv])
      if (transport && !transport.closed) await transport.updateIceServers({ iceServers: list });
  }

  /** Whether transports made earlier can carry the call: built, and not failed or closed since. */
  get usable(): boolean {
    const ok = (t: types.Transport | null): boolean =>
      !!t && !t.closed && !['failed', 'disconnected', 'closed'].includes(t.connectionState);
    return !this.#closed && ok(this.#send) && ok(this.#recv);
  }

  get sendTransport(): types.Transport | null {
    return this.#send;
  }
  get recvTransport(): types.Transport | null {
    return this.#recv;
  }

  /** ICE restart: fresh ICE credentials from the server, then the browser re-gathers and re-checks. */
  async restartIce(direction: 'send' | 'recv'): Promise<void> {
    const transport = direction === 'send' ? this.#send : this.#recv;
    if (!transport || transport.closed || this.#closed) return;
    const { iceParameters } = await this.#signal.request('media:restart-ice', {
      roomId: this.#roomId,
      transportId: transport.id,
    });
    await transport.restartIce({ iceParameters });
  }

  /** Degrading: the highest simulcast layer our camera sends (2 = all three). */
  async setMaxSendLayer(spatialLayer: number): Promise<void> {
    const camera = this.#producers.get('camera');
    if (camera && !camera.closed && camera.rtpParameters.encodings?.length) {
      await camera.setMaxSpatialLayer(spatialLayer);
    }
  }

  hasProducer(source: Source): boolean {
    return this.#producers.has(source);
  }

  producerTrack(source: Source): MediaStreamTrack | null {
    return this.#producers.get(source)?.track ?? null;
  }

  /**
   * Sends a track; the camera goes out as three simulcast layers, except end-to-end encrypted: one
   * VP8 layer (the server cannot pick layers it cannot read), encrypted from the first frame.
   */
  async produce(source: Source, track: MediaStreamTrack): Promise<void> {
    if (!this.#send || this.#closed) return;
    const e2ee = this.#e2ee;
    // The server takes no media from an end-to-end encrypted page before it has its key.
    if (e2ee) await e2ee.announced.catch(() => {});
    if (!this.#send || this.#closed) return;
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const vp8 = this.#device?.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await this.#send.produce({
      track,
      appData: { source },
      ...(source === 'camera' && !e2ee
        ? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } }
        : {}),
      // The frame format keeps VP8's and Opus's header bytes in the clear (frame-crypto.ts): VP8 only.
      ...(e2ee && kind === 'video' && vp8 ? { codec: vp8 } : {}),
      ...(e2ee ? { onRtpSender: (sender: RTCRtpSender) => e2ee.protect(sender, kind) } : {}),
      ...(source === 'mic' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
      stopTracks: false,
    });
    this.#producers.set(source, producer);
    producer.on('trackended', () => void this.stopProducing(source));
  }

  async replaceTrack(source: Source, track: MediaStreamTrack): Promise<void> {
    await this.#producers.get(source)?.replaceTrack({ track });
  }

  async stopProducing(source: Source): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    producer.close();
    await this.#signal
      .request('media:close-producer', { roomId: this.#roomId, producerId: producer.id })
      .catch(() => {});
  }

  /** Mute / camera off: the producer pauses here and on the server (others see the state). */
  async setPaused(source: Source, paused: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.#signal.request('media:pause-producer', {
      roomId: this.#roomId,
      producerId: producer.id,
      paused,
    });
  }

  /**
   * Consumers the server made on admission (paused): wired up together (one SDP renegotiation) and
   * resumed. Returns the producers they cover; the rest are consumed one by one.
   */
  async adopt(offers: readonly ConsumerOffer[], producers: readonly ProducerView[]): Promise<Set<string>> {
    const covered = new Set<string>();
    if (!(await this.#ready) || !this.#recv || this.#closed) return covered;
    const recv = this.#recv;
    const wanted = offers
      .map((offer) => ({ offer, info: producers.find((p) => p.producerId === offer.producerId) }))
      .filter((x): x is { offer: ConsumerOffer; info: ProducerView } => !!x.info);
    for (const { info } of wanted) {
      covered.add(info.producerId);
      this.#consuming.add(info.producerId);
    }
    let failed: unknown = null;
    // Called in the same tick, mediasoup-client wires them up in one renegotiation.
    await Promise.all(
      wanted.map(({ offer, info }) =>
        this.#wireUp(offer, info, recv).catch((error: unknown) => {
          failed ??= error;
        }),
      ),
    );
    for (const { info } of wanted) this.#consuming.delete(info.producerId);
    if (failed) throw failed;
    return covered;
  }

  async consume(info: ProducerView): Promise<void> {
    if (!(await this.#ready)) return;
    if (!this.#recv || !this.#device || this.#closed) return;
    const taken = [...this.#consumers.values()].some((e) => e.info.producerId === info.producerId);
    if (taken || this.#consuming.has(info.producerId)) return;
    this.#consuming.add(info.producerId);
    try {
      await this.#consume(info, this.#recv, this.#device);
    } finally {
      this.#consuming.delete(info.producerId);
    }
  }

  async #consume(info: ProducerView, recv: types.Transport, device: Device): Promise<void> {
    const offer = await this.#signal.request('media:consume', {
      roomId: this.#roomId,
      producerId: info.producerId,
      rtpCapabilities: device.recvRtpCapabilities,
    });
    await this.#wireUp(offer, info, recv);
  }

  /** A server-made consumer into the receive transport, onto the stage, then resumed. */
  async #wireUp(offer: ConsumerOffer, info: ProducerView, recv: types.Transport): Promise<void> {
    const e2ee = this.#e2ee;
    this.#events.onStep?.('wire-up');
    const consumer = await recv.consume({
      id: offer.id,
      producerId: offer.producerId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters,
      ...(e2ee
        ? { onRtpReceiver: (receiver: RTCRtpReceiver) => e2ee.open(receiver, offer.kind, info.peerId) }
        : {}),
    });
    this.#consumers.set(consumer.id, { consumer, info });
    this.#events.onStep?.(offer.kind === 'audio' ? 'consumed-audio' : 'consumed-video');
    this.#events.onTrack({
      consumerId: consumer.id,
      producerId: info.producerId,
      peerId: info.peerId,
      source: info.source,
      kind: offer.kind,
      track: consumer.track,
    });
    const resumed = this.#signal.request('media:resume-consumer', {
      roomId: this.#roomId,
      consumerId: consumer.id,
    });
    if (offer.kind === 'video') this.#events.onStep?.('resume-sent');
    await resumed;
    if (offer.kind === 'video') this.#events.onStep?.('resumed-video');
  }

  /** The server closed a consumer (its producer went away). */
  dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.#consumers.delete(consumerId);
    this.#events.onTrackEnded(consumerId);
  }

  dropProducer(producerId: string): void {
    for (const [id, entry] of this.#consumers)
      if (entry.info.producerId === producerId) this.dropConsumer(id);
  }

  dropVideo(): void {
    for (const [id, entry] of this.#consumers) if (entry.consumer.kind === 'video') this.dropConsumer(id);
  }

  consumerIds(kind?: 'audio' | 'video'): string[] {
    return [...this.#consumers.values()]
      .filter((e) => !kind || e.consumer.kind === kind)
      .map((e) => e.consumer.id);
  }

  /** Asks for the simulcast layer that fits the tiles (0 small … 2 full). */
  async preferLayer(spatialLayer: number): Promise<void> {
    const video = [...this.#consumers.values()].filter(
      (e) => e.consumer.kind === 'video' && e.info.source === 'camera',
    );
    await Promise.all(
      video.map((e) =>
        this.#signal
          .request('media:set-consumer-layer', {
            roomId: this.#roomId,
            consumerId: e.consumer.id,
            spatialLayer,
          })
          .catch(() => {}),
      ),
    );
  }

  /** Media counters for the quality indicator (and for tests reading the page). */
  async stats(): Promise<MediaStats> {
    const out = noMediaStats();
    if (this.#send && !this.#send.closed) {
      // The upload estimate is only meaningful on the transport that sends media.
      (await this.#send.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'candidate-pair' && s.nominated && typeof s.availableOutgoingBitrate === 'number')
          out.availableOutgoingBitrate = s.availableOutgoingBitrate;
      });
    }
    const reports: RTCStatsReport[] = [];
    if (this.#recv && !this.#recv.closed) reports.push(await this.#recv.getStats());
    if (this.#send && !this.#send.closed) reports.push(await this.#send.getStats());
    for (const report of reports) {
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp') {
          out.packetsLost += Number(s.packetsLost ?? 0);
          out.packetsReceived += Number(s.packetsReceived ?? 0);
          if (s.kind === 'video') {
            out.videoFramesDecoded += Number(s.framesDecoded ?? 0);
            out.inboundVideoTracks += 1;
            if (Number(s.framesDecoded ?? 0) > 0) out.videoTracksDecoding += 1;
          }
          if (s.kind === 'audio') {
            out.audioPacketsReceived += Number(s.packetsReceived ?? 0);
            if (Number(s.packetsReceived ?? 0) > 0) out.audioTracksReceiving += 1;
          }
        } else if (s.type === 'outbound-rtp') {
          if (s.kind === 'video') out.videoFramesSent += Number(s.framesSent ?? 0);
          if (s.kind === 'audio') out.audioPacketsSent += Number(s.packetsSent ?? 0);
        } else if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') {
          out.roundTripMs = Math.round(s.currentRoundTripTime * 1000);
        }
      });
    }
    return out;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#markReady(false);
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    for (const id of [...this.#consumers.keys()]) this.dropConsumer(id);
    this.#send?.close();
    this.#recv?.close();
  }
}
export type { MediaStats } from './media-stats';
