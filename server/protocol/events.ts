/**
 * The socket protocol as one map: every request a page makes (`feature:verb`), the payload it sends,
 * the `data` of a successful answer, and every push the server sends. socket.io's typed
 * `ClientToServerEvents` / `ServerToClientEvents` are derived from it, so the server's handlers, the
 * browser's `request()` and the tests' `ask()` all check against the same declaration.
 */
import type { ClientSideErrorCode, ErrorCode } from './error-codes';
import type { MessagingPushes, MessagingRequests } from './messaging';
import type { RoomPushes, RoomRequests } from './rooms';

/** Every request, by event name: `{ payload, result }`. */
export interface ClientRequests extends RoomRequests, MessagingRequests {}

export type ClientEvent = keyof ClientRequests;
/** What a page sends with `event`. */
export type Payload<K extends ClientEvent> = ClientRequests[K]['payload'];
/** What a successful answer to `event` carries as `data`. */
export type Result<K extends ClientEvent> = ClientRequests[K]['result'];

/** Every push, by event name: its payload. */
export interface ServerPushes extends RoomPushes, MessagingPushes {}

export type PushEvent = keyof ServerPushes;
export type Push<K extends PushEvent> = ServerPushes[K];

/** A refusal: a stable code (e.g. `room.not_admitted`) and a sentence a person can read. */
export interface AckError {
  readonly code: ErrorCode;
  readonly message: string;
  /**
   * `room.elsewhere` only: the node the room runs on. The page connects again to that node's
   * socket path, `/node/<node>/socket.io`, which the clinic's proxy routes to it.
   */
  readonly node?: string;
}

/** Every request is answered once, with either `{ ok: true, data }` or `{ ok: false, error }`. */
export type Ack<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: AckError };

/** A request's failure as the browser sees it: a server refusal, or no answer in time. */
export type RequestErrorCode = ErrorCode | ClientSideErrorCode;

/** socket.io's client → server map: one payload object and an acknowledgement per event. */
export type ClientToServerEvents = {
  [K in ClientEvent]: (payload: Payload<K>, ack: (answer: Ack<Result<K>>) => void) => void;
};

/** socket.io's server → client map. */
export type ServerToClientEvents = {
  [K in PushEvent]: (payload: Push<K>) => void;
};
