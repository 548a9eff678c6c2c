/**
 * Just enough RTP and RTCP for the media benchmark: build RTP packets whose payload ends with a
 * trailer (stream, sequence, send time), parse packets back, and spot keyframe requests (PLI/FIR).
 *
 * The trailer sits at the END of the payload because mediasoup rewrites the start of a VP8 payload
 * (the picture id in the payload descriptor) and may add header extensions; the last bytes of a
 * packet travel untouched.
 */

/** "HAVB": marks a benchmark packet, so RTCP and anything else on the socket is ignored. */
export const TRAILER_MAGIC = 0x48415642;
export const TRAILER_BYTES = 24;
export const RTP_HEADER_BYTES = 12;

export type StreamKind = 'audio' | 'video';

/** What the sink learns from one packet. */
export interface BenchTrailer {
  readonly streamId: number;
  readonly seq: number;
  readonly kind: StreamKind;
  /** Monotonic clock (process.hrtime), microseconds: comparable between processes on one machine. */
  readonly sentAtUs: number;
  /**
   * A simulcast layer below the top one: the worker receives it but forwards only the top layer on
   * a good network, so it is not expected at the sink (and not counted there as received).
   */
  readonly lowerLayer?: boolean;
}

export interface RtpHeaderFields {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
}

/**
 * One RTP packet: 12-byte header (no CSRC, no extension), then `codecHeader`, filler, and the
 * trailer, `payloadBytes` long in all (so packet = 12 + payloadBytes).
 */
export function buildRtpPacket(
  header: RtpHeaderFields,
  codecHeader: Uint8Array,
  payloadBytes: number,
  trailer: BenchTrailer,
): Buffer {
  if (payloadBytes < codecHeader.length + TRAILER_BYTES) {
    throw new RangeError(`payload of ${payloadBytes} bytes cannot hold its headers and trailer`);
  }
  const packet = Buffer.alloc(RTP_HEADER_BYTES + payloadBytes);
  packet[0] = 0x80; // version 2
  packet[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  packet.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(header.timestamp >>> 0, 4);
  packet.writeUInt32BE(header.ssrc >>> 0, 8);
  packet.set(codecHeader, RTP_HEADER_BYTES);
  writeTrailer(packet, trailer);
  return packet;
}

function writeTrailer(packet: Buffer, trailer: BenchTrailer): void {
  const at = packet.length - TRAILER_BYTES;
  packet.writeUInt32BE(TRAILER_MAGIC, at);
  packet.writeUInt32BE(trailer.streamId >>> 0, at + 4);
  packet.writeUInt32BE(trailer.seq >>> 0, at + 8);
  packet[at + 12] = trailer.kind === 'video' ? (trailer.lowerLayer ? 2 : 1) : 0;
  packet.writeDoubleBE(trailer.sentAtUs, at + 16);
}

/** The trailer of a benchmark packet, or null for anything else (RTCP, a short or foreign packet). */
export function readTrailer(packet: Buffer): BenchTrailer | null {
  if (packet.length < RTP_HEADER_BYTES + TRAILER_BYTES || isRtcp(packet)) return null;
  const at = packet.length - TRAILER_BYTES;
  if (packet.readUInt32BE(at) !== TRAILER_MAGIC) return null;
  return {
    streamId: packet.readUInt32BE(at + 4),
    seq: packet.readUInt32BE(at + 8),
    kind: packet[at + 12] === 0 ? 'audio' : 'video',
    sentAtUs: packet.readDoubleBE(at + 16),
    ...(packet[at + 12] === 2 ? { lowerLayer: true } : {}),
  };
}

/** RTP header fields and where the payload starts (after CSRCs and any header extension). */
export function parseRtpHeader(packet: Buffer): (RtpHeaderFields & { payloadOffset: number }) | null {
  if (packet.length < RTP_HEADER_BYTES || packet[0]! >> 6 !== 2 || isRtcp(packet)) return null;
  let offset = RTP_HEADER_BYTES + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return null;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  if (offset > packet.length) return null;
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadOffset: offset,
  };
}

/** RTCP packet types 200–206 share the port with RTP (rtcp-mux, RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return packet.length >= 4 && type >= 200 && type <= 206;
}

/**
 * The media SSRCs that a (compound) RTCP packet asks a keyframe for: PLI (PSFB 206, FMT 1) names
 * it at byte 8; FIR (PSFB 206, FMT 4) names it in each 8-byte FCI entry.
 */
export function keyframeRequests(packet: Buffer): number[] {
  const ssrcs: number[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const fmt = packet[offset]! & 0x1f;
    const type = packet[offset + 1]!;
    const length = (packet.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + length > packet.length) break;
    if (type === 206 && fmt === 1 && length >= 12) ssrcs.push(packet.readUInt32BE(offset + 8));
    if (type === 206 && fmt === 4) {
      for (let fci = offset + 12; fci + 8 <= offset + length; fci += 8) ssrcs.push(packet.readUInt32BE(fci));
    }
    offset += length;
  }
  return ssrcs;
}

/**
 * The VP8 payload descriptor (RFC 7741) mediasoup needs to see: X=1 with a 15-bit picture id, S on
 * the first packet of a frame, then the first byte of the VP8 frame tag, whose low bit is 0 on a
 * keyframe. mediasoup drops video for a new consumer until it sees a keyframe, so this matters.
 */
export function vp8Header(options: { start: boolean; keyframe: boolean; pictureId: number }): Uint8Array {
  const pictureId = options.pictureId & 0x7fff;
  return Uint8Array.of(
    0x80 | (options.start ? 0x10 : 0),
    0x80,
    0x80 | (pictureId >> 8),
    pictureId & 0xff,
    options.keyframe ? 0x00 : 0x01,
  );
}

/** Opus TOC byte: config 15 (hybrid, fullband, 20 ms), mono, one frame. */
export const OPUS_TOC = Uint8Array.of(15 << 3);
