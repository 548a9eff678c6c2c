import type { Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { CareRepository } from './care.repository';
import { isBreakGlassRead, type Actor, type CareFacts } from './clinical.policy';

/** Whether a client's record is restricted after an erasure (data rights); absent means never. */
export type RestrictionLookup = (clientId: string, transaction?: Transaction) => Promise<boolean>;

/** An actor as the clinical services receive it: who, in which roles, from where (for the audit). */
export interface ClinicalActor extends Actor {
  readonly ip?: string | null;
}

/**
 * Looks up the facts the policy needs and enforces a decision. A refusal is itself audited (who tried
 * to see whose record), then thrown as `clinical.forbidden`, which never says whether data exists.
 */
export class ClinicalAccess {
  readonly #care: CareRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #restricted: RestrictionLookup;

  constructor(care: CareRepository, audit: AuditTrail, clock: Clock, restricted?: RestrictionLookup) {
    this.#care = care;
    this.#audit = audit;
    this.#clock = clock;
    this.#restricted = restricted ?? (() => Promise.resolve(false));
  }

  async facts(actor: Actor, clientId: string, transaction?: Transaction): Promise<CareFacts> {
    const treatingTherapistIds = await this.#care.treatingTherapistIds(clientId, transaction);
    const grant = actor.roles.includes('admin')
      ? await this.#care.activeBreakGlass(actor.id, clientId, this.#clock.now(), transaction)
      : null;
    const restricted = await this.#restricted(clientId, transaction);
    return { clientId, treatingTherapistIds, breakGlassActive: grant !== null, restricted };
  }

  /**
   * Of `clientIds`, those the actor treats as a therapist now (what `isTreatingTherapist` answers
   * client by client), from one read of their caseload instead of the full facts of every client.
   */
  async treatedAmong(actor: Actor, clientIds: readonly string[]): Promise<string[]> {
    if (!actor.roles.includes('therapist') || clientIds.length === 0) return [];
    const caseload = new Set((await this.#care.clientsOf(actor.id)).map((c) => c.clientId));
    return clientIds.filter((id) => caseload.has(id));
  }

  /**
   * Runs `rule` on fresh facts; on refusal records `clinical.access_denied` and throws. Called before
   * the caller opens its transaction: on SQLite a second writer inside an open write transaction
   * would wait on itself, and the record of a refused attempt must not roll back with the request.
   */
  async require(
    actor: ClinicalActor,
    clientId: string,
    what: string,
    rule: (facts: CareFacts) => boolean,
  ): Promise<CareFacts> {
    const facts = await this.facts(actor, clientId);
    // A restricted record (erased client, kept for retention) opens only by break-glass, whatever
    // the rule would otherwise allow: the client is gone and care has ended.
    if (rule(facts) && (!facts.restricted || isBreakGlassRead(actor, facts))) return facts;
    await this.#audit.record({
      actorId: actor.id,
      action: 'clinical.access_denied',
      targetType: what,
      subjectId: clientId,
      ip: actor.ip ?? null,
      ...(facts.restricted ? { details: { restricted: true } } : {}),
    });
    throw new AppError('clinical.forbidden', 'forbidden', phrase('clinical:problem.noAccess'));
  }

  /** Audit details that say how access was granted, so break-glass reads stand out. */
  static via(actor: Actor, facts: CareFacts): Record<string, string> {
    if (actor.id === facts.clientId) return { via: 'self' };
    if (facts.treatingTherapistIds.includes(actor.id)) return { via: 'care' };
    return { via: 'break_glass' };
  }
}
