import { io, type Socket } from 'socket.io-client';

/** A refusal from the server, with its stable code (e.g. `room.not_admitted`). */
export class SignalError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** How long to wait for an ack before giving up on a request. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The page's side of the live-session protocol: one socket.io connection (same origin, session
 * cookie), request/ack with typed errors, and server pushes.
 */
export class Signaling {
  readonly socket: Socket;

  constructor() {
    this.socket = io({ path: '/socket.io', transports: ['websocket'], reconnectionDelayMax: 4000 });
  }

  request<T>(event: string, payload: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SignalError('timeout', 'The server did not answer in time.')),
        REQUEST_TIMEOUT_MS,
      );
      this.socket.emit(event, payload, (answer: Answer) => {
        clearTimeout(timer);
        if (answer.ok) resolve(answer.data as T);
        else reject(new SignalError(answer.error.code, answer.error.message));
      });
    });
  }

  on<T>(event: string, listener: (payload: T) => void): void {
    this.socket.on(event, listener as (...args: unknown[]) => void);
  }
}
