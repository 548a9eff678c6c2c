/**
 * Work that must not run on the request path: queued by a service, started only after the current
 * turn of the event loop (so the answer is on its way first), run one task at a time. In memory on
 * purpose: losing a task with the process costs a person one more click (ask for the email again),
 * and `idle()` on shutdown lets the queue finish before the database closes.
 *
 * Why it exists: a password-reset request for a registered address writes a token, an email and an
 * audit row, for an unknown one nothing; doing that work while the visitor waits told them which
 * addresses have accounts (issue 16). Queued here, both answers cost the same.
 */
export class DeferredWork {
  readonly #onError: (error: unknown) => void;
  readonly #maxQueued: number;
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;

  constructor(options: { onError: (error: unknown) => void; maxQueued?: number }) {
    this.#onError = options.onError;
    this.#maxQueued = options.maxQueued ?? 1_000;
  }

  /**
   * Queues a task. Returns false (and drops it) when `maxQueued` tasks already wait: the request
   * limiters keep the queue short, and an answer must never wait for room in it.
   */
  defer(task: () => Promise<void>): boolean {
    if (this.#queued >= this.#maxQueued) {
      this.#onError(new Error('deferred work queue is full; a task was dropped'));
      return false;
    }
    this.#queued += 1;
    this.#tail = this.#tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#queued -= 1;
      });
    return true;
  }

  /** Resolves once every task queued so far has run (tests; shutdown before the database closes). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#tail;
      await seen;
    } while (seen !== this.#tail);
  }

  /** Tasks queued and not yet finished. */
  get queued(): number {
    return this.#queued;
  }
}
