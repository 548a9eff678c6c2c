import type { IncomingMessage } from 'node:http';

/** What express-session leaves on a handshake request. */
export interface SessionfulRequest extends IncomingMessage {
  session?: object;
  sessionID?: string;
  sessionStore?: { touch?(sid: string, session: object, callback: (error?: unknown) => void): void };
}

/** The little of a socket this needs: the rooms it holds a seat in and its handshake request. */
export interface SeatHolder {
  readonly data: { readonly rooms: ReadonlySet<string> };
  readonly request: IncomingMessage;
}

/** How often sockets in a live room tell the session store their person is still active. */
export const SESSION_TOUCH_MS = 60_000;

/**
 * Being in a live session is activity: without this, a 50-minute call with no page loads would let
 * the web session reach its idle timeout, and a reconnect mid-call would be refused. Only sockets
 * holding a seat in a room count (an inbox left open does not keep a session alive); the absolute
 * timeout still applies (the store enforces it). Each web session is touched once however many of
 * its sockets are seated. Returns how many sessions were touched.
 *
 * One server-wide tick calls this (`createRealtime`), rather than a timer per socket: an idle
 * socket costs no timer, and a thousand seated ones cost one walk a minute.
 */
export function touchSeatedSessions(sockets: Iterable<SeatHolder>): number {
  const touched = new Set<string>();
  for (const socket of sockets) {
    if (socket.data.rooms.size === 0) continue;
    const req = socket.request as SessionfulRequest;
    if (!req.session || !req.sessionID || touched.has(req.sessionID)) continue;
    touched.add(req.sessionID);
    req.sessionStore?.touch?.(req.sessionID, req.session, () => {});
  }
  return touched.size;
}
