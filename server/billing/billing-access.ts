import type { Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import { AppError, phrase } from '../shared/errors';
import { canViewAccount, type AccountFacts } from './billing.policy';
import type { BillingActor, CareSource, PeopleSource } from './billing.types';

/** Nothing of another person's billing is confirmed to exist: the same 404 as a missing id. */
export const notFound = (): AppError =>
  new AppError('billing.not_found', 'not_found', phrase('billing:problem.noSuchRecord'));

/**
 * The one gate in front of a client's account: looks up the facts (is the actor treating the
 * client?), applies the policy, and writes the audit row for what the actor did. Every service
 * goes through it, so no page, job or export can skip the rule.
 */
export class BillingAccess {
  readonly #care: CareSource;
  readonly #people: PeopleSource;
  readonly #audit: AuditTrail;

  constructor(deps: { care: CareSource; people: PeopleSource; audit: AuditTrail }) {
    this.#care = deps.care;
    this.#people = deps.people;
    this.#audit = deps.audit;
  }

  async facts(actor: BillingActor, clientId: string): Promise<AccountFacts> {
    if (!actor.roles.includes('therapist')) return { treating: false };
    return { treating: (await this.#care.treatingTherapistIds(clientId)).includes(actor.id) };
  }

  /**
   * The facts, when the actor may see this client's account and `also` (a narrower rule) allows
   * the act; otherwise "not found" (seeing nothing) or "forbidden" (seeing, but not allowed to do).
   */
  async require(
    actor: BillingActor,
    clientId: string,
    also?: (f: AccountFacts) => boolean,
  ): Promise<AccountFacts> {
    const person = await this.#people.byId(clientId);
    if (!person?.roles.includes('client')) throw notFound();
    const f = await this.facts(actor, clientId);
    if (!canViewAccount(actor, clientId, f)) throw notFound();
    if (also && !also(f)) {
      throw new AppError('billing.forbidden', 'forbidden', phrase('billing:problem.notOnThisAccount'));
    }
    return f;
  }

  /** One audit row: who did what to which billing record of which client. Never amounts or codes. */
  record(
    actor: BillingActor | null,
    action: string,
    target: { type: string; id: string | null; clientId: string | null },
    tx?: Transaction,
    details?: Readonly<Record<string, string | number | boolean | null>>,
  ): Promise<unknown> {
    return this.#audit.record(
      {
        actorId: actor?.id ?? null,
        action,
        targetType: target.type,
        targetId: target.id,
        subjectId: target.clientId,
        ip: actor?.ip ?? null,
        ...(details ? { details } : {}),
      },
      tx,
    );
  }
}
