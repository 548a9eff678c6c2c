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
  /** `room.elsewhere`: the node the room runs on. */
  readonly node: string | null;
  constructor(code: RequestErrorCode, message: string, node: string | null = null) {
    super(message);
    this.code = code;
    this.node = node;
  }
}

/** Any node's socket.io, through the proxy (one node: the only one). */
const ANY_NODE_PATH = '/socket.io';
/** A node name as NODE_ID allows it. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SAFE_PATH = /^\/(node\/[A-Za-z0-9._-]{1,63}\/)?socket\.io$/;

/** How long to wait for an ack before giving up on a request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The page's socket, typed by the shared protocol (`protocol/events.ts`). */
export type HavenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The page's side of the live-session protocol: one socket.io connection (same origin, session
 * cookie), request/ack with typed errors, and server pushes. Event names, payloads, results and
 * pushes are the protocol's, so a mismatch with the server fails `npm run typecheck`.
 *
 * With several nodes the socket goes to the room's node (`/node/<id>/socket.io`). If that node
 * stops answering (it died), the next attempt asks any node (`anyNode()`); a node that does not hold
 * the room refuses the join with `room.elsewhere` and the room's node, and the page goes there
 * (`moveTo()`). The socket and its listeners stay the same: socket.io's manager reads its `path`
 * afresh on every (re)connection.
 */
export class Signaling {
  readonly socket: HavenSocket;

  /**
   * `path` is the server's choice (the room's node through the proxy when there are several,
   * `/node/<id>/socket.io`); anything else falls back to this origin's own `/socket.io`.
   */
  constructor(path = '/socket.io') {
    const safe = SAFE_PATH.test(path) ? path : ANY_NODE_PATH;
    this.socket = io({ path: safe, transports: ['websocket'], reconnectionDelayMax: 4000 });
  }

  /** The socket path in use (read by automated checks through the page's counters). */
  get path(): string {
    return this.socket.io.opts.path ?? ANY_NODE_PATH;
  }

  /** The room's node did not answer: the next (re)connection asks any node. */
  anyNode(): void {
    this.socket.io.opts.path = ANY_NODE_PATH;
  }

  /** Connects again, to the node the room runs on (as a `room.elsewhere` refusal named it). */
  moveTo(node: string): void {
    if (!NODE_NAME.test(node)) return;
    this.socket.io.opts.path = `/node/${node}/socket.io`;
    this.socket.disconnect();
    this.socket.connect();
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
        else reject(new SignalError(reply.error.code, reply.error.message, reply.error.node ?? null));
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
