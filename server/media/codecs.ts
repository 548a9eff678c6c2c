import type { types } from 'mediasoup';

/**
 * What every room's router speaks. Opus for voice; VP8 for camera and screen (every browser decodes
 * it, and simulcast works with it); H264 constrained baseline as well so Safari and phones with
 * hardware encoders can send their preferred codec.
 */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 600 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
    },
  },
];

/** A sender's ceiling per transport; simulcast's top layer fits under it. */
export const MAX_INCOMING_BITRATE = 1_500_000;
export const INITIAL_OUTGOING_BITRATE = 800_000;
