/**
 * A background job's heartbeat: one pass as soon as it starts, then the next pass `intervalMs`
 * after the previous one ended (so a slow pass never overlaps the next), until stopped. The mail
 * sender, the reminder job and the retention purge share it, so the start/stop/overlap rules are
 * written once: a pass asked for while one runs joins that one; `stop()` waits for it to finish, so
 * shutdown never cuts a transaction in half.
 */
export class PollingLoop<T> {
  readonly #pass: () => Promise<T>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<T> | null = null;
  #stopped = true;

  constructor(options: {
    /** The work of one pass. */
    pass: () => Promise<T>;
    intervalMs: number;
    /** A failed pass is reported here (the loop carries on: the next pass retries). */
    onError: (error: unknown) => void;
  }) {
    this.#pass = options.pass;
    this.#intervalMs = options.intervalMs;
    this.#onError = options.onError;
  }

  /** Starts polling (a pass now); idempotent. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for a pass in progress (its failure is not rethrown); idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** One pass now, or the one already running; safe to call whether or not the loop is started. */
  runOnce(): Promise<T> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.runOnce()
        .catch((error: unknown) => this.#onError(error))
        .finally(() => this.#schedule(this.#intervalMs));
    }, delayMs);
    // A pending poll must not keep the process alive (tests, CLI commands, shutdown).
    this.#timer.unref();
  }
}
