import type { Logger } from '../shared/logger';
import { MediaRoom } from './media-room';
import { MediaWorkerPool, type MediaPoolStats } from './media-worker-pool';
import type { MediaPoolOptions, WorkerHealth } from './media.types';

/**
 * The media layer as the rest of Haven sees it (the rooms feature receives it as its MediaPort):
 * rooms by id, created on the least-loaded worker on first use, and worker health for `/readyz`.
 */
export class MediaService {
  readonly #pool: MediaWorkerPool;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, Promise<MediaRoom>>();
  #closed = false;

  static async create(options: MediaPoolOptions, logger: Logger): Promise<MediaService> {
    const mediaLogger = logger.child({ component: 'media' });
    const pool = await MediaWorkerPool.create(options, mediaLogger);
    return new MediaService(pool, mediaLogger);
  }

  private constructor(pool: MediaWorkerPool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  get pool(): MediaWorkerPool {
    return this.#pool;
  }

  /** The room's media, created on first call; concurrent callers share one router. */
  room(roomId: string): Promise<MediaRoom> {
    if (this.#closed) return Promise.reject(new Error('media service is closed'));
    let pending = this.#rooms.get(roomId);
    if (!pending) {
      pending = this.#pool
        .createRouter({ roomId })
        .then((placement) => MediaRoom.create(placement, this.#logger));
      this.#rooms.set(roomId, pending);
      pending.then(
        (room) => room.on('close', () => this.#forget(roomId, pending)),
        () => this.#forget(roomId, pending),
      );
    }
    return pending;
  }

  /** The room's media if it exists; never creates one. */
  async existingRoom(roomId: string): Promise<MediaRoom | null> {
    const pending = this.#rooms.get(roomId);
    if (!pending) return null;
    const room = await pending.catch(() => null);
    return room && !room.closed ? room : null;
  }

  async closeRoom(roomId: string): Promise<void> {
    const room = await this.existingRoom(roomId);
    room?.close();
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  health(): Promise<WorkerHealth[]> {
    return this.#pool.health();
  }

  /** True when every worker answers. */
  async healthy(): Promise<boolean> {
    const workers = await this.health();
    return workers.length > 0 && workers.every((w) => w.alive);
  }

  /**
   * For `/readyz`: `ok` when every worker answers, `degraded` while some slot is dead (it is being
   * replaced; rooms move to the live ones), `failing` when none answers (no live session can run).
   */
  async readiness(): Promise<'ok' | 'degraded' | 'failing'> {
    const workers = await this.health();
    const alive = workers.filter((w) => w.alive).length;
    if (alive === 0) return 'failing';
    return alive === workers.length ? 'ok' : 'degraded';
  }

  /** Worker counts and how many died / were replaced since start (no pids: `/readyz` is public). */
  stats(): MediaPoolStats & { rooms: number } {
    return { ...this.#pool.stats(), rooms: this.#rooms.size };
  }

  /** What the node registry announces: live rooms, their consumers, and the workers' CPU. */
  async load(): Promise<{ rooms: number; consumers: number; workerCpu: number }> {
    const rooms = await Promise.all([...this.#rooms.values()].map((r) => r.catch(() => null)));
    const live = rooms.filter((room): room is MediaRoom => room !== null && !room.closed);
    return {
      rooms: live.length,
      consumers: live.reduce((sum, room) => sum + room.consumerCount, 0),
      workerCpu: await this.#pool.cpuSinceLastSample(),
    };
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rooms.clear();
    this.#pool.close();
  }

  #forget(roomId: string, pending: Promise<MediaRoom> | undefined): void {
    if (this.#rooms.get(roomId) === pending) this.#rooms.delete(roomId);
  }
}
