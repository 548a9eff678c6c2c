/**
 * The live session on the wire: what a room page sends (payloads), what it gets back (results) and
 * what the server pushes. The WebRTC negotiation objects are mediasoup-client's own types: the
 * browser builds them, mediasoup on the server checks them in depth.
 *
 * In a group meeting every id naming a person (`userId`, `peerId`, `senderId`, `selfId`) is that
 * person's public id in the meeting and every name is their group name; nothing here carries a
 * user id or an account name there (the rooms feature's `Pseudonyms` sees to it).
 */
import type { types } from 'mediasoup-client';

export type RtpCapabilities = types.RtpCapabilities;
export type RtpParameters = types.RtpParameters;
export type DtlsParameters = types.DtlsParameters;
export type IceParameters = types.IceParameters;
export type IceCandidate = types.IceCandidate;
export type SctpParameters = types.SctpParameters;
export type SctpStreamParameters = types.SctpStreamParameters;
export type MediaKind = 'audio' | 'video';

/** `guest`: an invited interpreter, family member, support person or supervisor (no account). */
export type SeatRole = 'host' | 'client' | 'guest';
/** What an invited guest is in the session. */
export type GuestRole = 'interpreter' | 'family' | 'support' | 'supervisor';

/** Who an invited guest is, as everyone in the room sees it. */
export interface GuestBadge {
  readonly role: GuestRole;
  /** Interpreters: the language they interpret (shown in the room). */
  readonly language: string | null;
  /** The client asked the therapist to remove this guest (the therapist decides). */
  readonly removalAsked: boolean;
}
export type SeatState = 'waiting' | 'admitted';
/** Where a track comes from; decides layout and whether audio-only people receive it. */
export type MediaSource = 'mic' | 'camera' | 'screen';
export type TransportDirection = 'send' | 'recv';
/** RTCConfiguration.iceTransportPolicy: 'relay' (MEDIA_ICE_TRANSPORT_POLICY) forces TURN. */
export type IceTransportPolicy = 'all' | 'relay';

/** A group-meeting participant's state: hand up; muted or camera off by a facilitator. */
export interface MeetingFlags {
  readonly handRaised: boolean;
  readonly muted: boolean;
  readonly cameraOff: boolean;
}

/** A person in a room as the others see them. */
export interface PeerView {
  readonly userId: string;
  readonly displayName: string;
  readonly role: SeatRole;
  readonly state: SeatState;
  readonly connected: boolean;
  readonly audioOnly: boolean;
  /** Group meetings only. */
  readonly meeting?: MeetingFlags;
  /** Invited guests only: their role (and an interpreter's language). */
  readonly guest?: GuestBadge;
}

/** A track someone sends, as the others in the room see it. */
export interface ProducerView {
  readonly producerId: string;
  readonly peerId: string;
  readonly kind: MediaKind;
  readonly source: MediaSource;
  readonly paused: boolean;
}

/** One in-session chat message (text only; the page renders it as text, never HTML). */
export interface ChatMessage {
  readonly id: string;
  readonly roomId: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly body: string;
  readonly sentAt: string;
}

/** A member's report to the facilitators (group names only). */
export interface GroupReport {
  readonly id: string;
  readonly reporter: string;
  readonly about: string | null;
  readonly messageId: string | null;
  readonly reason: string;
  readonly createdAt: string;
}

/** One client's safety check for this session, as the therapist's panel shows it. */
export interface SafetyCheckNotice {
  readonly clientId: string;
  readonly location: string;
  readonly callbackNumber: string;
}

/** What an admitted person needs to start media: sent on join (if admitted) and on admission. */
export interface AdmittedPayload {
  readonly rtpCapabilities: RtpCapabilities;
  readonly producers: readonly ProducerView[];
  /**
   * The chat so far, on joining. The admission push leaves it empty: it goes out before anything is
   * written, and the history follows as `room:chat-history` once its read is on the audit trail.
   */
  readonly chat: readonly ChatMessage[];
  readonly peers: readonly PeerView[];
  /**
   * Admission push only: consumers the server already made (paused) on the receive transport the
   * page prepared while waiting, for tracks in `producers`, when the page said what it can decode
   * (`media:warm-up`). The page wires them up and resumes them; it consumes the rest itself.
   */
  readonly consumers?: readonly ConsumerOffer[];
}

