import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvent,
  ClientToServerEvents,
  Payload,
  Push,
  PushEvent,
  RequestErrorCode,
  Result,
  ServerToClientEvents,
} from '../../../server/protocol';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/** A refusal from the server, with its stable code (e.g. `room.not_admitted`), or `timeout`. */
export class SignalError extends Error {
  readonly code: RequestErrorCode;
  constructor(code: RequestErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** How long to wait for an ack before giving up on a request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The page's socket, typed by the shared protocol (`protocol/events.ts`). */
export type HavenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The page's side of the live-session protocol: one socket.io connection (same origin, session
 * cookie), request/ack with typed errors, and server pushes. Event names, payloads, results and
 * pushes are the protocol's, so a mismatch with the server fails `npm run typecheck`.
 */
export class Signaling {
  readonly socket: HavenSocket;

  /**
   * `path` is the server's choice (the room's node through the proxy when there are several,
   * `/node/<id>/socket.io`); anything else falls back to this origin's own `/socket.io`.
   */
  constructor(path = '/socket.io') {
    const safe = /^\/(node\/[A-Za-z0-9._-]{1,63}\/)?socket\.io$/.test(path) ? path : '/socket.io';
    this.socket = io({ path: safe, transports: ['websocket'], reconnectionDelayMax: 4000 });
  }

  request<K extends ClientEvent>(event: K, payload: Payload<K>): Promise<Result<K>> {
    return new Promise<Result<K>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SignalError('timeout', t('status.timeout'))),
        REQUEST_TIMEOUT_MS,
      );
      const answer = (reply: Ack<Result<K>>): void => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply.data);
        else reject(new SignalError(reply.error.code, reply.error.message));
      };
      // socket.io's emit cannot follow a generic event name through its overloads; the signature
      // above is what the protocol says, and this is the one place that hands it to the socket.
      (this.socket.emit as (event: K, payload: Payload<K>, ack: typeof answer) => void)(
        event,
        payload,
        answer,
      );
    });
  }

  on<K extends PushEvent>(event: K, listener: (payload: Push<K>) => void): void {
    (this.socket.on as (event: K, listener: (payload: Push<K>) => void) => void)(event, listener);
  }
}
