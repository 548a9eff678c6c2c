// Child process of the media benchmark: sends every participant's Opus and VP8 RTP (VP8 in three
// simulcast layers, unless told otherwise), paced like a browser and SRTP-protected when the
// transport asks for it, to the participants' PlainTransports on loopback. Started by media-bench.ts.
import { createSocket, type Socket } from 'node:dgram';
import { OPUS_TOC, buildRtpPacket, keyframeRequests, isRtcp, vp8Header } from './rtp-packet';
import { SrtpContext } from './srtp';
import {
  nowUs,
  serveRequests,
  type SenderParticipant,
  type SenderReport,
  type SenderRequest,
} from './traffic-ipc';
import { packetsInFrame, streamProfile, timestampStep, type StreamProfile } from './traffic-profile';
import { SentCounter } from './window-stats';

/** Past this much behind schedule a stream drops frames instead of bursting to catch up. */
const MAX_BEHIND_US = 500_000;
/**
 * A browser sends an RTCP sender report per stream about once a second. mediasoup needs them to
 * line up simulcast layers' timestamps before it switches a consumer between layers.
 */
const SENDER_REPORT_EVERY_US = 1_000_000;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TICK_MS = 1;

interface StreamState {
  readonly streamId: number;
  readonly ssrc: number;
  readonly payloadType: number;
  readonly profile: StreamProfile;
  readonly socket: Socket;
  readonly srtp: SrtpContext | null;
  /** A simulcast layer below the top: sent to the worker, not expected at the sink. */
  readonly lowerLayer: boolean;
  readonly tsStep: number;
  nextDueUs: number;
  frameIndex: number;
  rtpSeq: number;
  rtpTimestamp: number;
  benchSeq: number;
  keyframeAsked: boolean;
  nextReportUs: number;
  packetsSent: number;
  octetsSent: number;
}

const streams: StreamState[] = [];
const bySsrc = new Map<number, StreamState>();
const sockets: Socket[] = [];
const counter = new SentCounter();
const lowerLayers = new SentCounter();
let skippedFrames = 0;
let keyframeAsks = 0;

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

async function addParticipant(participant: SenderParticipant): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => socket.connect(participant.port, '127.0.0.1', resolve));
  socket.setSendBufferSize(1 << 20);
  // A session closed (or the worker ended) before this socket: the kernel reports the ICMP "port
  // unreachable" of a connected socket as ECONNREFUSED, which would otherwise end the process.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNREFUSED') throw error;
  });
  const srtp = participant.srtp ? new SrtpContext(participant.srtp) : null;
  const mine: StreamState[] = [];
  // mediasoup answers on the same tuple with RTCP: receiver reports, NACKs, and keyframe requests.
  socket.on('message', (packet) => {
    if (!isRtcp(packet)) return;
    if (srtp) {
      // SRTCP hides all but the first 8 bytes; mediasoup sends a keyframe request as a packet of
      // its own (PSFB: PLI or FIR), so the type is readable but not which stream: ask all video.
      const fmt = packet[0]! & 0x1f;
      if (packet[1] === 206 && (fmt === 1 || fmt === 4)) {
        for (const stream of mine) if (stream.profile.kind === 'video') stream.keyframeAsked = true;
        keyframeAsks += 1;
      }
      return;
    }
    for (const ssrc of keyframeRequests(packet)) {
      const stream = bySsrc.get(ssrc);
      if (stream) {
        stream.keyframeAsked = true;
        keyframeAsks += 1;
      }
    }
  });
  sockets.push(socket);
  const start = nowUs();
  for (const s of participant.streams) {
    const layers = s.layers ?? 1;
    const profile = streamProfile(s.kind, layers, s.layer ?? 0);
    const state: StreamState = {
      streamId: s.streamId,
      ssrc: s.ssrc,
      payloadType: s.payloadType,
      profile,
      socket,
      srtp,
      lowerLayer: s.kind === 'video' && (s.layer ?? 0) < layers - 1,
      tsStep: timestampStep(profile),
      // A random phase, so thousands of streams do not burst on the same millisecond.
      nextDueUs: start + Math.random() * profile.frameIntervalUs,
      frameIndex: 0,
      rtpSeq: randomInt(0, 0xffff),
      rtpTimestamp: randomInt(0, 0xffffffff),
      benchSeq: 0,
      keyframeAsked: false,
      nextReportUs: start + Math.random() * SENDER_REPORT_EVERY_US,
      packetsSent: 0,
      octetsSent: 0,
    };
    streams.push(state);
    mine.push(state);
    bySsrc.set(state.ssrc, state);
  }
}

