import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { ClusterConfig } from '../config';
import type { Dialect } from '../db';
import type { Logger } from '../shared/logger';
import { PollingLoop } from '../shared/polling-loop';
import { NOBODY, type NodePresence } from './presence-tally';
import { recordOf, type NodeAddress, type NodeLoad, type NodeRecord, type NodeRow } from './node-record';

/** Why this process may not join: another live node holds the database (SQLite) or the same id. */
export class NodeRefusedError extends Error {
  override readonly name = 'NodeRefusedError';
}

/** Serialises joins on PostgreSQL (two nodes claiming the same id at once see each other). */
const JOIN_LOCK = 4242022;

/** Instances joined from this very process (tests run several nodes in one process). */
const instancesInThisProcess = new Set<string>();

export interface NodeRegistryOptions {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  /** Where a SQLite database lives, for the refusal message. */
  readonly databaseName: string;
  readonly cluster: ClusterConfig;
  readonly self: NodeAddress;
  /** Read once per heartbeat. */
  readonly load: () => Promise<NodeLoad>;
  /** Who is connected here, written with every heartbeat (default: nobody, e.g. no sockets). */
  readonly presence?: () => NodePresence;
  readonly logger: Logger;
  /** Wall-clock milliseconds (liveness is about real time, whatever clock the features use). */
  readonly now?: () => number;
}

/**
 * The node registry (issue 22): every Haven process serving a database has a row in
 * `cluster_nodes` with where it serves and sends media from, and a heartbeat carrying its load. A
 * node whose heartbeat is older than NODE_DEAD_AFTER_SECONDS is dead.
 *
 * Joining is a check and a write in one transaction: on SQLite (one process only, by design) any
 * other live node refuses the join; on PostgreSQL only a live node with the same NODE_ID does. A row
 * left by an earlier run of this same process slot — same host, and its pid gone or (a restarted
 * container) our own pid — is taken over at once rather than waited out.
 */
export class NodeRegistry {
  readonly #options: NodeRegistryOptions;
  readonly #instance = randomUUID();
  readonly #host = hostname();
  readonly #now: () => number;
  #loop: PollingLoop<void> | null = null;
  #joined = false;

