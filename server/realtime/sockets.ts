import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol';
import type { SocketLimiter } from './rate-limit';
import type { SocketActor } from './socket-identity';
import type { SocketReader } from './socket-reader';

/** Per-socket state. */
export interface SocketData {
  actor: SocketActor;
  /** Whose language the acks' refusals are written in. */
  reader: SocketReader;
  ip: string | null;
  limiter: SocketLimiter;
  /** Rooms this socket has joined (holds the seat for). */
  rooms: Set<string>;
  /** Subscribed to its person's messaging inbox (`message:subscribe`). */
  inbox: boolean;
  /** The web session it was opened from (as accounts names sessions), to end it on sign-out. */
  sessionKey: string | null;
}

export type HavenSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type HavenIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The socket.io room that reaches one person's seat in one session room. */
export function seatChannel(roomId: string, userId: string): string {
  return `seat:${roomId}:${userId}`;
}
