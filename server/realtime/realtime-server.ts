import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { MessagingFeature } from '../messaging';
import type { RoomsFeature } from '../rooms';
import type { SocketActor } from './socket-identity';
import type { SocketReader } from './socket-reader';
import type { Logger } from '../shared/logger';
import {
  forwardMessagingEvents,
  leaveInboxOnDisconnect,
  messagingHandlers,
  type MessagingEventSource,
} from './handlers/messaging.handlers';
import { leaveRoomsOnDisconnect, roomHandlers, type SeatRegistry } from './handlers/rooms.handlers';
import { MAX_MESSAGE_BYTES } from './protocol';
import { SocketLimiter } from './rate-limit';
import { createDispatcher, type RequestHandlers } from './requests';
import { AppError, phrase } from '../shared/errors';
import type { ClientEvent } from '../protocol';
import { SESSION_TOUCH_MS, touchSeatedSessions } from './seated-sessions';
import { seatChannel, type HavenIo, type HavenSocket } from './sockets';

export type EngineMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface RealtimeDeps {
  readonly server: HttpServer;
  /** Only pages from this origin (the PUBLIC_URL's) may open a socket. */
  readonly allowedOrigin: string;
  /** The express session and passport middlewares, run on the handshake request to share sign-in. */
  readonly sessionMiddlewares: readonly EngineMiddleware[];
  /** Who the handshake request is signed in as (after the middlewares), or null. */
  readonly actorOf: (req: IncomingMessage) => SocketActor | null;
  /** Whose language the handshake's person reads (profile, else the browser's), for the acks' words. */
  readonly readerOf: (req: IncomingMessage) => SocketReader;
  /** The key of the web session behind the handshake (accounts' `sessionKeyOf`), or null. */
  readonly sessionKeyOf: (req: IncomingMessage) => string | null;
  /** The client IP as express would see it (honours TRUST_PROXY). */
  readonly ipOf: (req: IncomingMessage) => string | null;
  readonly rooms: RoomsFeature;
  /** Secure messaging's live delivery (absent: messages still work, without live updates). */
  readonly messaging?: MessagingFeature;
  /** Messaging's events from every node (default: this node's service only). */
  readonly messagingEvents?: MessagingEventSource;
  /** Told of every socket opened and closed, for the admin console's people online per node. */
  readonly presence?: PresencePort;
  readonly logger: Logger;
}

/** Who has a socket open here (the cluster's PresenceTally), as realtime reports it. */
export interface PresencePort {
  connected(person: { readonly id: string; readonly roles: readonly string[] }): void;
  disconnected(person: { readonly id: string }): void;
}

export interface Realtime {
  readonly io: HavenIo;
  /** Drops a person's sockets opened from one web session, or from all of them (`null`). */
  disconnectUser(userId: string, sessionKey: string | null): void;
  /** Idempotent. */
  close(): Promise<void>;
}

/** How a socket's person is counted online: an invited guest (no account, no role) as a guest. */
function presencePerson(actor: SocketActor): { id: string; roles: readonly string[] } {
  return actor.guest ? { id: actor.id, roles: ['guest'] } : actor;
}

/**
 * The socket.io server. It shares the web session (no session: the connection is refused with
 * `auth.required`), accepts only same-origin pages, keeps messages small, and hands each socket
 * to the feature handlers. Notices from the rooms feature are delivered to each person's seat.
 */
