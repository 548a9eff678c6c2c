export {
  createRealtime,
  seatChannel,
  type EngineMiddleware,
  type Realtime,
  type RealtimeDeps,
} from './realtime-server';
export type * from './protocol';
export { CLIENT_EVENTS, MAX_MESSAGE_BYTES } from './protocol';
export { actorFromHandshake, ipFromHandshake } from './socket-identity';
