import { createSocket } from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

/** One RTP packet as a listener on the wire sees it. */
export interface RtpPacket {
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
}

/**
 * What the media server forwards, read off the wire: every router an in-process Haven makes is
 * watched (mediasoup's observer), so a test can attach a server-side consumer to any producer and
 * send its RTP over a PlainTransport to a UDP socket on loopback. It sees what the SFU sees, no more.
 */
export class RtpTap {
  readonly #routerOf = new Map<string, types.Router>();
  readonly #closers: Array<() => void> = [];

  /** Call before Haven starts its media workers. */
  watch(): void {
    const onWorker = (worker: types.Worker): void => {
      worker.observer.on('newrouter', (router: types.Router) => {
        router.observer.on('newtransport', (transport: types.Transport) => {
          transport.observer.on('newproducer', (producer: types.Producer) =>
            this.#routerOf.set(producer.id, router),
          );
        });
      });
    };
    mediasoup.observer.on('newworker', onWorker);
    this.#closers.push(() => mediasoup.observer.off('newworker', onWorker));
  }

  /** The RTP of one producer for `ms` milliseconds, as a consumer on a loopback PlainTransport gets it. */
  async capture(producerId: string, ms: number): Promise<RtpPacket[]> {
    const router = this.#routerOf.get(producerId);
    if (!router) throw new Error(`no router seen for producer ${producerId}`);
    const sink = createSocket('udp4');
    const packets: RtpPacket[] = [];
    sink.on('message', (message) => {
      const packet = parseRtp(message);
      if (packet) packets.push(packet);
    });
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    try {
      await transport.connect({ ip: '127.0.0.1', port: sink.address().port });
      const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
      if (consumer.kind === 'video') await consumer.requestKeyFrame();
      await new Promise((r) => setTimeout(r, ms));
      return packets;
    } finally {
      transport.close();
      sink.close();
    }
  }

  close(): void {
    for (const close of this.#closers.splice(0)) close();
  }
}

/** RFC 3550's fixed header, CSRCs and header extension skipped; null for RTCP or a short packet. */
export function parseRtp(data: Buffer): RtpPacket | null {
  if (data.length < 12 || data[0]! >> 6 !== 2) return null;
  const payloadType = data[1]! & 0x7f;
  if (payloadType >= 72 && payloadType <= 79) return null; // RTCP on the muxed port
  let at = 12 + (data[0]! & 0x0f) * 4;
  if (data[0]! & 0x10) at += 4 + data.readUInt16BE(at + 2) * 4;
  let end = data.length;
  if (data[0]! & 0x20) end -= data[end - 1]!; // padding
  if (at > end) return null;
  return {
    payloadType,
    marker: (data[1]! & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(at, end),
  };
}

/** Length of the VP8 RTP payload descriptor (RFC 7741) at the start of a payload. */
function vp8DescriptorLength(p: Buffer): number {
  let n = 1;
  if (p[0]! & 0x80) {
    const ext = p[1]!;
    n += 1;
    if (ext & 0x80) n += p[n]! & 0x80 ? 2 : 1; // PictureID
    if (ext & 0x40) n += 1; // TL0PICIDX
    if (ext & 0x30) n += 1; // TID / KEYIDX
  }
  return n;
}

/**
 * Whole VP8 frames from packets (descriptors removed; start bit with partition 0 to the marker),
 * frames with a missing packet left out.
 */
export function vp8Frames(packets: readonly RtpPacket[]): Buffer[] {
  const frames: Buffer[] = [];
  let parts: Buffer[] | null = null;
  let lastSeq = -1;
  for (const p of [...packets].sort((a, b) => seqOrder(a.sequence, b.sequence))) {
    const d = vp8DescriptorLength(p.payload);
    const start = (p.payload[0]! & 0x10) !== 0 && (p.payload[0]! & 0x07) === 0;
    if (start) parts = [];
    else if (parts && p.sequence !== ((lastSeq + 1) & 0xffff)) parts = null;
    lastSeq = p.sequence;
    if (!parts) continue;
    parts.push(p.payload.subarray(d));
    if (p.marker) {
      frames.push(Buffer.concat(parts));
      parts = null;
    }
  }
  return frames;
}

function seqOrder(a: number, b: number): number {
  const diff = (a - b) & 0xffff;
  return diff === 0 ? 0 : diff < 0x8000 ? 1 : -1;
}

/** A VP8 key frame's header: frame tag with the key-frame bit clear, then the start code 9d 01 2a. */
export function isVp8KeyFrameHeader(frame: Buffer): boolean {
  return (
    frame.length >= 10 &&
    (frame[0]! & 0x01) === 0 &&
    frame[3] === 0x9d &&
    frame[4] === 0x01 &&
    frame[5] === 0x2a
  );
}

/**
 * The counters of Haven's E2EE frame trailer (public/src/room/e2ee/frame-crypto.ts: counter (8
 * bytes) and key id (1) at the end of every frame), or null when the frames do not carry it: on
 * plain media these bytes are the codec's own, so consecutive frames do not count up from small
 * numbers under a key id from 1 to 255.
 */
export function e2eeTrailerCounters(frames: readonly Buffer[]): bigint[] | null {
  if (frames.length < 5) return null;
  const counters: bigint[] = [];
  for (const f of frames) {
    if (f.length < 9 + 16) return null;
    const keyId = f[f.length - 1]!;
    const counter = f.readBigUInt64BE(f.length - 9);
    if (keyId === 0 || counter > 0xffffffffn) return null;
    if (counters.length > 0 && counter <= counters[counters.length - 1]!) return null;
    counters.push(counter);
  }
  return counters;
}
