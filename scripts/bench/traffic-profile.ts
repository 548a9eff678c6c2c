import type { StreamKind } from './rtp-packet';

/**
 * What one participant sends, shaped like a browser in a Haven session at the default quality:
 * Opus at 20 ms per packet, and VP8 at 30 frames/s whose frames are split into ~1100–1200-byte
 * packets, with a larger keyframe every few seconds (or when mediasoup asks for one).
 */
export interface StreamProfile {
  readonly kind: StreamKind;
  readonly clockRate: number;
  /** Microseconds between frames. */
  readonly frameIntervalUs: number;
  /** Packets in a delta frame and in a keyframe. */
  readonly packetsPerFrame: number;
  readonly packetsPerKeyframe: number;
  /** A keyframe every this many frames (0: never, e.g. audio). */
  readonly keyframeEvery: number;
  /** RTP payload size range, bytes (inclusive). */
  readonly payloadBytes: readonly [number, number];
}

export const OPUS_PROFILE: StreamProfile = {
  kind: 'audio',
  clockRate: 48_000,
  frameIntervalUs: 20_000,
  packetsPerFrame: 1,
  packetsPerKeyframe: 1,
  keyframeEvery: 0,
  payloadBytes: [90, 110],
};

export const VP8_PROFILE: StreamProfile = {
  kind: 'video',
  clockRate: 90_000,
  frameIntervalUs: 33_333,
  packetsPerFrame: 5,
  packetsPerKeyframe: 15,
  keyframeEvery: 90,
  payloadBytes: [1100, 1200],
};

/**
 * The three simulcast layers a camera sends in a real call (the top one is VP8_PROFILE): quarter
 * and half resolution at the same frame rate, in one or two smaller packets per frame. The worker
 * receives all three and forwards one (the highest, on a good network) to each consumer.
 */
export const VP8_SIMULCAST_PROFILES: readonly StreamProfile[] = [
  { ...VP8_PROFILE, packetsPerFrame: 1, packetsPerKeyframe: 3, payloadBytes: [350, 500] },
  { ...VP8_PROFILE, packetsPerFrame: 2, packetsPerKeyframe: 6, payloadBytes: [650, 900] },
  VP8_PROFILE,
];

/** Average packets per second of a profile. */
export function packetsPerSecond(profile: StreamProfile): number {
  const framesPerSecond = 1e6 / profile.frameIntervalUs;
  if (profile.keyframeEvery === 0) return framesPerSecond * profile.packetsPerFrame;
  const perCycle = (profile.keyframeEvery - 1) * profile.packetsPerFrame + profile.packetsPerKeyframe;
  return (framesPerSecond * perCycle) / profile.keyframeEvery;
}

/** Average bit rate on the wire: payload + RTP (12) + UDP (8) + IPv4 (20) headers. */
export function bitsPerSecond(profile: StreamProfile): number {
  const meanPayload = (profile.payloadBytes[0] + profile.payloadBytes[1]) / 2;
  return packetsPerSecond(profile) * (meanPayload + 40) * 8;
}

/** RTP timestamp ticks between two frames. */
export function timestampStep(profile: StreamProfile): number {
  return Math.round((profile.clockRate * profile.frameIntervalUs) / 1e6);
}

/** How many packets frame `frameIndex` has, given whether a keyframe was asked for. */
export function packetsInFrame(
  profile: StreamProfile,
  frameIndex: number,
  keyframeAsked: boolean,
): { packets: number; keyframe: boolean } {
  if (profile.kind === 'audio') return { packets: profile.packetsPerFrame, keyframe: false };
  const keyframe = keyframeAsked || frameIndex % profile.keyframeEvery === 0;
  return { packets: keyframe ? profile.packetsPerKeyframe : profile.packetsPerFrame, keyframe };
}

/**
 * The profile of one stream a participant sends: Opus for audio; for video the simulcast layer
 * `layer` of `layers` (the top layers of VP8_SIMULCAST_PROFILES), or VP8_PROFILE without simulcast.
 */
export function streamProfile(kind: StreamKind, layers = 1, layer = 0): StreamProfile {
  if (kind === 'audio') return OPUS_PROFILE;
  if (layers <= 1) return VP8_PROFILE;
  return VP8_SIMULCAST_PROFILES[VP8_SIMULCAST_PROFILES.length - layers + layer]!;
}
