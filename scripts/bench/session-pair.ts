import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../server/media/codecs';
import { newKeying, type SrtpKeying, type SrtpSuite } from './srtp';
import type { SenderParticipant, SenderStream } from './traffic-ipc';

/** How much of a real call the synthetic sessions carry. */
export interface SessionShape {
  /** SRTP on every transport (as DTLS-SRTP gives a browser call), or null for plain RTP. */
  readonly srtp: SrtpSuite | null;
  /** Simulcast layers of each camera (3 in a Haven call; 1 = a single VP8 stream). */
  readonly videoLayers: number;
}

/** A real call's shape: SRTP with the suite Chromium negotiates with mediasoup, 3 layers. */
export const FAIR_SHAPE: SessionShape = { srtp: 'AEAD_AES_256_GCM', videoLayers: 3 };

/**
 * One synthetic 1:1 session on a worker, shaped like a Haven room: its own router (with Haven's
 * codec list), and per participant a send transport with an Opus and a VP8 producer (simulcast)
 * and a receive transport consuming the other participant's two producers. PlainTransports with
 * SRTP replace Haven's WebRtcTransports: no ICE or DTLS handshake (a one-off cost), and no
 * congestion-control feedback (the sink sends none), which a real call also pays for; the media
 * bench's Chromium step measures how far that leaves the bench from a real call.
 */
export interface SessionPair {
  readonly router: types.Router;
  /** What the sender process must send, one entry per participant. */
  readonly participants: SenderParticipant[];
  /** The worker's keys for what it forwards to the sink port, one entry per participant. */
  readonly sinkKeys: { port: number; srtp: SrtpKeying }[];
  /** The consumers of video, to see which simulcast layer each forwards. */
  readonly videoConsumers: types.Consumer[];
  readonly producers: number;
  readonly consumers: number;
  close(): void;
}

const LOOPBACK: types.TransportListenInfo = { protocol: 'udp', ip: '127.0.0.1' };

let nextStreamId = 1;
let nextSsrc = 0x10000000;

/** Haven's codec entry for a MIME type, and the payload type the router prefers for it. */
function codecFor(router: types.Router, mimeType: 'audio/opus' | 'video/VP8'): types.RtpCodecParameters {
  const mine = MEDIA_CODECS.find((c) => c.mimeType === mimeType);
  const routerCodec = router.rtpCapabilities.codecs?.find((c) => c.mimeType === mimeType);
  if (!mine || routerCodec?.preferredPayloadType === undefined) {
    throw new Error(`Haven's codec list has no ${mimeType}`);
  }
  return {
    mimeType,
    payloadType: routerCodec.preferredPayloadType,
    clockRate: mine.clockRate,
    ...(mine.channels ? { channels: mine.channels } : {}),
    parameters: mimeType === 'audio/opus' ? { useinbandfec: 1 } : {},
    rtcpFeedback:
      mine.kind === 'video'
        ? [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
        : [],
  };
}

/** Router capabilities without congestion-control feedback: nobody would answer it (see above). */
function withoutBandwidthFeedback(caps: types.RtpCapabilities): types.RtpCapabilities {
  return {
    ...caps,
    codecs: caps.codecs?.map((c) => ({
      ...c,
      rtcpFeedback: c.rtcpFeedback?.filter((f) => f.type !== 'transport-cc' && f.type !== 'goog-remb'),
    })),
    headerExtensions: caps.headerExtensions?.filter(
      (e) => !e.uri.includes('transport-wide-cc') && !e.uri.includes('abs-send-time'),
    ),
  };
}

/**
 * Creates the router, transports, producers and consumers; each participant's receive transport
 * sends to its own sink port (each has its own SRTP keys).
 */
export async function createSessionPair(
  worker: types.Worker,
  sinkPorts: readonly [number, number],
  shape: SessionShape,
): Promise<SessionPair> {
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { bench: true } });
  const srtpOptions = shape.srtp ? { enableSrtp: true, srtpCryptoSuite: shape.srtp } : {};
  try {
    const sides = [];
    for (let side = 0; side < 2; side += 1) {
      const send = await router.createPlainTransport({
        listenInfo: LOOPBACK,
        rtcpMux: true,
        comedia: true,
        ...srtpOptions,
      });
      // comedia: the address comes from the first packet; the keys are the sender's.
      const srtp = shape.srtp ? newKeying(shape.srtp) : null;
      if (srtp) await send.connect({ srtpParameters: srtp });
      const streams: SenderStream[] = [];
      const producers: types.Producer[] = [];
      for (const [kind, mimeType] of [
        ['audio', 'audio/opus'],
        ['video', 'video/VP8'],
      ] as const) {
        const codec = codecFor(router, mimeType);
        const layers = kind === 'video' ? shape.videoLayers : 1;
        const encodings: types.RtpEncodingParameters[] = [];
        for (let layer = 0; layer < layers; layer += 1) {
          const ssrc = nextSsrc++;
          encodings.push({ ssrc, ...(layers > 1 ? { scalabilityMode: 'L1T1' } : {}) });
          streams.push({
            streamId: nextStreamId++,
            kind,
            ssrc,
            payloadType: codec.payloadType,
            ...(kind === 'video' ? { layer, layers } : {}),
          });
        }
        producers.push(await send.produce({ kind, rtpParameters: { codecs: [codec], encodings } }));
      }
      sides.push({ send, producers, participant: { port: send.tuple.localPort, streams, srtp } });
    }
    const sinkKeys: { port: number; srtp: SrtpKeying }[] = [];
    const videoConsumers: types.Consumer[] = [];
    const capabilities = withoutBandwidthFeedback(router.rtpCapabilities);
    for (let side = 0; side < 2; side += 1) {
      const other = sides[1 - side]!;
      const receive = await router.createPlainTransport({
        listenInfo: LOOPBACK,
        rtcpMux: true,
        comedia: false,
        ...srtpOptions,
      });
      const sinkPort = sinkPorts[side]!;
      await receive.connect({
        ip: '127.0.0.1',
        port: sinkPort,
        // The sink sends nothing back, so its keys are never used; the worker needs some.
        ...(shape.srtp ? { srtpParameters: newKeying(shape.srtp) } : {}),
      });
      if (receive.srtpParameters) {
        sinkKeys.push({ port: sinkPort, srtp: receive.srtpParameters as SrtpKeying });
      }
      for (const producer of other.producers) {
        const consumer = await receive.consume({
          producerId: producer.id,
          rtpCapabilities: capabilities,
          ...(producer.kind === 'video' && shape.videoLayers > 1
            ? { preferredLayers: { spatialLayer: shape.videoLayers - 1 } }
            : {}),
        });
        if (consumer.kind === 'video') videoConsumers.push(consumer);
      }
    }
    return {
      router,
      participants: sides.map((s) => s.participant),
      sinkKeys,
      videoConsumers,
      producers: 4,
      consumers: 4,
      close: () => router.close(),
    };
  } catch (error) {
    router.close();
    throw error;
  }
}