export interface JoinResult {
  readonly roomId: string;
  readonly selfId: string;
  readonly role: SeatRole;
  readonly state: SeatState;
  /** Only for the host: who is knocking. */
  readonly waiting: readonly PeerView[];
  /** Present once admitted. */
  readonly admitted: AdmittedPayload | null;
  /**
   * The room's router capabilities (not a secret), for waiting people too: a waiting page loads its
   * Device and makes its transports early, so admission only has media left to set up. Null when
   * the media server is not available.
   */
  readonly rtpCapabilities: RtpCapabilities | null;
  /**
   * The session's media is end-to-end encrypted (ROOM_E2EE=on; one-to-one and couple rooms): the
   * page must encrypt what it sends and decrypt what it receives (`e2ee:*` below), and sends
   * nothing until it has said its public key (`e2ee:announce`).
   */
  readonly e2ee: boolean;
}

/** A TURN relay the browser may use (an RTCIceServer); credentials are short-lived and per person. */
export interface IceServerView {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

/** The answer to `media:create-transport`: mediasoup's transport parameters plus the TURN relays. */
export interface TransportOffer {
  readonly id: string;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: readonly IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
  readonly iceServers: readonly IceServerView[];
  readonly iceTransportPolicy: IceTransportPolicy;
  /** Receive transports carry SCTP, for the warm-up data channel (`media:warm-up`). */
  readonly sctpParameters?: SctpParameters | undefined;
}

/**
 * The answer to `media:warm-up`: a data channel on the person's receive transport from a source that
 * never sends anything. Opening it makes the browser connect the transport (ICE + DTLS) while the
 * person waits; audio and video still need `media:consume`, which waits for admission.
 */
export interface WarmUpOffer {
  readonly id: string;
  readonly dataProducerId: string;
  readonly sctpStreamParameters: SctpStreamParameters;
  readonly label: string;
  readonly protocol: string;
}

/** The answer to `media:consume`: what the browser needs to build the consumer. */
export interface ConsumerOffer {
  readonly id: string;
  readonly producerId: string;
  readonly kind: MediaKind;
  readonly rtpParameters: RtpParameters;
  readonly producerPeerId: string;
  readonly source: MediaSource;
  readonly type: string;
}

/** What a page needs to build its media again (after `media:lost`, or a failed ICE restart). */
export interface MediaRebuild {
  readonly rtpCapabilities: RtpCapabilities;
  readonly producers: readonly ProducerView[];
}

// --- Payloads: one object per request, `roomId` first. -----------------------------------------

export interface RoomRef {
  readonly roomId: string;
}
/** A person in the room, by the id the room shows (a public id in a group meeting). */
export interface PersonRef extends RoomRef {
  readonly userId: string;
}
export interface CreateTransportInput extends RoomRef {
  readonly direction: TransportDirection;
}
export interface TransportRef extends RoomRef {
  readonly transportId: string;
}
export interface ConnectTransportInput extends TransportRef {
  readonly dtlsParameters: DtlsParameters;
}
export interface ProduceInput extends TransportRef {
  readonly kind: MediaKind;
  readonly source: MediaSource;
  readonly rtpParameters: RtpParameters;
}
export interface ConsumeInput extends RoomRef {
  readonly producerId: string;
  readonly rtpCapabilities: RtpCapabilities;
}
/** Waiting: what this browser can decode (omitted by an audio-only page, which consumes itself). */
export interface WarmUpInput extends RoomRef {
  readonly rtpCapabilities?: RtpCapabilities | undefined;
}
export interface ConsumerRef extends RoomRef {
  readonly consumerId: string;
}
export interface ConsumerLayerInput extends ConsumerRef {
  /** 0 smallest … 2 full. */
  readonly spatialLayer: number;
}
export interface ProducerRef extends RoomRef {
  readonly producerId: string;
}
export interface ProducerPauseInput extends ProducerRef {
  readonly paused: boolean;
}
export interface AudioOnlyInput extends RoomRef {
  readonly on: boolean;
}
export interface ChatInput extends RoomRef {
  /** 1 to 2000 characters after trimming. */
  readonly text: string;
}
/** A facilitator's mute / camera-off for one person (`on: false` undoes it). */
export interface PeerFlagInput extends RoomRef {
  readonly peerId: string;
  readonly on: boolean;
}
export interface RemoveInput extends RoomRef {
  readonly peerId: string;
  /** Also block them from every meeting of the group. */
  readonly block: boolean;
}
export interface HandInput extends RoomRef {
  readonly raised: boolean;
}
/** A report about a person (`peerId`) or a chat message (`messageId`). */
export interface ReportInput extends RoomRef {
  readonly peerId?: string | undefined;
  readonly messageId?: string | undefined;
  readonly reason: string;
}

/**
 * End-to-end encryption (docs/media.md, "End-to-end encrypted sessions"). The server relays these
 * as opaque bytes: a public key is not secret, a sender key travels sealed under a key only the two
 * browsers can derive. Both are base64 (standard alphabet, padded).
 */
export interface E2eeAnnounceInput extends RoomRef {
  /** This browser's ECDH P-256 public key, raw uncompressed (65 bytes). */
  readonly publicKey: string;
}
export interface E2eeSenderKeyInput extends RoomRef {
  /** The admitted person the sealed key is for (their id in the room). */
  readonly toId: string;
  /** Which sender key this is: its id in each frame's trailer (0–255, one more at each re-key). */
  readonly epoch: number;
  /** 12-byte nonce + AES-GCM(32-byte sender key) + 16-byte tag, under the pair's ECDH-derived key. */
  readonly sealed: string;
}
/** An admitted person's public key, as every admitted page gets them. */
export interface E2eePublicKey {
  readonly peerId: string;
  readonly publicKey: string;
}

/** Requests a room page makes: payload and the `data` of a successful ack. */
export interface RoomRequests {
  'room:join': { payload: RoomRef; result: JoinResult };
  /** Leaving on purpose gives up the seat (a dropped connection keeps it for a while). */
  'room:leave': { payload: RoomRef; result: null };
  'room:admit': { payload: PersonRef; result: null };
  'room:admit-all': { payload: RoomRef; result: { readonly admitted: number } };
  'room:deny': { payload: PersonRef; result: null };
  'room:move-to-waiting': { payload: PersonRef; result: null };
  'room:end': { payload: RoomRef; result: null };
  /** A client asks the therapist to remove an invited guest (the therapist decides). */
  'room:ask-guest-removal': { payload: PersonRef; result: null };
  /** The therapist removes an invited guest: out of the room, and their link no longer works. */
  'room:remove-guest': { payload: PersonRef; result: null };
  /**
   * Transport parameters plus `iceServers` (TURN, only ever sent to admitted people). Waiting people
   * may make their transports too (with no relay), but get nothing to send or receive on them.
   */
  'media:create-transport': { payload: CreateTransportInput; result: TransportOffer };
  /** Waiting or admitted: the idle data channel that connects the receive transport early. */
  'media:warm-up': { payload: WarmUpInput; result: WarmUpOffer };
  /** Admitted: the TURN relays for transports made while waiting (they were made without them). */
  'media:ice-servers': { payload: RoomRef; result: { readonly iceServers: readonly IceServerView[] } };
  'media:connect-transport': { payload: ConnectTransportInput; result: null };
  /** Fresh ICE credentials for `transport.restartIce()` in the browser. */
  'media:restart-ice': { payload: TransportRef; result: { readonly iceParameters: IceParameters } };
  'media:rebuild': { payload: RoomRef; result: MediaRebuild };
  'media:produce': { payload: ProduceInput; result: ProducerView };
  'media:consume': { payload: ConsumeInput; result: ConsumerOffer };
  /** The page has wired the consumer's track up (video: the sender is asked for a keyframe). */
  'media:resume-consumer': { payload: ConsumerRef; result: null };
  'media:set-consumer-layer': { payload: ConsumerLayerInput; result: null };
  'media:pause-producer': { payload: ProducerPauseInput; result: null };
  'media:close-producer': { payload: ProducerRef; result: null };
  /** On: no video either way; off: the video tracks the person may now consume. */
  'media:audio-only': {
    payload: AudioOnlyInput;
    result: { readonly videoProducers: readonly ProducerView[] };
  };
  'chat:send': { payload: ChatInput; result: ChatMessage };
  'meeting:mute': { payload: PeerFlagInput; result: null };
  'meeting:camera-off': { payload: PeerFlagInput; result: null };
  'meeting:remove': { payload: RemoveInput; result: null };
  'meeting:raise-hand': { payload: HandInput; result: null };
  'meeting:report': { payload: ReportInput; result: { readonly id: string } };
  /**
   * E2EE rooms: this page's public key (waiting or admitted; it is only passed on to admitted
   * people). Sending media needs it first: a page that cannot encrypt never sends in the clear.
   */
  'e2ee:announce': { payload: E2eeAnnounceInput; result: null };
  /** E2EE rooms, admitted: a sealed sender key for one other admitted person. */
  'e2ee:sender-key': { payload: E2eeSenderKeyInput; result: null };
}

type Nothing = Record<string, never>;

/** Everything the server pushes to people in a room, by event name. */
export interface RoomPushes {
  /** To the hosts: who is waiting now. */
  'room:knock': { readonly waiting: readonly PeerView[] };
  'room:admitted': AdmittedPayload;
  /** After admission: the chat so far, once reading it is on the audit trail. */
  'room:chat-history': { readonly messages: readonly ChatMessage[] };
  'room:denied': Nothing;
  'room:moved-to-waiting': Nothing;
  'room:ended': Nothing;
  /** To the therapist: a client asks for this guest to be removed. */
  'room:guest-removal-asked': { readonly userId: string; readonly displayName: string };
  /** To a guest the therapist removed. */
  'room:removed': Nothing;
  /** The same person opened the room elsewhere (another tab, a reload): this page steps aside. */
  'room:replaced': RoomRef;
  'room:peers': { readonly peers: readonly PeerView[] };
  'media:new-producer': ProducerView;
  'media:producer-closed': { readonly producerId: string; readonly peerId: string };
  'media:producer-paused': ProducerView;
  'media:consumer-closed': { readonly consumerId: string };
  'media:active-speaker': { readonly peerId: string | null };
  /** The media server under this room failed; the page should rebuild its transports. */
  'media:lost': Nothing;
  'chat:message': ChatMessage;
  /** Group meetings: to the person a facilitator muted / turned the camera off for (or undid it). */
  'meeting:moderated': MeetingFlags;
  /** Group meetings: to the person a facilitator removed (blocked: from all the group's meetings). */
  'meeting:removed': { readonly blocked: boolean };
  /** Group meetings: a member's report, to the facilitators in the room. */
  'meeting:report': GroupReport;
  /** Appointment rooms: a client confirmed the safety check, to the therapist in the room. */
  'room:safety-check': SafetyCheckNotice;
  /**
   * E2EE rooms, to the admitted people: the public keys of everyone admitted and connected who has
   * said one, each time that set changes (a join or a leave: every page then draws a new sender key).
   */
  'e2ee:keys': { readonly keys: readonly E2eePublicKey[] };
  /** E2EE rooms: another admitted person's sender key, sealed for this page only. */
  'e2ee:sender-key': { readonly fromId: string; readonly epoch: number; readonly sealed: string };
}
