import type { types } from 'mediasoup';
import { AppError, phrase } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { TypedEmitter } from '../shared/typed-emitter';
import { INITIAL_OUTGOING_BITRATE, MAX_INCOMING_BITRATE } from './codecs';
import type { RouterPlacement } from './media-worker-pool';
import type {
  ConsumerParams,
  MediaKind,
  MediaSource,
  ProducerInfo,
  RtpCapabilities,
  TransportDirection,
  TransportParams,
  WarmUpParams,
} from './media.types';

export interface MediaRoomEvents {
  /** The loudest speaker changed (null: silence after someone left). */
  activespeaker: [{ peerId: string | null }];
  /** A producer went away (closed by its owner, its transport, or its peer leaving). */
  producerclosed: [ProducerInfo];
  /** The server closed a consumer (its producer closed); the owning peer should drop the track. */
  consumerclosed: [{ peerId: string; consumerId: string }];
  /** A producer was paused or resumed (mute / camera off). */
  producerpaused: [ProducerInfo];
  /** The room's router is gone (closed, or its worker died). */
  close: [];
}

interface PeerMedia {
  readonly transports: Map<string, { transport: types.WebRtcTransport; direction: TransportDirection }>;
  readonly producers: Map<string, types.Producer>;
  readonly consumers: Map<string, types.Consumer>;
  /** The idle data channel that connected the receive transport early (see `warmUp`). */
  warmUp: types.DataConsumer | null;
}

/** At most this many of each per peer: a tab misbehaving cannot exhaust the worker. */
const LIMITS = { transports: 2, producers: 4, consumers: 64 } as const;

// Refusals name `rooms:problem.media.*` keys: media/ knows no language; the socket's ack writes them.
const notFound = (what: 'transport' | 'producer' | 'consumer'): AppError =>
  new AppError(`media.${what}_not_found`, 'not_found', phrase(`rooms:problem.media.noSuch.${what}`));

/**
 * One room's media: a router, an active-speaker observer, and every peer's transports, producers and
 * consumers. Every method takes the acting peer id and only touches objects that peer owns, so a
 * guessed transport, producer or consumer id from another peer is simply "not found". Consuming is
 * limited to producers of this room.
 */
export class MediaRoom extends TypedEmitter<MediaRoomEvents> {
  readonly #router: types.Router;
  readonly #webRtcServer: types.WebRtcServer;
  readonly #observer: types.ActiveSpeakerObserver;
  readonly #peers = new Map<string, PeerMedia>();
  readonly #producerOwner = new Map<string, { peerId: string; source: MediaSource }>();
  /** A data source inside the router that never sends: what warm-up channels are consumed from. */
  #silence: Promise<types.DataProducer> | null = null;
  #closed = false;

  static async create(placement: RouterPlacement, logger: Logger): Promise<MediaRoom> {
    const observer = await placement.router.createActiveSpeakerObserver({ interval: 400 });
    return new MediaRoom(placement, observer, logger);
  }

