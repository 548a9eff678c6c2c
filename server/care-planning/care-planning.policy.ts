import { clinicalPolicy, type Actor, type CareFacts } from '../clinical';

/**
 * Who may see and change care planning. Built on clinical's rules, so a plan is as private as a
 * note: the treating therapist writes; an admin reads only under break-glass; peer supporters and
 * other therapists never see any of it. The client is given what the issue gives them:
 *
 * - Diagnoses: the treating therapist (and break-glass reads). Clients get theirs in their export.
 * - Plans: the treating therapist writes drafts, signs, reviews; the client reads signed versions
 *   (never drafts) and signs them.
 * - Between-session exercises: the therapist assigns and reads; the client reads and answers their own.
 * - Safety plan: the therapist writes each version with the client; the client reads and downloads it.
 */
const { isSelf, isTreatingTherapist, isBreakGlassRead } = clinicalPolicy;

export function canReadDiagnoses(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts) || isBreakGlassRead(actor, facts);
}

export function canWriteCare(actor: Actor, facts: CareFacts): boolean {
  return isTreatingTherapist(actor, facts);
}

/** Reading plans: drafts as well for staff; signed versions only for the client (the service filters). */
export function canReadPlans(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts) || isTreatingTherapist(actor, facts) || isBreakGlassRead(actor, facts);
}

export function seesDrafts(actor: Actor, facts: CareFacts): boolean {
  return !isSelf(actor, facts);
}

export function canSignAsClient(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts);
}

export function canReadHomework(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts) || isTreatingTherapist(actor, facts) || isBreakGlassRead(actor, facts);
}

export function canAnswerHomework(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts);
}

export function canReadSafetyPlan(actor: Actor, facts: CareFacts): boolean {
  return isSelf(actor, facts) || isTreatingTherapist(actor, facts) || isBreakGlassRead(actor, facts);
}

/** The clinic's list of interventions is clinic configuration, not health information. */
export function canManageInterventions(actor: Actor): boolean {
  return actor.roles.includes('admin');
}