  constructor(options: NodeRegistryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get id(): string {
    return this.#options.self.id;
  }

  /** Joins (or throws NodeRefusedError) and starts the heartbeat; idempotent. */
  async join(): Promise<void> {
    if (this.#joined) return;
    await this.#claim();
    this.#joined = true;
    instancesInThisProcess.add(this.#instance);
    const { logger, cluster } = this.#options;
    this.#loop = new PollingLoop({
      pass: () => this.#beat(),
      intervalMs: cluster.heartbeatMs,
      onError: (error) => logger.error({ err: error }, 'node heartbeat failed'),
    });
    this.#loop.start();
    logger.info({ node: this.id }, 'joined the node registry');
  }

  /** Every registered node, alive or not, by id. */
  async nodes(): Promise<NodeRecord[]> {
    const rows = await this.#rows();
    const now = this.#now();
    return rows.map((row) => recordOf(row, now, this.#options.cluster.deadAfterMs));
  }

  /** The nodes whose heartbeat is recent. */
  async liveNodes(): Promise<NodeRecord[]> {
    return (await this.nodes()).filter((node) => node.alive);
  }

  /** Stops the heartbeat and removes this node's row (a clean stop is not a death); idempotent. */
  async leave(): Promise<void> {
    if (!this.#joined) return;
    this.#joined = false;
    await this.#loop?.stop();
    this.#loop = null;
    instancesInThisProcess.delete(this.#instance);
    await this.#options.sequelize.query('DELETE FROM cluster_nodes WHERE id = ? AND instance = ?', {
      replacements: [this.id, this.#instance],
    });
  }

  /**
   * A heartbeat that reads the load as it is now (tests; the loop beats on its own). A pass already
   * under way may have read the load before the caller's change, so it is let finish first.
   */
  async beat(): Promise<void> {
    if (!this.#loop) return this.#beat();
    await this.#loop.runOnce().catch(() => undefined);
    await this.#loop.runOnce();
  }

  async #beat(): Promise<void> {
    const load = await this.#options.load();
    const { sequelize } = this.#options;
    await sequelize.query(
      `UPDATE cluster_nodes SET heartbeat_at = ?, live_rooms = ?, consumers = ?, worker_cpu = ?, online = ?
       WHERE id = ? AND instance = ?`,
      {
        replacements: [
          this.#now(),
          load.liveRooms,
          load.consumers,
          Math.round(load.workerCpu * 1000) / 1000,
          this.#presence(),
          this.id,
          this.#instance,
        ],
      },
    );
    const [row] = await sequelize.query<{ instance: string }>(
      'SELECT instance FROM cluster_nodes WHERE id = ?',
      { replacements: [this.id], type: QueryTypes.SELECT },
    );
    if (row?.instance === this.#instance) return;
    // Our row is gone or someone else's: we looked dead (a long pause) and were replaced or
    // cleaned up. Join again; if another live process now holds the id, say so loudly.
    this.#options.logger.error({ node: this.id }, 'this node lost its registry row; joining again');
    await this.#claim();
  }

  async #claim(): Promise<void> {
    const { sequelize, dialect, self } = this.#options;
    await sequelize.transaction(async (transaction) => {
      if (dialect === 'postgres') {
        await sequelize.query(`SELECT pg_advisory_xact_lock(${JOIN_LOCK})`, { transaction });
      }
      const now = this.#now();
      const others = (await this.#rows(transaction))
        .map((row) => recordOf(row, now, this.#options.cluster.deadAfterMs))
        .filter((node) => node.instance !== this.#instance && node.alive && !this.#isEarlierSelf(node));
      const blocking = dialect === 'sqlite' ? others[0] : others.find((node) => node.id === self.id);
      if (blocking) throw new NodeRefusedError(this.#refusal(blocking, now));
      // On SQLite every other row is a dead node's: there is only ever one row.
      if (dialect === 'sqlite') await sequelize.query('DELETE FROM cluster_nodes', { transaction });
      else
        await sequelize.query('DELETE FROM cluster_nodes WHERE id = ?', {
          replacements: [self.id],
          transaction,
        });
      await sequelize.query(
        `INSERT INTO cluster_nodes (id, instance, host, pid, public_url, media_address, media_first_port,
           media_ports, started_at, heartbeat_at, live_rooms, consumers, worker_cpu, online)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)`,
        {
          replacements: [
            self.id,
            this.#instance,
            this.#host,
            process.pid,
            self.publicUrl,
            self.mediaAddress,
            self.mediaFirstPort,
            self.mediaPorts,
            now,
            now,
            this.#presence(),
          ],
          transaction,
        },
      );
    });
  }

  #presence(): string {
    return JSON.stringify(this.#options.presence?.() ?? NOBODY);
  }

  /** A row an earlier run of this process slot left behind (killed, or this container restarted). */
  #isEarlierSelf(node: NodeRecord): boolean {
    if (instancesInThisProcess.has(node.instance)) return false;
    if (node.host !== this.#host) return false;
    return node.pid === process.pid || !processAlive(node.pid);
  }

  #refusal(other: NodeRecord, now: number): string {
    const seconds = Math.max(0, Math.round((now - other.heartbeatAt.getTime()) / 1000));
    const who = `node "${other.id}" (host ${other.host}, pid ${other.pid}, last heartbeat ${seconds} s ago)`;
    const { cluster } = this.#options;
    if (this.#options.dialect === 'sqlite') {
      return (
        `another Haven, ${who}, is already serving the SQLite database ${this.#options.databaseName}. ` +
        'SQLite serves one Haven process only: stop the other one first, or move to PostgreSQL ' +
        '(DATABASE_URL=postgres://…) to run several nodes (docs/operations.md, "More than one machine"). ' +
        `If the other one is gone, it counts as dead ${cluster.deadAfterMs / 1000} s after its last heartbeat.`
      );
    }
    return (
      `NODE_ID "${other.id}" is already taken by a live ${who}: give every node its own NODE_ID ` +
      `(a node counts as dead ${cluster.deadAfterMs / 1000} s after its last heartbeat).`
    );
  }

  async #rows(transaction?: Transaction): Promise<NodeRow[]> {
    return this.#options.sequelize.query<NodeRow>('SELECT * FROM cluster_nodes ORDER BY id', {
      type: QueryTypes.SELECT,
      ...(transaction ? { transaction } : {}),
    });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
