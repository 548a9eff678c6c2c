import { createHash } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

/** One counter's state, as express-rate-limit's `Store` reports it. */
export interface LimitCount {
  totalHits: number;
  resetTime: Date | undefined;
}

/** Expired rows are swept after this many increments on one node (each sweep is one DELETE). */
const SWEEP_EVERY = 200;

/**
 * A rate limiter's counters in the database every node shares, so attempts split across nodes
 * count together. It has the shape of express-rate-limit's `Store` (the HTTP layer's limiters take
 * it as one; this module does not import express). Fixed windows like the in-memory store: the
 * first hit opens a window of `windowMs`, one atomic upsert counts each hit.
 */
export class SharedLimitCounter {
  readonly #sequelize: Sequelize;
  readonly #name: string;
  readonly #now: () => number;
  #windowMs = 60_000;
  #increments = 0;
  /** Counters are shared: express-rate-limit must not assume they are this process's alone. */
  readonly localKeys = false;

  constructor(sequelize: Sequelize, name: string, now: () => number = Date.now) {
    this.#sequelize = sequelize;
    this.#name = name;
    this.#now = now;
  }

  /** express-rate-limit passes the limiter's options once. */
  init(options: { windowMs: number }): void {
    this.#windowMs = options.windowMs;
  }

  async get(key: string): Promise<LimitCount | undefined> {
    const [row] = await this.#sequelize.query<{ hits: number; resets_at: string | number }>(
      'SELECT hits, resets_at FROM rate_limit_counters WHERE key = :key AND resets_at > :now',
      { replacements: { key: this.#hash(key), now: this.#now() }, type: QueryTypes.SELECT },
    );
    return row ? { totalHits: Number(row.hits), resetTime: new Date(Number(row.resets_at)) } : undefined;
  }

  async increment(key: string): Promise<LimitCount> {
    const now = this.#now();
    if (++this.#increments % SWEEP_EVERY === 0) await this.#sweep(now);
    // One statement: two nodes counting the same key at once both land (no lost update).
    const [row] = await this.#sequelize.query<{ hits: number; resets_at: string | number }>(
      `INSERT INTO rate_limit_counters (key, hits, resets_at) VALUES (:key, 1, :ends)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_counters.resets_at <= :now THEN 1 ELSE rate_limit_counters.hits + 1 END,
         resets_at = CASE WHEN rate_limit_counters.resets_at <= :now THEN :ends ELSE rate_limit_counters.resets_at END
       RETURNING hits, resets_at`,
      {
        replacements: { key: this.#hash(key), now, ends: now + this.#windowMs },
        type: QueryTypes.SELECT,
      },
    );
    if (!row) throw new Error('rate limit counter: the upsert returned no row');
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.resets_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.#sequelize.query(
      'UPDATE rate_limit_counters SET hits = hits - 1 WHERE key = :key AND hits > 0 AND resets_at > :now',
      { replacements: { key: this.#hash(key), now: this.#now() } },
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.#sequelize.query('DELETE FROM rate_limit_counters WHERE key = :key', {
      replacements: { key: this.#hash(key) },
    });
  }

  async #sweep(now: number): Promise<void> {
    await this.#sequelize.query('DELETE FROM rate_limit_counters WHERE resets_at <= :now', {
      replacements: { now },
    });
  }

  #hash(key: string): string {
    return createHash('sha256').update(`${this.#name}\u0000${key}`).digest('hex');
  }
}