function sendFrame(stream: StreamState, dueUs: number): void {
  const { packets, keyframe } = packetsInFrame(stream.profile, stream.frameIndex, stream.keyframeAsked);
  if (keyframe) stream.keyframeAsked = false;
  const [minBytes, maxBytes] = stream.profile.payloadBytes;
  for (let i = 0; i < packets; i += 1) {
    const last = i === packets - 1;
    const codecHeader =
      stream.profile.kind === 'audio'
        ? OPUS_TOC
        : vp8Header({ start: i === 0, keyframe: keyframe && i === 0, pictureId: stream.frameIndex });
    const sentAtUs = nowUs();
    const packet = buildRtpPacket(
      {
        payloadType: stream.payloadType,
        sequenceNumber: stream.rtpSeq,
        timestamp: stream.rtpTimestamp,
        ssrc: stream.ssrc,
        marker: stream.profile.kind === 'video' ? last : stream.frameIndex === 0,
      },
      codecHeader,
      randomInt(minBytes, maxBytes),
      {
        streamId: stream.streamId,
        seq: stream.benchSeq,
        kind: stream.profile.kind,
        sentAtUs,
        lowerLayer: stream.lowerLayer,
      },
    );
    stream.socket.send(stream.srtp ? stream.srtp.protect(packet) : packet);
    stream.packetsSent += 1;
    stream.octetsSent += packet.length - 12;
    if (stream.lowerLayer) lowerLayers.count(stream.profile.kind, sentAtUs, dueUs);
    else counter.count(stream.profile.kind, sentAtUs, dueUs);
    stream.rtpSeq = (stream.rtpSeq + 1) & 0xffff;
    stream.benchSeq += 1;
  }
}

/** RTCP sender report (RFC 3550 §6.4.1) with no report blocks: 28 bytes. */
function sendSenderReport(stream: StreamState): void {
  const report = Buffer.alloc(28);
  report[0] = 0x80;
  report[1] = 200;
  report.writeUInt16BE(6, 2);
  report.writeUInt32BE(stream.ssrc >>> 0, 4);
  const nowMs = Date.now();
  report.writeUInt32BE(Math.floor(nowMs / 1000) + NTP_UNIX_OFFSET_S, 8);
  report.writeUInt32BE(Math.floor(((nowMs % 1000) / 1000) * 0x100000000) >>> 0, 12);
  report.writeUInt32BE(stream.rtpTimestamp >>> 0, 16);
  report.writeUInt32BE(stream.packetsSent >>> 0, 20);
  report.writeUInt32BE(stream.octetsSent >>> 0, 24);
  stream.socket.send(stream.srtp ? stream.srtp.protectRtcp(report) : report);
}

function tick(): void {
  const now = nowUs();
  for (const stream of streams) {
    if (stream.nextReportUs <= now) {
      sendSenderReport(stream);
      stream.nextReportUs = now + SENDER_REPORT_EVERY_US;
    }
    while (stream.nextDueUs <= now) {
      if (now - stream.nextDueUs > MAX_BEHIND_US) skippedFrames += 1;
      else sendFrame(stream, stream.nextDueUs);
      stream.frameIndex += 1;
      stream.rtpTimestamp = (stream.rtpTimestamp + stream.tsStep) >>> 0;
      stream.nextDueUs += stream.profile.frameIntervalUs;
    }
  }
  setTimeout(tick, TICK_MS);
}

serveRequests<SenderRequest>(async (request): Promise<unknown> => {
  switch (request.op) {
    case 'add':
      for (const participant of request.participants) await addParticipant(participant);
      return null;
    case 'window':
      counter.start(request.window);
      lowerLayers.start(request.window);
      skippedFrames = 0;
      keyframeAsks = 0;
      return null;
    case 'report': {
      const slip = counter.slip();
      const report: SenderReport = {
        sent: { ...counter.sent },
        slipMeanMs: slip.meanMs,
        slipMaxMs: slip.maxMs,
        skippedFrames,
        keyframeRequests: keyframeAsks,
        lowerLayers: lowerLayers.sent.video,
      };
      return report;
    }
  }
});

process.on('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
tick();