export function createRealtime(deps: RealtimeDeps): Realtime {
  const origin = new URL(deps.allowedOrigin).origin;
  const io: HavenIo = new Server(deps.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // Cross-site pages (and scripts without an Origin) never reach the handlers.
    allowRequest: (req, callback) => callback(null, req.headers.origin === origin),
  });

  // Only the handshake carries the cookie; later polling requests belong to the same socket.
  const onlyHandshake =
    (middleware: EngineMiddleware): EngineMiddleware =>
    (req, res, next) => {
      if ((req as IncomingMessage & { _query?: { sid?: string } })._query?.sid === undefined) {
        middleware(req, res, next);
      } else next();
    };
  for (const middleware of deps.sessionMiddlewares) io.engine.use(onlyHandshake(middleware));

  io.use((socket, next) => {
    const actor = deps.actorOf(socket.request);
    if (!actor) return next(new Error('auth.required'));
    socket.data.actor = actor;
    socket.data.reader = deps.readerOf(socket.request);
    socket.data.ip = deps.ipOf(socket.request);
    socket.data.limiter = new SocketLimiter();
    socket.data.rooms = new Set();
    socket.data.inbox = false;
    socket.data.sessionKey = deps.sessionKeyOf(socket.request);
    next();
  });

  const seats: SeatRegistry = new Map();
  const logger = deps.logger.child({ component: 'realtime' });
  const { messaging } = deps;
  const roomsContext = { io, rooms: deps.rooms, seats, logger };
  // One dispatcher and one disconnect listener, shared by every socket (`this` is the socket): what
  // a connection costs does not grow with the number of events.
  const handlers = { ...roomHandlers(roomsContext), ...(messaging ? messagingHandlers({ messaging }) : {}) };
  const dispatch = createDispatcher(handlers, logger);
  // An invited guest's socket: the session room's events only; anything else (messaging, a group
  // meeting's controls) is refused with an answer, as for someone not signed in.
  const guestDispatch = createDispatcher(guestHandlers(handlers), logger);
  const { presence } = deps;
  function onDisconnect(this: HavenSocket): void {
    presence?.disconnected(this.data.actor);
    leaveRoomsOnDisconnect(roomsContext, this);
    if (messaging) leaveInboxOnDisconnect(messaging, this);
  }
  io.on('connection', (socket) => {
    presence?.connected(presencePerson(socket.data.actor));
    socket.onAny(socket.data.actor.guest ? guestDispatch : dispatch);
    socket.on('disconnect', onDisconnect);
  });
  const stopMessaging = messaging
    ? forwardMessagingEvents(io, deps.messagingEvents ?? messaging.messages)
    : () => {};
  const keepAlive = setInterval(() => touchSeatedSessions(io.sockets.sockets.values()), SESSION_TOUCH_MS);
  keepAlive.unref();

  const onNotice = deps.rooms.live.on('notice', (notice) => {
    for (const userId of notice.to) {
      const target = io.to(seatChannel(notice.roomId, userId));
      (target.emit as (event: string, payload: unknown) => boolean)(notice.event, notice.payload);
    }
  });
  void onNotice;

  let closing: Promise<void> | null = null;
  return {
    io,
    disconnectUser(userId, sessionKey) {
      for (const socket of io.sockets.sockets.values()) {
        if (socket.data.actor?.id !== userId) continue;
        if (sessionKey === null || socket.data.sessionKey === sessionKey) socket.disconnect(true);
      }
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        stopMessaging();
        clearInterval(keepAlive);
        // Rooms go on elsewhere (several nodes): dropping these sockets must not end attendance.
        deps.rooms.live.handOver();
        io.disconnectSockets(true);
        // io.close() also closes the HTTP server; Haven's owner closes that itself.
        io.engine.close();
        resolve();
      });
      return closing;
    },
  };
}

/** The events a guest's socket may send: a session room's own (join, leave, media, chat, removal). */
const GUEST_EVENTS = /^(room|media|chat):/;

function guestHandlers(handlers: RequestHandlers): RequestHandlers {
  const refuse = (): Promise<never> =>
    Promise.reject(new AppError('auth.required', 'unauthenticated', phrase('errors:realtime.signIn')));
  const out: Record<string, unknown> = {};
  for (const event of Object.keys(handlers) as ClientEvent[]) {
    out[event] = GUEST_EVENTS.test(event) ? handlers[event] : refuse;
  }
  return out as RequestHandlers;
}
