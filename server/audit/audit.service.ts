import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../shared/clock';
import { GENESIS_HASH, hashAuditEvent } from './audit-chain';
import type { AuditRepository } from './audit.repository';
import type { AuditEntryInput, AuditEvent, AuditFilter, AuditVerification } from './audit.types';

const PAGE = 1000;

/**
 * The audit trail: who did what to which record, when and from where. Callers that change or read
 * health information pass their own transaction, so the audit row commits or rolls back with the act.
 */
export class AuditTrail {
  readonly #sequelize: Sequelize;
  readonly #repo: AuditRepository;
  readonly #clock: Clock;

  constructor(sequelize: Sequelize, repo: AuditRepository, clock: Clock) {
    this.#sequelize = sequelize;
    this.#repo = repo;
    this.#clock = clock;
  }

  async record(entry: AuditEntryInput, transaction?: Transaction): Promise<AuditEvent> {
    if (transaction) return this.#append(entry, transaction);
    return this.#sequelize.transaction((tx) => this.#append(entry, tx));
  }

  async #append(entry: AuditEntryInput, transaction: Transaction): Promise<AuditEvent> {
    await this.#repo.lockTail(transaction);
    const last = await this.#repo.last(transaction);
    const unhashed = {
      seq: (last?.seq ?? 0) + 1,
      at: this.#clock.now().toISOString(),
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      subjectId: entry.subjectId ?? null,
      ip: entry.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const event: AuditEvent = { ...unhashed, hash: hashAuditEvent(unhashed) };
    await this.#repo.insert(event, transaction);
    return event;
  }

  /**
   * Walks the whole chain. Finds edited rows (hash mismatch), deleted rows (gap in `seq` or broken
   * link), reordered rows (broken links), and rows cut from the end since the last good check.
   * Records the result so the admin console can show when the chain was last verified.
   */
  async verify(): Promise<AuditVerification> {
    const verifiedAt = this.#clock.now();
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let rowsChecked = 0;
    let problem: string | null = null;
    let badSeq: number | null = null;

    scan: for (let page = await this.#repo.pageAfter(0, PAGE); page.length > 0;) {
      for (const row of page) {
        if (row.seq !== expectedSeq) {
          problem = `row ${expectedSeq} is missing (next row found is ${row.seq})`;
          badSeq = expectedSeq;
          break scan;
        }
        if (row.prevHash !== prevHash) {
          problem = `row ${row.seq} does not link to row ${row.seq - 1} (deleted, inserted or reordered)`;
          badSeq = row.seq;
          break scan;
        }
        if (hashAuditEvent(row) !== row.hash) {
          problem = `row ${row.seq} was altered after it was written`;
          badSeq = row.seq;
          break scan;
        }
        rowsChecked += 1;
        expectedSeq += 1;
        prevHash = row.hash;
      }
      page = await this.#repo.pageAfter(expectedSeq - 1, PAGE);
    }

    if (problem === null) {
      const checkpoint = await this.#repo.latestCheckpoint(true);
      if (checkpoint && checkpoint.last_seq > 0) {
        const anchored = await this.#repo.bySeq(checkpoint.last_seq);
        if (!anchored || anchored.hash !== checkpoint.last_hash) {
          problem = `rows up to ${checkpoint.last_seq} existed at the check of ${checkpoint.verified_at.toISOString()} but are gone or changed now`;
          badSeq = checkpoint.last_seq;
        }
      }
    }

    const result: AuditVerification = {
      ok: problem === null,
      rowsChecked,
      lastSeq: expectedSeq - 1,
      problem,
      badSeq,
      verifiedAt,
    };
    await this.#repo.addCheckpoint({
      verified_at: verifiedAt,
      ok: result.ok,
      rows_checked: rowsChecked,
      last_seq: result.lastSeq,
      last_hash: prevHash,
      problem,
    });
    return result;
  }

  /** A page of rows matching the filter, newest first (the admin console's audit viewer). */
  search(filter: AuditFilter, page: { offset: number; limit: number }) {
    return this.#repo.search(filter, page);
  }

  /** Every row matching the filter, newest first, a page at a time (for a CSV export). */
  async *each(filter: AuditFilter): AsyncGenerator<AuditEvent> {
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const page = await this.#repo.searchBefore(filter, before, PAGE);
      for (const event of page) yield event;
      if (page.length < PAGE) return;
      before = page.at(-1)!.seq;
    }
  }

  /** The most recent verification, for the admin overview. */
  async lastVerification(): Promise<{ ok: boolean; at: Date; problem: string | null } | null> {
    const row = await this.#repo.latestCheckpoint(false);
    return row ? { ok: row.ok, at: row.verified_at, problem: row.problem } : null;
  }
}
