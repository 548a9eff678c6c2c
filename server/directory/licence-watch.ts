import type { Logger } from '../shared/logger';

/** What the watch needs: the directory's once-per-licence-period expiry warning. */
export interface LicenceWarner {
  warnExpiringLicences(): Promise<number>;
}

/**
 * Runs the licence-expiry warning shortly after start and then every few hours. The warning itself
 * is idempotent (remembered per expiry date, and the outbox keys are unique), so running it often,
 * after a restart or from two processes costs nothing and misses no day.
 */
export class LicenceWatch {
  readonly #warner: LicenceWarner;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #firstDelayMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(warner: LicenceWarner, logger: Logger, intervalMs = 6 * 3_600_000, firstDelayMs = 5_000) {
    this.#warner = warner;
    this.#logger = logger;
    this.#intervalMs = intervalMs;
    this.#firstDelayMs = firstDelayMs;
  }

  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.#running ??= this.#warner
        .warnExpiringLicences()
        .then((count) => {
          if (count > 0) this.#logger.info({ count }, 'licence expiry warnings queued');
        })
        .catch((error: unknown) => this.#logger.error({ err: error }, 'licence expiry check failed'))
        .finally(() => {
          this.#running = null;
        });
    };
    this.#timer = setTimeout(() => {
      tick();
      this.#timer = setInterval(tick, this.#intervalMs);
      this.#timer.unref();
    }, this.#firstDelayMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a check in progress; idempotent. */
  async stop(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      clearInterval(this.#timer);
      this.#timer = null;
    }
    await this.#running;
  }
}