  private constructor(placement: RouterPlacement, observer: types.ActiveSpeakerObserver, logger: Logger) {
    super(logger);
    this.#router = placement.router;
    this.#webRtcServer = placement.webRtcServer;
    this.#observer = observer;
    observer.on('dominantspeaker', ({ producer }) => {
      const owner = this.#producerOwner.get(producer.id);
      if (owner) this.emit('activespeaker', { peerId: owner.peerId });
    });
    // Worker death closes the router from below: tell the room above.
    this.#router.on('workerclose', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Every peer's consumers together: the node's load as the node registry reports it. */
  get consumerCount(): number {
    let count = 0;
    for (const peer of this.#peers.values()) count += peer.consumers.size;
    return count;
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  /** Every live producer, e.g. for a peer that has just been admitted. */
  producers(): ProducerInfo[] {
    const out: ProducerInfo[] = [];
    for (const [peerId, media] of this.#peers) {
      for (const producer of media.producers.values()) out.push(this.#info(peerId, producer));
    }
    return out;
  }

  async createTransport(peerId: string, direction: TransportDirection): Promise<TransportParams> {
    this.#assertOpen();
    const media = this.#peer(peerId);
    const sameDirection = [...media.transports.values()].filter((t) => t.direction === direction);
    if (sameDirection.length >= 1 || media.transports.size >= LIMITS.transports) {
      throw new AppError('media.transport_limit', 'conflict', phrase('rooms:problem.media.transportLimit'));
    }
    const transport = await this.#router.createWebRtcTransport({
      webRtcServer: this.#webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
      // SCTP on receive transports only, for the warm-up channel (nothing is ever sent on it).
      enableSctp: direction === 'recv',
      appData: { peerId, direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
    media.transports.set(transport.id, { transport, direction });
    transport.observer.once('close', () => media.transports.delete(transport.id));
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      sctpParameters: transport.sctpParameters,
    };
  }

  /**
   * A data channel on the peer's receive transport from a source that never sends. The browser
   * connects a receive transport (ICE + DTLS) only when something is consumed on it; this lets it
   * connect while the person waits for admission, with nothing to receive. One per transport.
   */
  async warmUp(peerId: string): Promise<WarmUpParams> {
    const media = this.#peer(peerId);
    const entry = [...media.transports.values()].find((t) => t.direction === 'recv');
    if (!entry) throw notFound('transport');
    let channel = media.warmUp;
    if (!channel || channel.closed) {
      this.#silence ??= this.#router
        .createDirectTransport()
        .then((direct) => direct.produceData({ label: 'haven-warm-up' }));
      const silence = await this.#silence;
      channel = await entry.transport.consumeData({ dataProducerId: silence.id });
      media.warmUp = channel;
    }
    return {
      id: channel.id,
      dataProducerId: channel.dataProducerId,
      sctpStreamParameters: channel.sctpStreamParameters as types.SctpStreamParameters,
      label: channel.label,
      protocol: channel.protocol,
    };
  }

  async connectTransport(
    peerId: string,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    const entry = this.#peer(peerId).transports.get(transportId);
    if (!entry) throw notFound('transport');
    await entry.transport.connect({ dtlsParameters });
  }

  /**
   * ICE restart: the browser lost its path to us (network change, blocked port) while the socket
   * stayed up. New ICE credentials for the same transport; producers and consumers are kept.
   */
  async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
    const entry = this.#peer(peerId).transports.get(transportId);
    if (!entry) throw notFound('transport');
    return entry.transport.restartIce();
  }

  async produce(
    peerId: string,
    transportId: string,
    kind: MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<ProducerInfo> {
    const media = this.#peer(peerId);
    const entry = media.transports.get(transportId);
    if (!entry || entry.direction !== 'send') throw notFound('transport');
    if ((source === 'mic') !== (kind === 'audio')) {
      throw new AppError(
        'media.source_mismatch',
        'bad_request',
        phrase('rooms:problem.media.sourceMismatch'),
      );
    }
    if (media.producers.size >= LIMITS.producers) {
      throw new AppError('media.producer_limit', 'conflict', phrase('rooms:problem.media.tooManyTracks'));
    }
    for (const existing of media.producers.values()) {
      if (this.#producerOwner.get(existing.id)?.source === source) {
        throw new AppError(
          'media.source_taken',
          'conflict',
          phrase(`rooms:problem.media.alreadySending.${source}`),
        );
      }
    }
    const producer = await entry.transport.produce({ kind, rtpParameters, appData: { peerId, source } });
    media.producers.set(producer.id, producer);
    this.#producerOwner.set(producer.id, { peerId, source });
    if (kind === 'audio') await this.#observer.addProducer({ producerId: producer.id }).catch(() => {});
    producer.observer.once('close', () => {
      const info = this.#info(peerId, producer);
      media.producers.delete(producer.id);
      this.#producerOwner.delete(producer.id);
      if (!this.#closed) this.emit('producerclosed', info);
    });
    return this.#info(peerId, producer);
  }

  async consume(
    peerId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumerParams> {
    const media = this.#peer(peerId);
    const owner = this.#producerOwner.get(producerId);
    // Only producers of this room, and never one's own.
    if (!owner || owner.peerId === peerId) throw notFound('producer');
    const entry = [...media.transports.values()].find((t) => t.direction === 'recv');
    if (!entry) throw notFound('transport');
    if (media.consumers.size >= LIMITS.consumers) {
      throw new AppError('media.consumer_limit', 'conflict', phrase('rooms:problem.media.tooManyTracks'));
    }
    if (!this.#router.canConsume({ producerId, rtpCapabilities })) {
      throw new AppError('media.cannot_consume', 'bad_request', phrase('rooms:problem.media.cannotDecode'));
    }
    // Paused until the browser has wired the track up (it then asks to resume, and video asks the
    // sender for a keyframe), so the first keyframe is not spent before the page can decode it.
    // Starting unpaused saved that round trip but, on a busy machine, 2 joins in 5 lost the first
    // keyframe and waited over a second for the next one.
    const consumer = await entry.transport.consume({
      producerId,
      rtpCapabilities,
      paused: true,
      appData: { peerId },
    });
    media.consumers.set(consumer.id, consumer);
    const forget = (): void => {
      media.consumers.delete(consumer.id);
    };
    consumer.observer.once('close', forget);
    consumer.on('producerclose', () => {
      forget();
      this.emit('consumerclosed', { peerId, consumerId: consumer.id });
    });
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      producerPeerId: owner.peerId,
      source: owner.source,
      type: consumer.type,
    };
  }

  /**
   * The page has wired the track up: the consumer resumes, and video asks its sender for a keyframe
   * at once (mediasoup also asks when it picks the simulcast layer; the request is not sent twice
   * while one is pending), so the first frame never waits for the sender's next periodic keyframe.
   */
  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw notFound('consumer');
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame();
  }

  /** Simulcast: the layer that fits the tile (0 = smallest). */
  async setConsumerLayer(peerId: string, consumerId: string, spatialLayer: number): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw notFound('consumer');
    if (consumer.type !== 'simulcast') return;
    await consumer.setPreferredLayers({ spatialLayer });
  }

  async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<ProducerInfo> {
    const producer = this.#peer(peerId).producers.get(producerId);
    if (!producer) throw notFound('producer');
    if (paused) await producer.pause();
    else await producer.resume();
    const info = this.#info(peerId, producer);
    this.emit('producerpaused', info);
    return info;
  }

  closeProducer(peerId: string, producerId: string): void {
    const producer = this.#peer(peerId).producers.get(producerId);
    if (!producer) throw notFound('producer');
    producer.close();
  }

  /** Closes a peer's consumers of one kind (audio-only mode drops every incoming video). */
  closeConsumersOfKind(peerId: string, kind: MediaKind): string[] {
    const closed: string[] = [];
    for (const consumer of [...this.#peer(peerId).consumers.values()]) {
      if (consumer.kind === kind) {
        consumer.close();
        closed.push(consumer.id);
      }
    }
    return closed;
  }

  /** Closes a peer's producers of one kind (audio-only mode stops the camera and screen share). */
  closeProducersOfKind(peerId: string, kind: MediaKind): void {
    for (const producer of [...this.#peer(peerId).producers.values()]) {
      if (producer.kind === kind) producer.close();
    }
  }

  /** Everything the peer had; its producers' consumers elsewhere close with them. Idempotent. */
  closePeer(peerId: string): void {
    const media = this.#peers.get(peerId);
    if (!media) return;
    for (const { transport } of [...media.transports.values()]) transport.close();
    this.#peers.delete(peerId);
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#peers.clear();
    this.#producerOwner.clear();
    if (!this.#router.closed) this.#router.close();
    this.emit('close');
    this.removeAllListeners();
  }

  #peer(peerId: string): PeerMedia {
    this.#assertOpen();
    let media = this.#peers.get(peerId);
    if (!media) {
      media = { transports: new Map(), producers: new Map(), consumers: new Map(), warmUp: null };
      this.#peers.set(peerId, media);
    }
    return media;
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('media.room_closed', 'conflict', phrase('errors:room.ended'));
  }

  #info(peerId: string, producer: types.Producer): ProducerInfo {
    return {
      producerId: producer.id,
      peerId,
      kind: producer.kind,
      source: this.#producerOwner.get(producer.id)?.source ?? (producer.appData.source as MediaSource),
      paused: producer.paused,
    };
  }
}
