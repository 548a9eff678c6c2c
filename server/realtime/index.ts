export { createRealtime, type EngineMiddleware, type Realtime, type RealtimeDeps } from './realtime-server';
export { seatChannel } from './sockets';
export { CLIENT_EVENTS, MAX_MESSAGE_BYTES, type Parsed } from './protocol';
export { actorFromHandshake, ipFromHandshake } from './socket-identity';
