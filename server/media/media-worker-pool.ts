import { availableParallelism } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../shared/logger';
import { TypedEmitter } from '../shared/typed-emitter';
import { MEDIA_CODECS } from './codecs';
import type { MediaPoolOptions, WorkerHealth } from './media.types';

/** One worker process with its WebRtcServer (one UDP and one TCP port for all of its media). */
interface PoolEntry {
  readonly index: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  readonly port: number;
  routers: number;
  alive: boolean;
}

export interface MediaWorkerPoolEvents {
  /** A worker process died; its routers (and so its rooms) are gone. */
  workerdied: [{ index: number; pid: number; error: Error }];
  /** A dead worker's slot has a new process, listening on the same port again. */
  workerreplaced: [{ index: number; pid: number; attempts: number }];
}

/** Counters since start, for `/readyz` details and operators. */
export interface MediaPoolStats {
  readonly workers: number;
  readonly aliveWorkers: number;
  readonly workerDeaths: number;
  readonly workersReplaced: number;
}

/**
 * Replacing a dead worker: first try at once (the kernel frees a killed process's ports with it),
 * then back off up to a few seconds while the port is still taken.
 */
const RESTART_DELAYS_MS = [0, 250, 500, 1000, 2000, 5000] as const;
/** How long `createRouter` waits for a replacement when no worker is alive, before giving up. */
const LIVE_WORKER_WAIT_MS = 10_000;

/** The answer from `createRouter`: the router plus the WebRtcServer its transports must use. */
export interface RouterPlacement {
  readonly router: types.Router;
  readonly webRtcServer: types.WebRtcServer;
  readonly workerIndex: number;
}

/** How long a health probe waits for a worker to answer before calling it unhealthy. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * mediasoup workers, one per core unless configured. New rooms go to the worker with the fewest
 * routers. Each worker owns a WebRtcServer on a fixed port (basePort + index), so a firewall or a
 * Docker port mapping needs exactly 2 × workers entries instead of a range of thousands.
 */
export class MediaWorkerPool extends TypedEmitter<MediaWorkerPoolEvents> {
  readonly #entries: PoolEntry[];
  readonly #options: MediaPoolOptions;
  readonly #logger: Logger;
  /** Callers of `createRouter` waiting for a worker to come back. */
  readonly #waiters = new Set<() => void>();
  #deaths = 0;
  #replaced = 0;
  /** The last CPU sample per worker pid: { cpu ms used (user + system), when }. */
  readonly #cpuSamples = new Map<number, { cpuMs: number; at: number }>();
  #closed = false;

