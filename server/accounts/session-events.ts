import { EventEmitter } from 'node:events';

/**
 * What the realtime layer needs to hear about sessions. Subscribe once at start-up:
 *
 *     accounts.sessionEvents.on('signedOut', ({ userId, sessionId }) => { ...disconnect sockets... });
 *
 * `sessionId` is the session's key: SHA-256 (hex) of the express-session id, which is also the id
 * shown on the "active sessions" page (see `sessionKeyOf`). A socket can compute it from
 * `socket.request.sessionID`. `sessionId: null` means every session of `userId` ended (sign out
 * everywhere, password change signs out the others one by one, deactivation).
 */
export interface SessionEventMap {
  signedOut: [{ readonly userId: string; readonly sessionId: string | null }];
}

export class SessionEvents extends EventEmitter<SessionEventMap> {
  signedOut(userId: string, sessionId: string | null): void {
    this.emit('signedOut', { userId, sessionId });
  }
}
