// Child process of the media benchmark: sends every participant's Opus and VP8 RTP, paced like a
// browser, to the participants' PlainTransports on loopback. Started by media-bench.ts.
import { createSocket, type Socket } from 'node:dgram';
import { OPUS_TOC, buildRtpPacket, keyframeRequests, isRtcp, vp8Header } from './rtp-packet';
import {
  nowUs,
  serveRequests,
  type SenderParticipant,
  type SenderReport,
  type SenderRequest,
} from './traffic-ipc';
import {
  OPUS_PROFILE,
  VP8_PROFILE,
  packetsInFrame,
  timestampStep,
  type StreamProfile,
} from './traffic-profile';
import { SentCounter } from './window-stats';

/** Past this much behind schedule a stream drops frames instead of bursting to catch up. */
const MAX_BEHIND_US = 500_000;
const TICK_MS = 1;

interface StreamState {
  readonly streamId: number;
  readonly ssrc: number;
  readonly payloadType: number;
  readonly profile: StreamProfile;
  readonly socket: Socket;
  readonly tsStep: number;
  nextDueUs: number;
  frameIndex: number;
  rtpSeq: number;
  rtpTimestamp: number;
  benchSeq: number;
  keyframeAsked: boolean;
}

const streams: StreamState[] = [];
const bySsrc = new Map<number, StreamState>();
const sockets: Socket[] = [];
const counter = new SentCounter();
let skippedFrames = 0;
let keyframeAsks = 0;

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

async function addParticipant(participant: SenderParticipant): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => socket.connect(participant.port, '127.0.0.1', resolve));
  socket.setSendBufferSize(1 << 20);
  // mediasoup answers on the same tuple with RTCP: receiver reports, NACKs, and keyframe requests.
  socket.on('message', (packet) => {
    if (!isRtcp(packet)) return;
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
    const profile = s.kind === 'audio' ? OPUS_PROFILE : VP8_PROFILE;
    const state: StreamState = {
      streamId: s.streamId,
      ssrc: s.ssrc,
      payloadType: s.payloadType,
      profile,
      socket,
      tsStep: timestampStep(profile),
      // A random phase, so thousands of streams do not burst on the same millisecond.
      nextDueUs: start + Math.random() * profile.frameIntervalUs,
      frameIndex: 0,
      rtpSeq: randomInt(0, 0xffff),
      rtpTimestamp: randomInt(0, 0xffffffff),
      benchSeq: 0,
      keyframeAsked: false,
    };
    streams.push(state);
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
      { streamId: stream.streamId, seq: stream.benchSeq, kind: stream.profile.kind, sentAtUs },
    );
    stream.socket.send(packet);
    counter.count(stream.profile.kind, sentAtUs, dueUs);
    stream.rtpSeq = (stream.rtpSeq + 1) & 0xffff;
    stream.benchSeq += 1;
  }
}

function tick(): void {
  const now = nowUs();
  for (const stream of streams) {
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
