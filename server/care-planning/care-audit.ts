import type { Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import { ClinicalAccess, type CareFacts, type ClinicalActor } from '../clinical';

/**
 * Writes care planning's audit rows: who, which record, whose, from where, and how access was
 * granted on reads (self, care or break-glass). Ids and counts only, never content.
 */
export class CareAudit {
  readonly #audit: AuditTrail;

  constructor(audit: AuditTrail) {
    this.#audit = audit;
  }

  write(
    actor: ClinicalActor | null,
    action: string,
    target: { type: string; id?: string | null; clientId: string | null },
    transaction: Transaction,
    details?: Record<string, string | number | boolean | null>,
  ) {
    return this.#audit.record(
      {
        actorId: actor?.id ?? null,
        action,
        targetType: target.type,
        targetId: target.id ?? null,
        subjectId: target.clientId,
        ip: actor?.ip ?? null,
        ...(details ? { details } : {}),
      },
      transaction,
    );
  }

  read(
    actor: ClinicalActor,
    facts: CareFacts,
    action: string,
    target: { type: string; id?: string | null; clientId: string },
    transaction: Transaction,
    details: Record<string, string | number> = {},
  ) {
    return this.write(actor, action, target, transaction, {
      ...ClinicalAccess.via(actor, facts),
      ...details,
    });
  }
}
