import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import { ClinicalAccess, type CareFacts, type ClinicalActor } from '../clinical';

/**
 * Writes care planning's audit rows: who, which record, whose, from where, and how access was
 * granted on reads (self, care or break-glass). Ids and counts only, never content.
 */
export class CareAudit {
  readonly #audit: AuditTrail;
  readonly #access: ClinicalAccess;
  readonly #sequelize: Sequelize;

  constructor(audit: AuditTrail, access: ClinicalAccess, sequelize: Sequelize) {
    this.#audit = audit;
    this.#access = access;
    this.#sequelize = sequelize;
  }

  /**
   * The shape of every list read: check `rule` on fresh care facts (a refusal is audited and thrown),
   * load the client's records, and write one audit row naming how access was granted and how many.
   */
  async listed<T>(read: {
    readonly actor: ClinicalActor;
    readonly clientId: string;
    readonly type: string;
    readonly action: string;
    readonly rule: (facts: CareFacts) => boolean;
    readonly load: (tx: Transaction, facts: CareFacts) => Promise<T[]>;
    readonly details?: Record<string, string | number>;
    /** The id of the record the list is about, if it is one record's versions. */
    readonly targetOf?: (list: T[]) => string | null;
  }): Promise<T[]> {
    const facts = await this.#access.require(read.actor, read.clientId, read.type, read.rule);
    return this.#sequelize.transaction(async (tx) => {
      const list = await read.load(tx, facts);
      const target = { type: read.type, id: read.targetOf?.(list) ?? null, clientId: read.clientId };
      await this.read(read.actor, facts, read.action, target, tx, { ...read.details, count: list.length });
      return list;
    });
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
