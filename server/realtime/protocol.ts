import type { z } from 'zod';
import { messagingSchemas, type MessagingEvents } from '../messaging';
import {
  meetingSchemas,
  roomSchemas,
  type JoinResult,
  type LiveNoticeMap,
  type ProducerView,
  type TransportOffer,
} from '../rooms';

/**
 * The live-session protocol, `feature:verb` names. Every client event carries one payload object
 * (validated by the zod schema named here) and an acknowledgement callback, answered with either
 * `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
 */
export interface AckError {
  /** Stable code, e.g. `room.not_admitted`, `validation.invalid_payload`, `rate_limited`. */
  readonly code: string;
  readonly message: string;
}
export type Ack<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: AckError };

/** Client → server: name → [schema, what `data` holds on success, which rate-limit bucket]. */
export const CLIENT_EVENTS = {
  'room:join': { schema: roomSchemas.roomRef, limit: 'join' },
  'room:leave': { schema: roomSchemas.leaveInput, limit: 'signal' },
  'room:admit': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:admit-all': { schema: roomSchemas.roomRef, limit: 'signal' },
  'room:deny': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:move-to-waiting': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:end': { schema: roomSchemas.roomRef, limit: 'signal' },
  'media:create-transport': { schema: roomSchemas.createTransportInput, limit: 'signal' },
  'media:connect-transport': { schema: roomSchemas.connectTransportInput, limit: 'signal' },
  'media:restart-ice': { schema: roomSchemas.transportRef, limit: 'signal' },
  'media:rebuild': { schema: roomSchemas.roomRef, limit: 'signal' },
  'media:produce': { schema: roomSchemas.produceInput, limit: 'signal' },
  'media:consume': { schema: roomSchemas.consumeInput, limit: 'signal' },
  'media:resume-consumer': { schema: roomSchemas.consumerRef, limit: 'signal' },
  'media:set-consumer-layer': { schema: roomSchemas.consumerLayerInput, limit: 'signal' },
  'media:pause-producer': { schema: roomSchemas.producerPauseInput, limit: 'signal' },
  'media:close-producer': { schema: roomSchemas.producerRef, limit: 'signal' },
  'media:audio-only': { schema: roomSchemas.audioOnlyInput, limit: 'signal' },
  'chat:send': { schema: roomSchemas.chatInput, limit: 'chat' },
  'meeting:mute': { schema: meetingSchemas.peerFlagInput, limit: 'signal' },
  'meeting:camera-off': { schema: meetingSchemas.peerFlagInput, limit: 'signal' },
  'meeting:remove': { schema: meetingSchemas.removeInput, limit: 'signal' },
  'meeting:raise-hand': { schema: meetingSchemas.handInput, limit: 'signal' },
  'meeting:report': { schema: meetingSchemas.reportInput, limit: 'chat' },
  'message:subscribe': { schema: messagingSchemas.subscribeInput, limit: 'join' },
  'message:mark-read': { schema: messagingSchemas.threadRef, limit: 'chat' },
} as const;

export type ClientEventName = keyof typeof CLIENT_EVENTS;
export type ClientPayload<K extends ClientEventName> = z.input<(typeof CLIENT_EVENTS)[K]['schema']>;

/** What `data` holds in a successful ack, per event. */
export interface ClientEventResults {
  'room:join': JoinResult;
  'room:leave': null;
  'room:admit': null;
  'room:admit-all': { admitted: number };
  'room:deny': null;
  'room:move-to-waiting': null;
  'room:end': null;
  /** Transport parameters plus `iceServers` (TURN, only ever sent to admitted people). */
  'media:create-transport': TransportOffer;
  'media:connect-transport': null;
  /** Fresh ICE credentials for `transport.restartIce()` in the browser. */
  'media:restart-ice': { iceParameters: unknown };
  /** Router capabilities and the others' producers, to build the page's media again. */
  'media:rebuild': { rtpCapabilities: unknown; producers: ProducerView[] };
  'media:produce': ProducerView;
  'media:consume': unknown;
  'media:resume-consumer': null;
  'media:set-consumer-layer': null;
  'media:pause-producer': null;
  'media:close-producer': null;
  'media:audio-only': { videoProducers: ProducerView[] };
  'chat:send': unknown;
  'meeting:mute': null;
  'meeting:camera-off': null;
  'meeting:remove': null;
  'meeting:raise-hand': null;
  'meeting:report': { id: string };
  'message:subscribe': null;
  'message:mark-read': { seq: number; othersRead: number };
}

export type ClientToServerEvents = {
  [K in ClientEventName]: (
    payload: ClientPayload<K>,
    ack: (answer: Ack<ClientEventResults[K]>) => void,
  ) => void;
};

/** Server → client: every live notice, plus `room:replaced` when the same person joins from elsewhere. */
export type ServerToClientEvents = {
  [K in keyof LiveNoticeMap]: (payload: LiveNoticeMap[K]) => void;
} & {
  'room:replaced': (payload: { roomId: string }) => void;
} & {
  /** Secure messaging: sent to every member's subscribed sockets (the `to` list is not sent). */
  [K in keyof MessagingEvents]: (payload: Omit<MessagingEvents[K][0], 'to'>) => void;
};

/** Largest socket.io message accepted: negotiation objects are a few KB; chat is 2000 characters. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
