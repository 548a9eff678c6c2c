import type { z } from 'zod';
import type { ClientEvent, Payload } from '../protocol';
import { messagingSchemas } from '../messaging';
import { meetingSchemas, roomSchemas } from '../rooms';
import type { LimitKind } from './rate-limit';

/**
 * The server's half of the socket protocol declared in `protocol/`: for each client event, the zod
 * schema its payload is parsed with (the feature's own) and the rate-limit bucket it spends from.
 * The compiler holds every schema to the protocol both ways: what it produces is what the handler
 * is declared to get (`satisfies` below), and every payload the protocol allows is one it accepts
 * (`_EveryPayloadAccepted`), so a page written against `protocol/` is never refused for its shape.
 */
interface EventSpec<K extends ClientEvent> {
  readonly schema: z.ZodType<Payload<K>>;
  readonly limit: LimitKind;
}

export const CLIENT_EVENTS = {
  'room:join': { schema: roomSchemas.roomRef, limit: 'join' },
  'room:leave': { schema: roomSchemas.roomRef, limit: 'signal' },
  'room:admit': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:admit-all': { schema: roomSchemas.roomRef, limit: 'signal' },
  'room:deny': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:move-to-waiting': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:end': { schema: roomSchemas.roomRef, limit: 'signal' },
  'room:ask-guest-removal': { schema: roomSchemas.personRef, limit: 'signal' },
  'room:remove-guest': { schema: roomSchemas.personRef, limit: 'signal' },
  'media:create-transport': { schema: roomSchemas.createTransportInput, limit: 'signal' },
  'media:connect-transport': { schema: roomSchemas.connectTransportInput, limit: 'signal' },
  'media:warm-up': { schema: roomSchemas.warmUpInput, limit: 'signal' },
  'media:ice-servers': { schema: roomSchemas.roomRef, limit: 'signal' },
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
  'e2ee:announce': { schema: roomSchemas.e2eeAnnounceInput, limit: 'signal' },
  'e2ee:sender-key': { schema: roomSchemas.e2eeSenderKeyInput, limit: 'signal' },
  'message:subscribe': { schema: messagingSchemas.subscribeInput, limit: 'join' },
  'message:mark-read': { schema: messagingSchemas.threadRef, limit: 'chat' },
} as const satisfies { readonly [K in ClientEvent]: EventSpec<K> };

/** The events whose schema would refuse a payload the protocol allows (none: see below). */
type Refused = {
  [K in ClientEvent]: [Payload<K>] extends [z.input<(typeof CLIENT_EVENTS)[K]['schema']>] ? never : K;
}[ClientEvent];
type Holds<T extends true> = T;
/** Fails to compile, naming the event, when a schema would refuse a payload the protocol allows. */
type _EveryPayloadAccepted = Holds<[Refused] extends [never] ? true : Refused>;

/** What a handler gets for `event` once the schema has parsed (and trimmed) the payload. */
export type Parsed<K extends ClientEvent> = z.output<(typeof CLIENT_EVENTS)[K]['schema']>;

/** Largest socket.io message accepted: negotiation objects are a few KB; chat is 2000 characters. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
