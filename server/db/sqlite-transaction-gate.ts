import type { Sequelize, Transaction, TransactionOptions } from 'sequelize';
import { AppError } from '../shared/errors';

/**
 * One write transaction at a time per process, for SQLite.
 *
 * Why: node-sqlite3 runs every statement on libuv's small thread pool (4 threads). Sequelize opens a
 * connection per transaction, and `BEGIN IMMEDIATE` on a locked database *sleeps inside a pool
 * thread* until busy_timeout. With four such waiters the pool is full, the transaction holding the
 * lock cannot get a thread to COMMIT, and everyone stalls for the whole busy timeout. SQLite allows
 * one writer anyway, so queuing transactions here costs nothing and keeps busy_timeout for what it
 * is for: other processes (a CLI, a backup) touching the same file.
 */
class Gate {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  /** Resolves with a release function once every earlier holder has released. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError('db.busy', 'unavailable', 'the database is busy; try again')),
        this.timeoutMs,
      );
    });
    let released = false;
    const releaseOnce = (): void => {
      if (!released) {
        released = true;
        release();
      }
    };
    return Promise.race([before, timedOut]).then(
      () => {
        clearTimeout(timer);
        return releaseOnce;
      },
      (error: unknown) => {
        // Give up our place without blocking those queued after us.
        void before.then(releaseOnce);
        throw error;
      },
    );
  }
}

type TransactionFn = (...args: unknown[]) => Promise<unknown>;

/** Routes `sequelize.transaction(...)` through a per-process gate (see {@link Gate}). */
export function gateTransactions(sequelize: Sequelize, timeoutMs: number): void {
  const gate = new Gate(timeoutMs);
  const original = sequelize.transaction.bind(sequelize) as TransactionFn;

  const gated = async (...args: unknown[]): Promise<unknown> => {
    const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : undefined) as
      TransactionOptions | undefined;
    // A savepoint inside a transaction we already hold must not queue behind itself.
    if (options?.transaction) return original(...args);
    const release = await gate.acquire();
    const managed = typeof args[0] === 'function' || typeof args[1] === 'function';
    if (managed) {
      try {
        return await original(...args);
      } finally {
        release();
      }
    }
    let transaction: Transaction;
    try {
      transaction = (await original(...args)) as Transaction;
    } catch (error) {
      release();
      throw error;
    }
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    transaction.commit = async () => {
      try {
        return await commit();
      } finally {
        release();
      }
    };
    transaction.rollback = async () => {
      try {
        return await rollback();
      } finally {
        release();
      }
    };
    return transaction;
  };
  (sequelize as unknown as { transaction: TransactionFn }).transaction = gated;
}
