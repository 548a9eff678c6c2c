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
}

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
  readonly #logger: Logger;
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
    return new MediaWorkerPool(entries, logger);
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

  private constructor(entries: PoolEntry[], logger: Logger) {
    super();
    this.#entries = entries;
    this.#logger = logger;
    for (const entry of entries) {
      entry.worker.on('died', (error) => {
        entry.alive = false;
        this.#logger.error({ worker: entry.index, pid: entry.worker.pid, err: error }, 'media worker died');
        this.emit('workerdied', { index: entry.index, pid: entry.worker.pid, error });
      });
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** A router on the least-loaded live worker. */
  async createRouter(appData: Record<string, unknown>): Promise<RouterPlacement> {
    if (this.#closed) throw new Error('media worker pool is closed');
    const live = this.#entries.filter((e) => e.alive);
    const entry = live.sort((a, b) => a.routers - b.routers || a.index - b.index)[0];
    if (!entry) throw new Error('no live media worker');
    const router = await entry.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData });
    entry.routers += 1;
    router.observer.once('close', () => {
      entry.routers -= 1;
    });
    return { router, webRtcServer: entry.webRtcServer, workerIndex: entry.index };
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
    this.removeAllListeners();
  }
}
