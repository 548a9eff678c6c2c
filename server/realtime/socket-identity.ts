import type { IncomingMessage } from 'node:http';
import { isRole, twoFactorRequiredFor, type Role } from '../accounts';

/** The person a socket acts for: worked out once, at the handshake, for every handler. */
export interface SocketActor {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** An invited guest (no account): the one appointment whose room they may knock at. */
  readonly guest?: { readonly appointmentId: string };
}

/** What passport leaves on the handshake request: the signed-in person, if any. */
interface SignedInRequest extends IncomingMessage {
  /** An invited guest's pass, put in the web session when their link was used. */
  session?: { guest?: { guestId: string; appointmentId: string; displayName: string } };
  user?: {
    id: string;
    displayName: string;
    roles: readonly string[];
    status?: string;
    twoFactorEnabled?: boolean;
  };
}

/**
 * The person a socket acts for, or null. Mirrors the web's gates: deactivated people are nobody, and
 * staff who must enrol a second factor get no socket until they have.
 */
export function actorFromHandshake(req: IncomingMessage): SocketActor | null {
  const { user, session } = req as SignedInRequest;
  // A guest's socket may knock at their appointment's room and nothing else; the rooms feature
  // checks at every join that the therapist has not removed them.
  if (!user && session?.guest) {
    const { guestId, appointmentId, displayName } = session.guest;
    return { id: guestId, displayName, roles: [], guest: { appointmentId } };
  }
  if (!user || (user.status !== undefined && user.status !== 'active')) return null;
  const roles = user.roles.filter(isRole);
  if (!user.twoFactorEnabled && twoFactorRequiredFor(roles)) return null;
  return { id: user.id, displayName: user.displayName, roles };
}

/**
 * The client address for the audit trail: the socket peer, or with a trusted reverse proxy the
 * nearest address it reports (X-Forwarded-For's last entry, which the proxy itself appended).
 */
export function ipFromHandshake(req: IncomingMessage, trustProxy: boolean | number | string): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy !== false && typeof forwarded === 'string' && forwarded.trim() !== '') {
    const parts = forwarded.split(',').map((p) => p.trim());
    return parts[parts.length - 1] ?? null;
  }
  return req.socket.remoteAddress ?? null;
}
