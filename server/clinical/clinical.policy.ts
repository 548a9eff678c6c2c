import type { Role } from '../accounts';

/**
 * Who may see and change clinical information. Pure functions over facts the services look up, so
 * every rule is testable on its own and every route states which rule it relies on.
 *
 * The rules, in words:
 * - Notes (SOAP/DAP and addenda): the treating therapist reads and writes; an admin reads only
 *   through a break-glass grant (reason required, audited, shown to the therapist); nobody else.
 * - Psychotherapy notes: only their author, while treating. Not even break-glass opens them.
 * - Scores, answers and intake: the client themself, the treating therapist, an admin by break-glass.
 * - Peer supporters get nothing clinical by virtue of that role.
 * - A restricted record (an erased client's, kept until the retention period ends) opens to nobody
 *   but an admin under break-glass, and only for reading.
 */
export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

/** What the services know about an actor's relation to one client's record. */
export interface CareFacts {
  readonly clientId: string;
  /** Therapists with a current care assignment to this client. */
  readonly treatingTherapistIds: readonly string[];
  /** The actor holds an unexpired break-glass grant for this client. */
  readonly breakGlassActive: boolean;
  /**
   * The client's record is restricted after an approved erasure request (data rights): until the
   * retention job purges it, only an admin's break-glass read opens it (ClinicalAccess enforces).
   */
  readonly restricted?: boolean;
}

const has = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

export function isTreatingTherapist(actor: Actor, facts: CareFacts): boolean {
  return has(actor, 'therapist') && facts.treatingTherapistIds.includes(actor.id);
}

function viaBreakGlass(actor: Actor, facts: CareFacts): boolean {
  return has(actor, 'admin') && facts.breakGlassActive && actor.id !== facts.clientId;
}

/** An admin reading under an unexpired break-glass grant: the only way into a restricted record. */
export function isBreakGlassRead(actor: Actor, facts: CareFacts): boolean {
  return viaBreakGlass(actor, facts);
}

export function isSelf(actor: Actor, facts: CareFacts): boolean {
  return actor.id === facts.clientId && has(actor, 'client');
}

export function canReadNotes(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts) || viaBreakGlass(actor, facts);
}

export function canWriteNotes(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts);
}

export function canUsePsychotherapyNotes(actor: Actor, facts: CareFacts, authorId?: string): boolean {
  return isTreatingTherapist(actor, facts) && (authorId === undefined || authorId === actor.id);
}

/** Scores, answers, intake and safety checks. */
export function canReadClientRecord(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts) || isTreatingTherapist(actor, facts) || viaBreakGlass(actor, facts);
}

export function canSubmitOwnAnswers(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts);
}

export function canAssignMeasures(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts);
}

/** Feedback about sessions: the client who wrote it and the therapist it is about. */
export function canReadFeedback(actor: Actor, facts: CareFacts, therapistId: string): boolean {
  return isSelf(actor, facts) || (isTreatingTherapist(actor, facts) && actor.id === therapistId);
}

/** Crisis alerts carry no answers, only "this client needs attention". */
export function canAcknowledgeAlert(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts) || has(actor, 'admin');
}

export function canManageCare(actor: Actor): boolean {
  return has(actor, 'admin');
}

export function canOpenBreakGlass(actor: Actor, clientId: string): boolean {
  return has(actor, 'admin') && actor.id !== clientId;
}

export function canManageConsentText(actor: Actor): boolean {
  return has(actor, 'admin');
}
