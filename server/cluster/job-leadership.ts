import type { Logger } from '../shared/logger';
import { newPgClient, type PgClient } from './pg-client';

/** What the background jobs do when this node starts or stops leading. */
export interface LeaderDuties {
  /** This node now runs the jobs. */
  elected(): void;
  /** This node must stop running them (resolves when the job in progress has finished). */
  deposed(): Promise<void>;
}

/**
 * Which node runs the background jobs (the mail sender, reminders, retention, backups, billing): one
 * at a time, so no email goes out twice because two nodes looked at the same row.
 */
export interface JobLeadership {
  readonly leading: boolean;
  /** Starts seeking leadership; idempotent. */
  start(duties: LeaderDuties): void;
  /** Steps down (awaiting `deposed`) and stops seeking; idempotent. */
  stop(): Promise<void>;
}

/** SQLite: the one node always leads. */
export class SoleNodeLeadership implements JobLeadership {
  #duties: LeaderDuties | null = null;

  get leading(): boolean {
    return this.#duties !== null;
  }

  start(duties: LeaderDuties): void {
    if (this.#duties) return;
    this.#duties = duties;
    duties.elected();
  }

  async stop(): Promise<void> {
    const duties = this.#duties;
    this.#duties = null;
    await duties?.deposed();
  }
}

/** The advisory lock's key: any number no other part of Haven uses. */
const LEADER_LOCK = 4242024;

/**
 * PostgreSQL: leadership is a session-level advisory lock held on a connection of its own. Every
 * `intervalMs` a node that does not lead tries `pg_try_advisory_lock`; the leader checks that its
 * connection still answers. PostgreSQL releases the lock the moment the leader's connection ends —
 * a clean stop, or the process killed (the kernel closes its socket) — so another node takes over
 * within one interval. A leader that loses its connection stops its jobs at once: the lock is gone
 * with the connection, and someone else may already lead.
 */
export class AdvisoryLockLeadership implements JobLeadership {
  readonly #url: string;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  #duties: LeaderDuties | null = null;
  #client: PgClient | null = null;
  #leading = false;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> | null = null;

  constructor(options: { url: string; intervalMs: number; logger: Logger }) {
    this.#url = options.url;
    this.#intervalMs = options.intervalMs;
    this.#logger = options.logger;
  }

  get leading(): boolean {
    return this.#leading;
  }

  start(duties: LeaderDuties): void {
    if (this.#duties) return;
    this.#duties = duties;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    if (!this.#duties) return;
    const duties = this.#duties;
    this.#duties = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    if (this.#leading) {
      this.#leading = false;
      await duties.deposed();
    }
    // Ending the connection releases the lock at once for the next node.
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  #schedule(delayMs: number): void {
    if (!this.#duties) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#seek()
        .catch((error: unknown) => this.#lost(error))
        .finally(() => {
          this.#tick = null;
          this.#schedule(this.#intervalMs);
        });
    }, delayMs);
    this.#timer.unref();
  }

  async #seek(): Promise<void> {
    const duties = this.#duties;
    if (!duties) return;
    const client = await this.#connection();
    if (this.#leading) {
      await client.query('SELECT 1');
      return;
    }
    const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [
      LEADER_LOCK,
    ]);
    if (rows[0]?.got !== true || this.#duties !== duties) return;
    this.#leading = true;
    this.#logger.info('this node now runs the background jobs');
    duties.elected();
  }

  async #connection(): Promise<PgClient> {
    if (this.#client) return this.#client;
    const client = newPgClient(this.#url);
    client.on('error', (error) => {
      if (this.#client === client) void this.#lost(error);
    });
    await client.connect();
    this.#client = client;
    return client;
  }

  async #lost(error: unknown): Promise<void> {
    const client = this.#client;
    this.#client = null;
    void client?.end().catch(() => undefined);
    if (!this.#leading) {
      this.#logger.warn({ err: error }, 'could not reach the database to seek job leadership');
      return;
    }
    this.#leading = false;
    this.#logger.error({ err: error }, 'lost the job-leadership connection: stopping background jobs');
    await this.#duties?.deposed();
  }
}
