import { derivedSessionKeys, type SrtpKeying } from './srtp';
import type { SenderParticipant, SenderReport, SenderRequest, SinkReport, SinkRequest } from './traffic-ipc';
import { streamProfile, timestampStep } from './traffic-profile';
import type { Window } from './window-stats';

/**
 * The line protocol of the native load generator (native/traffic-gen.c): the same requests and
 * reports as the Node generator's IPC messages (traffic-ipc.ts), one line each way. Only what the
 * C program supports goes through here: plain RTP or SRTP AEAD_AES_256_GCM, whose session keys are
 * derived on this side (srtp.ts) and passed as hex.
 */

/** The suites the native generator speaks; anything else runs on the Node generator. */
export const NATIVE_SUITES: readonly (SrtpKeying['cryptoSuite'] | null)[] = [null, 'AEAD_AES_256_GCM'];

function gcmKeys(keying: SrtpKeying): { rtp: string; rtcp: string } {
  if (keying.cryptoSuite !== 'AEAD_AES_256_GCM') {
    throw new Error(`the native load generator does not speak ${keying.cryptoSuite}`);
  }
  const keys = derivedSessionKeys(keying);
  const hex = (k: { cipherKey: Buffer; salt: Buffer }) =>
    `${k.cipherKey.toString('hex')} ${k.salt.toString('hex')}`;
  return { rtp: hex(keys.rtp), rtcp: hex(keys.rtcp) };
}

const windowLine = (window: Window): string => `window ${window.fromUs.toFixed(3)} ${window.toUs.toFixed(3)}`;

/**
 * `add <port> 0|1 [<rtp key> <rtp salt> <rtcp key> <rtcp salt>] <n>` then per stream: id, a|v,
 * SSRC, payload type, lower layer 0|1, frame interval µs, packets per frame and per keyframe,
 * keyframe every N frames, payload bytes min and max, RTP timestamp step.
 */
export function participantLine(participant: SenderParticipant): string {
  const keys = participant.srtp ? gcmKeys(participant.srtp) : null;
  const streams = participant.streams.map((s) => {
    const layers = s.layers ?? 1;
    const profile = streamProfile(s.kind, layers, s.layer ?? 0);
    const lower = s.kind === 'video' && (s.layer ?? 0) < layers - 1;
    return [
      s.streamId,
      s.kind === 'audio' ? 'a' : 'v',
      s.ssrc >>> 0,
      s.payloadType,
      lower ? 1 : 0,
      profile.frameIntervalUs,
      profile.packetsPerFrame,
      profile.packetsPerKeyframe,
      profile.keyframeEvery,
      profile.payloadBytes[0],
      profile.payloadBytes[1],
      timestampStep(profile),
    ].join(' ');
  });
  return [
    'add',
    participant.port,
    keys ? `1 ${keys.rtp} ${keys.rtcp}` : '0',
    participant.streams.length,
    ...streams,
  ].join(' ');
}

/** The lines one sender request becomes (one per participant for `add`). */
export function senderLines(request: SenderRequest): string[] {
  switch (request.op) {
    case 'add':
      return request.participants.map(participantLine);
    case 'window':
      return [windowLine(request.window)];
    case 'report':
      return ['report'];
  }
}

/** The lines one sink request becomes (one per port for `keys`). */
export function sinkLines(request: SinkRequest): string[] {
  switch (request.op) {
    case 'open':
      return [`open ${request.count}`];
    case 'keys':
      return request.keys.map(({ port, srtp }) => `keys ${port} ${gcmKeys(srtp).rtp}`);
    case 'window':
      return [windowLine(request.window)];
    case 'report':
      return ['report'];
  }
}

/** The numbers after "ok", or the error the program gave. */
function numbersOf(answer: string, expected: number): number[] {
  if (!answer.startsWith('ok')) throw new Error(`native load generator: ${answer.replace(/^err /, '')}`);
  const values = answer.slice(2).trim().split(/\s+/).filter(Boolean).map(Number);
  if (expected >= 0 && values.length !== expected) {
    throw new Error(`native load generator: expected ${expected} numbers, got "${answer}"`);
  }
  return values;
}

/** `ok <audio> <video> <slip total µs> <slip max µs> <skipped> <keyframe asks> <lower layers>` */
export function parseSenderReport(answer: string): SenderReport {
  const [audio, video, slipTotalUs, slipMaxUs, skippedFrames, keyframeRequests, lowerLayers] = numbersOf(
    answer,
    7,
  );
  const total = audio! + video!;
  return {
    sent: { audio: audio!, video: video! },
    slipMeanMs: total ? slipTotalUs! / total / 1000 : 0,
    slipMaxMs: slipMaxUs! / 1000,
    skippedFrames: skippedFrames!,
    keyframeRequests: keyframeRequests!,
    lowerLayers: lowerLayers!,
  };
}

/** `ok <audio> <video> <p50 ms> <p99 ms> <max ms> <foreign> <duplicates> <SRTP failures> <lower>` */
export function parseSinkReport(answer: string): SinkReport {
  const [audio, video, p50Ms, p99Ms, maxMs, foreign, duplicates, srtpFailures, lowerLayers] = numbersOf(
    answer,
    9,
  );
  return {
    received: { audio: audio!, video: video! },
    p50Ms: p50Ms!,
    p99Ms: p99Ms!,
    maxMs: maxMs!,
    foreign: foreign!,
    duplicates: duplicates!,
    srtpFailures: srtpFailures!,
    lowerLayers: lowerLayers!,
  };
}

/** What a request's answer lines mean: the ports for `open`, a report, or nothing. */
export function senderAnswer(request: SenderRequest, answers: readonly string[]): unknown {
  for (const answer of answers) numbersOf(answer, -1);
  return request.op === 'report' ? parseSenderReport(answers[0]!) : null;
}

export function sinkAnswer(request: SinkRequest, answers: readonly string[]): unknown {
  if (request.op === 'open') return numbersOf(answers[0]!, request.count);
  for (const answer of answers) numbersOf(answer, -1);
  return request.op === 'report' ? parseSinkReport(answers[0]!) : null;
}
