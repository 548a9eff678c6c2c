/**
 * The counters a page reads from its own getStats (see MediaSession.stats). Kept apart from
 * media-session.ts so DOM-free code (the degrade logic and its unit tests) can name the type without
 * pulling in browser types.
 */
export interface MediaStats {
  videoFramesDecoded: number;
  audioPacketsReceived: number;
  videoFramesSent: number;
  audioPacketsSent: number;
  packetsLost: number;
  packetsReceived: number;
  roundTripMs: number | null;
  /** The browser's upload bandwidth estimate on the send transport (bits/s). */
  availableOutgoingBitrate: number | null;
  inboundVideoTracks: number;
  /** Remote video tracks that have decoded at least one frame / audio tracks with packets. */
  videoTracksDecoding: number;
  audioTracksReceiving: number;
}

/** Counters before any media flowed (a fresh object: MediaSession.stats adds to it). */
export function noMediaStats(): MediaStats {
  return {
    videoFramesDecoded: 0,
    audioPacketsReceived: 0,
    videoFramesSent: 0,
    audioPacketsSent: 0,
    packetsLost: 0,
    packetsReceived: 0,
    roundTripMs: null,
    availableOutgoingBitrate: null,
    inboundVideoTracks: 0,
    videoTracksDecoding: 0,
    audioTracksReceiving: 0,
  };
}
