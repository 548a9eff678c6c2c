import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../server/media/codecs';
import type { SenderParticipant, SenderStream } from './traffic-ipc';

/**
 * One synthetic 1:1 session on a worker, shaped like a Haven room: its own router (with Haven's
 * codec list), and per participant a send transport with an Opus and a VP8 producer and a receive
 * transport consuming the other participant's two producers. PlainTransports replace Haven's
 * WebRtcTransports: no ICE, DTLS or SRTP, so the worker does a little less per packet than in a
 * real call (see docs/operations.md, Sizing).
 */
export interface SessionPair {
  readonly router: types.Router;
  /** What the sender process must send, one entry per participant. */
  readonly participants: SenderParticipant[];
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

/** Creates the router, transports, producers and consumers; consumers send to `sinkPort`. */
export async function createSessionPair(worker: types.Worker, sinkPort: number): Promise<SessionPair> {
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { bench: true } });
  try {
    const sides = [];
    for (let side = 0; side < 2; side += 1) {
      const send = await router.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: true, comedia: true });
      const streams: SenderStream[] = [];
      const producers: types.Producer[] = [];
      for (const [kind, mimeType] of [
        ['audio', 'audio/opus'],
        ['video', 'video/VP8'],
      ] as const) {
        const codec = codecFor(router, mimeType);
        const ssrc = nextSsrc++;
        producers.push(
          await send.produce({ kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } }),
        );
        streams.push({ streamId: nextStreamId++, kind, ssrc, payloadType: codec.payloadType });
      }
      sides.push({ send, producers, participant: { port: send.tuple.localPort, streams } });
    }
    for (let side = 0; side < 2; side += 1) {
      const other = sides[1 - side]!;
      const receive = await router.createPlainTransport({
        listenInfo: LOOPBACK,
        rtcpMux: true,
        comedia: false,
      });
      await receive.connect({ ip: '127.0.0.1', port: sinkPort });
      for (const producer of other.producers) {
        await receive.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      }
    }
    return {
      router,
      participants: sides.map((s) => s.participant),
      producers: 4,
      consumers: 4,
      close: () => router.close(),
    };
  } catch (error) {
    router.close();
    throw error;
  }
}