  static async create(options: MediaPoolOptions, logger: Logger): Promise<MediaWorkerPool> {
    const count = options.workers > 0 ? options.workers : availableParallelism();
    const entries: PoolEntry[] = [];
    try {
      for (let index = 0; index < count; index += 1) {
        entries.push(await MediaWorkerPool.#startWorker(index, options));
      }
    } catch (error) {
      for (const entry of entries) entry.worker.close();
      throw error;
    }
    return new MediaWorkerPool(entries, options, logger);
  }

  static async #startWorker(index: number, options: MediaPoolOptions): Promise<PoolEntry> {
    const worker = await mediasoup.createWorker({
      logLevel: options.logLevel ?? 'warn',
      appData: { index },
    });
    const port = options.basePort + index;
    try {
      const webRtcServer = await worker.createWebRtcServer({
        listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
          protocol,
          ip: options.listenIp,
          announcedAddress: options.announcedAddress,
          port,
        })),
      });
      return { index, worker, webRtcServer, port, routers: 0, alive: true };
    } catch (error) {
      worker.close();
      throw new Error(
        `media worker ${index} could not listen on ${options.listenIp}:${port} (UDP+TCP): ${(error as Error).message}`,
      );
    }
  }

  private constructor(entries: PoolEntry[], options: MediaPoolOptions, logger: Logger) {
    super(logger);
    this.#entries = entries;
    this.#options = options;
    this.#logger = logger;
    for (const entry of entries) this.#watch(entry);
  }

  /**
   * mediasoup closes a dead worker's routers (so its rooms tell their people `media:lost`) before
   * it emits `died`; here the slot is counted, logged and refilled, so the next router (the rooms
   * being re-created) lands on a live worker and the fixed port keeps working.
   */
  #watch(entry: PoolEntry): void {
    entry.worker.on('died', (error) => {
      entry.alive = false;
      this.#deaths += 1;
      this.#logger.error(
        { worker: entry.index, pid: entry.worker.pid, err: error, deaths: this.#deaths },
        'media worker died; replacing it',
      );
      this.emit('workerdied', { index: entry.index, pid: entry.worker.pid, error });
      void this.#replace(entry.index);
    });
  }

  async #replace(index: number): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt += 1) {
      const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)] as number;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.#closed) return;
      try {
        const entry = await MediaWorkerPool.#startWorker(index, this.#options);
        if (this.#closed) {
          entry.worker.close();
          return;
        }
        this.#entries[index] = entry;
        this.#watch(entry);
        this.#replaced += 1;
        this.#logger.warn(
          { worker: index, pid: entry.worker.pid, attempts: attempt + 1, replaced: this.#replaced },
          'media worker replaced',
        );
        this.emit('workerreplaced', { index, pid: entry.worker.pid, attempts: attempt + 1 });
        for (const wake of [...this.#waiters]) wake();
        return;
      } catch (error) {
        this.#logger.error(
          { worker: index, attempt: attempt + 1, err: error },
          'media worker restart failed',
        );
      }
    }
  }

  /** Resolves with a live worker, waiting (a while) for a replacement when none is alive. */
  async #liveEntry(): Promise<PoolEntry> {
    const deadline = Date.now() + LIVE_WORKER_WAIT_MS;
    for (;;) {
      if (this.#closed) throw new Error('media worker pool is closed');
      const live = this.#entries.filter((e) => e.alive);
      const entry = live.sort((a, b) => a.routers - b.routers || a.index - b.index)[0];
      if (entry) return entry;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no live media worker');
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  stats(): MediaPoolStats {
    return {
      workers: this.#entries.length,
      aliveWorkers: this.#entries.filter((e) => e.alive && !e.worker.closed).length,
      workerDeaths: this.#deaths,
      workersReplaced: this.#replaced,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** A router on the least-loaded live worker (waiting briefly for a replacement if none is). */
  async createRouter(appData: Record<string, unknown>): Promise<RouterPlacement> {
    const entry = await this.#liveEntry();
    const router = await entry.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData });
    entry.routers += 1;
    router.observer.once('close', () => {
      entry.routers -= 1;
    });
    return { router, webRtcServer: entry.webRtcServer, workerIndex: entry.index };
  }

  /**
   * Cores' worth of CPU the live workers used since the previous call (0 on the first call for a
   * worker): the node registry's load figure, sampled once per heartbeat.
   */
  async cpuSinceLastSample(now: number = Date.now()): Promise<number> {
    const live = this.#entries.filter((e) => e.alive && !e.worker.closed);
    const used = await Promise.all(
      live.map(async (entry) => {
        const usage = await entry.worker.getResourceUsage().catch(() => null);
        if (!usage) return 0;
        const cpuMs = usage.ru_utime + usage.ru_stime;
        const previous = this.#cpuSamples.get(entry.worker.pid);
        this.#cpuSamples.set(entry.worker.pid, { cpuMs, at: now });
        if (!previous || now <= previous.at) return 0;
        return Math.max(0, cpuMs - previous.cpuMs) / (now - previous.at);
      }),
    );
    // Replaced workers' samples would otherwise pile up.
    const pids = new Set(live.map((e) => e.worker.pid));
    for (const pid of this.#cpuSamples.keys()) if (!pids.has(pid)) this.#cpuSamples.delete(pid);
    return used.reduce((sum, cores) => sum + cores, 0);
  }

  /** Asks every worker to answer (a cheap resource-usage request) within a short time. */
  async health(): Promise<WorkerHealth[]> {
    return Promise.all(
      this.#entries.map(async (entry) => {
        let alive = entry.alive && !entry.worker.closed;
        if (alive) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
          });
          alive = await Promise.race([
            entry.worker.getResourceUsage().then(
              () => true,
              () => false,
            ),
            timeout,
          ]);
          clearTimeout(timer);
        }
        return { index: entry.index, pid: entry.worker.pid, alive, rooms: entry.routers, port: entry.port };
      }),
    );
  }

  /** Idempotent: closes every worker (and so every router, transport and port). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#entries) entry.worker.close();
    for (const wake of [...this.#waiters]) wake();
    this.removeAllListeners();
  }
}
