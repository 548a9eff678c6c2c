import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import { dialectOf } from '../db';
import { newId } from '../shared/ids';
import type { AuditCheckpointRow, AuditEventRow, AuditModels } from './audit.model';
import type { AuditEvent, AuditFilter } from './audit.types';

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    subjectId: row.subject_id,
    ip: row.ip,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Data access for the audit trail. Insert and read only: there is deliberately no update or delete. */
export class AuditRepository {
  readonly #models: AuditModels;
  readonly #sequelize: Sequelize;

  constructor(sequelize: Sequelize, models: AuditModels) {
    this.#sequelize = sequelize;
    this.#models = models;
  }

  /**
   * Serialises appends: the new row's `seq` and `prev_hash` come from the current last row, so two
   * writers must not read the same tail. SQLite transactions here are IMMEDIATE (one writer at a
   * time already); PostgreSQL takes a transaction-scoped advisory lock.
   */
  async lockTail(transaction: Transaction): Promise<void> {
    if (dialectOf(this.#sequelize) === 'postgres') {
      await this.#sequelize.query('SELECT pg_advisory_xact_lock(4242001)', { transaction });
    }
  }

  async last(transaction?: Transaction): Promise<AuditEvent | null> {
    const row = await this.#models.events.findOne({ order: [['seq', 'DESC']], transaction });
    return row ? toEvent(row.get({ plain: true })) : null;
  }

  async insert(event: AuditEvent, transaction: Transaction): Promise<void> {
    await this.#models.events.create(
      {
        seq: event.seq,
        at: event.at,
        actor_id: event.actorId,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        subject_id: event.subjectId,
        ip: event.ip,
        details: event.details,
        prev_hash: event.prevHash,
        hash: event.hash,
      },
      { transaction },
    );
  }

  /** Rows in chain order after `afterSeq`, a page at a time (the trail can be millions of rows). */
  async pageAfter(afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const rows = await this.#models.events.findAll({
      where: { seq: { [Op.gt]: afterSeq } },
      order: [['seq', 'ASC']],
      limit,
    });
    return rows.map((r) => toEvent(r.get({ plain: true })));
  }

  async bySeq(seq: number): Promise<AuditEvent | null> {
    const row = await this.#models.events.findByPk(seq);
    return row ? toEvent(row.get({ plain: true })) : null;
  }

  #where(filter: AuditFilter): WhereOptions<AuditEventRow> {
    const where: Record<string | symbol, unknown> = {};
    if (filter.actorId) where.actor_id = filter.actorId;
    if (filter.subjectId) where.subject_id = filter.subjectId;
    if (filter.action) {
      where.action = filter.action.endsWith('.')
        ? // `_` in a LIKE pattern matches any one character: harmless over an action vocabulary of
          // dotted names, so it is left in; `%` (and the escape character) are dropped.
          { [Op.startsWith]: filter.action.replace(/[%\\]/g, '') }
        : filter.action;
    }
    // `at` is a fixed-width ISO string (UTC), so string order is time order.
    const at: Record<symbol, string> = {};
    if (filter.from) at[Op.gte] = filter.from;
    if (filter.to) at[Op.lt] = filter.to;
    if (filter.from || filter.to) where.at = at;
    return where as WhereOptions<AuditEventRow>;
  }

  /** Newest first, for the admin console's viewer (a page) and its CSV export (pages in turn). */
  async search(
    filter: AuditFilter,
    page: { offset: number; limit: number },
  ): Promise<{ events: AuditEvent[]; total: number }> {
    const { rows, count } = await this.#models.events.findAndCountAll({
      where: this.#where(filter),
      order: [['seq', 'DESC']],
      offset: page.offset,
      limit: page.limit,
    });
    return { events: rows.map((r) => toEvent(r.get({ plain: true }))), total: count };
  }

  /** Rows matching the filter with `seq` below `beforeSeq`, newest first (keyset paging for export). */
  async searchBefore(filter: AuditFilter, beforeSeq: number, limit: number): Promise<AuditEvent[]> {
    const rows = await this.#models.events.findAll({
      where: { [Op.and]: [this.#where(filter), { seq: { [Op.lt]: beforeSeq } }] },
      order: [['seq', 'DESC']],
      limit,
    });
    return rows.map((r) => toEvent(r.get({ plain: true })));
  }

  async count(): Promise<number> {
    return this.#models.events.count();
  }

  async latestCheckpoint(okOnly: boolean): Promise<AuditCheckpointRow | null> {
    const row = await this.#models.checkpoints.findOne({
      where: okOnly ? { ok: true } : {},
      order: [['verified_at', 'DESC']],
    });
    return row ? row.get({ plain: true }) : null;
  }

  async addCheckpoint(checkpoint: Omit<AuditCheckpointRow, 'id'>): Promise<void> {
    await this.#models.checkpoints.create({ id: newId(), ...checkpoint });
  }
}
