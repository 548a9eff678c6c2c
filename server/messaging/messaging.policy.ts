import type { Role } from '../accounts';
import type { Thread, ThreadSide } from './messaging.types';

/**
 * Who may read and write which thread, as pure functions over facts the service looks up.
 *
 * The rules, in words:
 * - A care thread belongs to one client and one therapist. The client reads it always (it is their
 *   own correspondence) and writes while that therapist still treats them. The therapist reads and
 *   writes only while treating the client; when care ends, the thread closes to them.
 * - A front-desk thread belongs to one client and the clinic's admins. Writing needs the
 *   MESSAGING_FRONT_DESK setting on; reading history does not. Admins see front-desk threads only:
 *   being an admin opens no care thread.
 * - Peer supporters, and everyone else, see nothing.
 */
export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

export interface ThreadFacts {
  /** Therapists currently treating the thread's client. */
  readonly treatingTherapistIds: readonly string[];
  readonly frontDeskEnabled: boolean;
}

export interface Membership {
  readonly side: ThreadSide;
  readonly canWrite: boolean;
}

const has = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

/** The roles with a place in messaging at all: clients, their therapists, and admins (front desk). */
export const MESSAGING_ROLES = ['client', 'therapist', 'admin'] as const satisfies readonly Role[];

/** May this person open messaging (pages, live updates) at all? Peer supporters may not. */
export function mayUseMessaging(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.some((r) => (MESSAGING_ROLES as readonly Role[]).includes(r));
}

/** The actor's place in a thread, or null if they are not one of its members. */
export function membershipIn(
  actor: Actor,
  thread: Pick<Thread, 'kind' | 'clientId' | 'therapistId'>,
  facts: ThreadFacts,
): Membership | null {
  if (thread.kind === 'care') {
    const treating = thread.therapistId !== null && facts.treatingTherapistIds.includes(thread.therapistId);
    if (actor.id === thread.clientId && has(actor, 'client')) return { side: 'client', canWrite: treating };
    if (actor.id === thread.therapistId && has(actor, 'therapist') && treating) {
      return { side: 'therapist', canWrite: true };
    }
    return null;
  }
  if (actor.id === thread.clientId && has(actor, 'client')) {
    return { side: 'client', canWrite: facts.frontDeskEnabled };
  }
  if (has(actor, 'admin') && actor.id !== thread.clientId) {
    return { side: 'front_desk', canWrite: facts.frontDeskEnabled };
  }
  return null;
}

/** Starting a care thread: a client with one of their therapists, or a therapist with one of their clients. */
export function canOpenCareThread(
  actor: Actor,
  therapistId: string,
  clientId: string,
  treatingTherapistIds: readonly string[],
): boolean {
  if (therapistId === clientId || !treatingTherapistIds.includes(therapistId)) return false;
  if (actor.id === clientId) return has(actor, 'client');
  if (actor.id === therapistId) return has(actor, 'therapist');
  return false;
}

/** Only a client writes to the front desk first, and only when the clinic has turned it on. */
export function canOpenFrontDeskThread(actor: Actor, frontDeskEnabled: boolean): boolean {
  return frontDeskEnabled && has(actor, 'client');
}

/** Messages are never edited; their sender may retract one within this window. */
export const RETRACT_WINDOW_MS = 5 * 60_000;

export function canRetract(
  actor: Actor,
  message: { senderId: string; createdAt: Date; retractedAt: Date | null },
  now: Date,
): boolean {
  return (
    message.senderId === actor.id &&
    message.retractedAt === null &&
    now.getTime() - message.createdAt.getTime() <= RETRACT_WINDOW_MS
  );
}

/** A therapist's away notice is theirs to set. */
export function canSetAwayNotice(actor: Actor): boolean {
  return has(actor, 'therapist');
}
