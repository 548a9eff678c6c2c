import { AppError, phrase } from '../shared/errors';
import { assertNotSilenced, isSilenced } from './group-rooms';
import type { LiveSessionService } from './live-session.service';
import type {
  ConsumerOffer,
  DtlsParameters,
  IceParameters,
  IceServerView,
  IceTransportPolicy,
  MediaKind,
  MediaRebuild,
  MediaSource,
  ProducerView,
  RtpCapabilities,
  RtpParameters,
  TransportOffer,
  WarmUpOffer,
} from '../protocol';
import type { Actor } from './rooms.types';

/** Mints the TURN relays (with fresh short-lived credentials) for one person. */
export type IceServersFor = (userId: string) => readonly IceServerView[];

/**
 * Media requests from a person in a room. Sending and receiving pass the admission gate (a waiting
 * or unknown person gets `room.not_admitted` and nothing is created); a waiting person may only
 * prepare: make their transports (without the relay) and connect them through the idle warm-up
 * channel, so admission has only the media itself left to set up. Then the room's media, which only
 * touches objects owned by that person (guessed ids are `media.*_not_found`).
 */
export class LiveMediaService {
  readonly #live: LiveSessionService;
  readonly #iceServersFor: IceServersFor;
  readonly #iceTransportPolicy: IceTransportPolicy;

  constructor(
    live: LiveSessionService,
    iceServersFor: IceServersFor = () => [],
    iceTransportPolicy: IceTransportPolicy = 'all',
  ) {
    this.#live = live;
    this.#iceServersFor = iceServersFor;
    this.#iceTransportPolicy = iceTransportPolicy;
  }

  /**
   * A transport, with the TURN relays the browser may use for it. Credentials are minted only for
   * admitted people, and a new one for each transport (also after a rebuild), so a short lifetime
   * never strands a session. A waiting person's transport has no relay (`media:ice-servers` adds it
   * once they are admitted); where every connection must go through the relay, they wait for it.
   */
  async createTransport(actor: Actor, roomId: string, direction: 'send' | 'recv'): Promise<TransportOffer> {
    const { seat, media } = await this.#live.preparingFor(actor, roomId);
    const waiting = seat.state !== 'admitted';
    if (waiting && this.#iceTransportPolicy === 'relay') {
      throw new AppError(
        'media.relay_after_admission',
        'conflict',
        phrase('errors:room.relayAfterAdmission'),
      );
    }
    const params = await media.createTransport(actor.id, direction);
    return {
      ...params,
      iceServers: waiting ? [] : this.#iceServersFor(actor.id),
      iceTransportPolicy: this.#iceTransportPolicy,
    };
  }

  async connectTransport(
    actor: Actor,
    roomId: string,
    transportId: string,
    dtls: DtlsParameters,
  ): Promise<void> {
    const { media } = await this.#live.preparingFor(actor, roomId);
    await media.connectTransport(actor.id, transportId, dtls);
  }

  /**
   * The idle data channel that connects the receive transport while the person waits. With what the
   * browser can decode, admission also makes their consumers ahead (see LiveSessionService#admit).
   */
  async warmUp(actor: Actor, roomId: string, canDecode: RtpCapabilities | null): Promise<WarmUpOffer> {
    const { seat, media } = await this.#live.preparingFor(actor, roomId);
    const offer = await media.warmUp(actor.id);
    seat.canDecode = canDecode;
    return offer;
  }

