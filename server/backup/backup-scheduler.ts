import type { Logger } from '../shared/logger';
import type { BackupService } from './backup.service';

export interface BackupSchedulerTiming {
  /** Length of an hour (tests shorten it). */
  readonly hourMs: number;
  /** Let start-up (and a pre-migration backup) settle before an overdue backup runs. */
  readonly firstRunDelayMs: number;
}

const DEFAULT_TIMING: BackupSchedulerTiming = { hourMs: 3_600_000, firstRunDelayMs: 60_000 };

/**
 * Runs a backup every BACKUP_INTERVAL_HOURS inside the server. The next run is counted from the
 * newest backup on disk, not from process start, so frequent restarts cannot postpone backups
 * forever. A failed backup is logged and retried after an hour (or the interval, if shorter).
 */
export class BackupScheduler {
  readonly #service: BackupService;
  readonly #logger: Logger;
  readonly #timing: BackupSchedulerTiming;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(service: BackupService, logger: Logger, timing: BackupSchedulerTiming = DEFAULT_TIMING) {
    this.#service = service;
    this.#logger = logger;
    this.#timing = timing;
  }

  start(): void {
    const intervalMs = this.#service.config.intervalHours * this.#timing.hourMs;
    if (intervalMs <= 0) return;
    this.#stopped = false;
    void this.#service.list().then(
      (entries) => {
        const newest = entries[0]?.takenAt.getTime() ?? 0;
        this.#schedule(Math.max(this.#timing.firstRunDelayMs, newest + intervalMs - Date.now()));
      },
      (error: unknown) => {
        this.#logger.error({ err: error }, 'cannot read the backup directory');
        this.#schedule(this.#timing.firstRunDelayMs);
      },
    );
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    // Node timers cannot wait longer than 2^31-1 ms; a long wait re-checks on the way.
    this.#timer = setTimeout(() => this.#tick(), Math.min(delayMs, 2 ** 31 - 1));
    this.#timer.unref();
  }

  #tick(): void {
    const intervalMs = this.#service.config.intervalHours * this.#timing.hourMs;
    this.#running = this.#service.backup('scheduled').then(
      () => this.#schedule(intervalMs),
      (error: unknown) => {
        this.#logger.error({ err: error }, 'scheduled backup failed');
        this.#schedule(Math.min(this.#timing.hourMs, intervalMs));
      },
    );
  }

  /** Stops scheduling and waits for a backup in progress to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
