import type { RoomPushes } from '../protocol';

/** The wire types of a live session are declared once, in `protocol/rooms.ts`. */
export type {
  AdmittedPayload,
  ConsumerOffer,
  IceServerView,
  IceTransportPolicy,
  JoinResult,
  MediaRebuild,
  MeetingFlags,
  PeerView,
  SafetyCheckNotice,
  TransportOffer,
} from '../protocol';

/** Everything the rooms feature pushes to people in a room, by event name. */
export type LiveNoticeMap = RoomPushes;
export type LiveNoticeName = keyof LiveNoticeMap;

/** One push: an event for some people in a room. */
export type LiveNotice = {
  [K in LiveNoticeName]: { roomId: string; to: readonly string[]; event: K; payload: LiveNoticeMap[K] };
}[LiveNoticeName];