  /** Fresh TURN relays, after admission, for transports made while waiting (made without them). */
  async iceServers(actor: Actor, roomId: string): Promise<{ iceServers: readonly IceServerView[] }> {
    await this.#live.mediaFor(actor, roomId);
    return { iceServers: this.#iceServersFor(actor.id) };
  }

  /** New ICE credentials for one of the person's transports (the browser then restarts ICE). */
  async restartIce(
    actor: Actor,
    roomId: string,
    transportId: string,
  ): Promise<{ iceParameters: IceParameters }> {
    const { media } = await this.#live.mediaFor(actor, roomId);
    return { iceParameters: await media.restartIce(actor.id, transportId) };
  }

  /**
   * Starting the person's media over without leaving the room: after `media:lost` (a worker died;
   * this re-creates the room on a live worker, waiting briefly for a replacement) or when an ICE
   * restart did not bring the path back. Whatever they still had here is closed first (others are
   * told their tracks closed), then they get what a newly admitted person gets.
   */
  async rebuild(actor: Actor, roomId: string): Promise<MediaRebuild> {
    const { live, seat, media } = await this.#live.mediaFor(actor, roomId);
    media.closePeer(actor.id);
    return live.present({
      rtpCapabilities: media.rtpCapabilities,
      producers: media
        .producers()
        .filter((p) => p.peerId !== actor.id && !(seat.audioOnly && p.kind === 'video')),
    });
  }

  async produce(
    actor: Actor,
    roomId: string,
    input: {
      transportId: string;
      kind: MediaKind;
      source: MediaSource;
      rtpParameters: RtpParameters;
    },
  ): Promise<ProducerView> {
    const { live, seat, media } = await this.#live.mediaFor(actor, roomId);
    if (seat.audioOnly && input.kind === 'video') {
      throw new AppError('media.audio_only', 'conflict', phrase('errors:room.audioOnlySend'));
    }
    assertNotSilenced(seat, input.kind);
    // An E2EE room takes media only from a page that said its key, i.e. one that encrypts: a
    // browser without the Encoded Transform API is kept out rather than sending in the clear.
    if (live.e2ee && !seat.e2eeKey) {
      throw new AppError('room.e2ee_required', 'conflict', phrase('errors:room.e2eeRequired'));
    }
    const producer = await media.produce(
      actor.id,
      input.transportId,
      input.kind,
      input.rtpParameters,
      input.source,
    );
    if (isSilenced(seat, producer.kind)) {
      // A facilitator's mute or camera-off landed while this track was being set up.
      media.closeProducer(actor.id, producer.producerId);
      assertNotSilenced(seat, producer.kind);
    }
    this.#live.announceProducer(live, producer);
    return live.present(producer);
  }

  async consume(
    actor: Actor,
    roomId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilities,
  ): Promise<ConsumerOffer> {
    const { live, seat, media } = await this.#live.mediaFor(actor, roomId);
    const producer = media.producers().find((p) => p.producerId === producerId);
    if (!producer)
      throw new AppError('media.producer_not_found', 'not_found', phrase('errors:room.noSuchTrack'));
    if (seat.audioOnly && producer.kind === 'video') {
      throw new AppError('media.audio_only', 'conflict', phrase('errors:room.audioOnlyReceive'));
    }
    return live.present(await media.consume(actor.id, producerId, rtpCapabilities));
  }

  async resumeConsumer(actor: Actor, roomId: string, consumerId: string): Promise<void> {
    const { media } = await this.#live.mediaFor(actor, roomId);
    await media.resumeConsumer(actor.id, consumerId);
  }

  async setConsumerLayer(
    actor: Actor,
    roomId: string,
    consumerId: string,
    spatialLayer: number,
  ): Promise<void> {
    const { media } = await this.#live.mediaFor(actor, roomId);
    await media.setConsumerLayer(actor.id, consumerId, spatialLayer);
  }

  async setProducerPaused(actor: Actor, roomId: string, producerId: string, paused: boolean): Promise<void> {
    const { media } = await this.#live.mediaFor(actor, roomId);
    await media.setProducerPaused(actor.id, producerId, paused);
  }

  async closeProducer(actor: Actor, roomId: string, producerId: string): Promise<void> {
    const { media } = await this.#live.mediaFor(actor, roomId);
    media.closeProducer(actor.id, producerId);
  }

  /**
   * Audio-only mode: on, the server stops the person's camera and screen share and every incoming
   * video, and refuses new ones; off, it returns the video tracks they may now consume.
   */
  async setAudioOnly(actor: Actor, roomId: string, on: boolean): Promise<{ videoProducers: ProducerView[] }> {
    const { live, seat, media } = await this.#live.mediaFor(actor, roomId);
    seat.audioOnly = on;
    if (on) {
      media.closeProducersOfKind(actor.id, 'video');
      media.closeConsumersOfKind(actor.id, 'video');
      this.#live.notifyPeers(live);
      return { videoProducers: [] };
    }
    this.#live.notifyPeers(live);
    return live.present({
      videoProducers: media.producers().filter((p) => p.kind === 'video' && p.peerId !== actor.id),
    });
  }
}
