import type { ChatMessage, GroupReport, ProducerView, SeatRole, SeatState } from './rooms.types';

/** A person in a room as others see them. */
export interface PeerView {
  readonly userId: string;
  readonly displayName: string;
  readonly role: SeatRole;
  readonly state: SeatState;
  readonly connected: boolean;
  readonly audioOnly: boolean;
  /** Group meetings only. */
  readonly meeting?: MeetingFlags;
}

/** A group-meeting participant's state: hand up; muted or camera off by a facilitator (they cannot undo it). */
export interface MeetingFlags {
  handRaised: boolean;
  muted: boolean;
  cameraOff: boolean;
}

/** What an admitted person needs to start media: sent on join (if admitted) and on admission. */
export interface AdmittedPayload {
  readonly rtpCapabilities: unknown;
  readonly producers: readonly ProducerView[];
  readonly chat: readonly ChatMessage[];
  readonly peers: readonly PeerView[];
}

/** A TURN relay the browser may use (RTCIceServer); credentials are short-lived and per person. */
export interface IceServerView {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

/** The answer to `media:create-transport`: mediasoup's transport parameters plus the TURN relays. */
export type TransportOffer = Record<string, unknown> & {
  readonly iceServers: readonly IceServerView[];
  /** RTCConfiguration.iceTransportPolicy: 'relay' (MEDIA_ICE_TRANSPORT_POLICY) forces TURN. */
  readonly iceTransportPolicy: IceTransportPolicy;
};

export type IceTransportPolicy = 'all' | 'relay';

export interface JoinResult {
  readonly roomId: string;
  readonly selfId: string;
  readonly role: SeatRole;
  readonly state: SeatState;
  /** Only for the host: who is knocking. */
  readonly waiting: readonly PeerView[];
  /** Present once admitted. */
  readonly admitted: AdmittedPayload | null;
}

/** Everything the server pushes to people in a room, by event name. */
export interface LiveNoticeMap {
  'room:knock': { waiting: readonly PeerView[] };
  'room:admitted': AdmittedPayload;
  'room:denied': Record<string, never>;
  'room:moved-to-waiting': Record<string, never>;
  'room:ended': Record<string, never>;
  'room:peers': { peers: readonly PeerView[] };
  'media:new-producer': ProducerView;
  'media:producer-closed': { producerId: string; peerId: string };
  'media:producer-paused': ProducerView;
  'media:consumer-closed': { consumerId: string };
  'media:active-speaker': { peerId: string | null };
  /** The media server under this room failed; the page should rebuild its transports. */
  'media:lost': Record<string, never>;
  'chat:message': ChatMessage;
  /** Group meetings: to the person a facilitator muted / turned the camera off for (or undid it). */
  'meeting:moderated': MeetingFlags;
  /** Group meetings: to the person a facilitator removed (blocked: from all the group's meetings). */
  'meeting:removed': { blocked: boolean };
  /** Group meetings: a member's report, to the facilitators in the room. */
  'meeting:report': GroupReport;
  /** Appointment rooms: a client confirmed the safety check, to the therapist in the room. */
  'room:safety-check': SafetyCheckNotice;
}

/** One client's safety check for this session, as the therapist's panel shows it. */
export interface SafetyCheckNotice {
  readonly clientId: string;
  readonly location: string;
  readonly callbackNumber: string;
}

export type LiveNoticeName = keyof LiveNoticeMap;

/** One push: an event for some people in a room. */
export type LiveNotice = {
  [K in LiveNoticeName]: { roomId: string; to: readonly string[]; event: K; payload: LiveNoticeMap[K] };
}[LiveNoticeName];
