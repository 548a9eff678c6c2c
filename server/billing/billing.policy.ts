import type { BillingActor } from './billing.types';

/**
 * Who may do what with money. Pure functions over facts the service looked up (is this therapist
 * treating this client?); every entry point (pages, the monthly job, the export) goes through the
 * service, which calls these. Peer supporters appear nowhere: they see no billing at all.
 */
const has = (actor: BillingActor, role: string): boolean => actor.roles.includes(role);

export const isAdmin = (actor: BillingActor): boolean => has(actor, 'admin');

/** Facts about one actor and one client's account. */
export interface AccountFacts {
  /** The actor is one of the client's treating therapists. */
  readonly treating: boolean;
}

/** Clients see their own; therapists their clients'; admins all. */
export function canViewAccount(actor: BillingActor, clientId: string, f: AccountFacts): boolean {
  if (isAdmin(actor)) return true;
  if (has(actor, 'client') && actor.id === clientId) return true;
  return has(actor, 'therapist') && f.treating;
}

/** Issuing an invoice from uninvoiced charges: the treating therapist or an admin. */
export function canIssueInvoice(actor: BillingActor, f: AccountFacts): boolean {
  return isAdmin(actor) || (has(actor, 'therapist') && f.treating);
}

/** Adjusting a charge before it is invoiced: the treating therapist or an admin. */
export const canAdjustCharge = canIssueInvoice;

/** A per-client program override (with a reason): the treating therapist, or an admin. */
export const canOverrideProgram = canIssueInvoice;

/** The client's default program (income band): admins. */
export const canSetDefaultProgram = (actor: BillingActor): boolean => isAdmin(actor);

/** Date of birth, legal name and address for superbills: the client, their therapist, an admin. */
export const canEditClientDetails = canViewAccount;

/** Payments, refunds and write-offs are the front desk's: admins. */
export const canRecordPayment = (actor: BillingActor): boolean => isAdmin(actor);

/** Services, prices, fee programs and billing settings: admins. */
export const canManageCatalog = (actor: BillingActor): boolean => isAdmin(actor);

/** A therapist keeps their own NPI and credentials. */
export const canEditProvider = (actor: BillingActor, therapistId: string): boolean =>
  has(actor, 'therapist') && actor.id === therapistId;

/** Everyone's balances and aged receivables: admins. */
export const canViewReceivables = (actor: BillingActor): boolean => isAdmin(actor);

/** Who has a billing area at all. */
export const hasBilling = (actor: BillingActor): boolean =>
  isAdmin(actor) || has(actor, 'therapist') || has(actor, 'client');
