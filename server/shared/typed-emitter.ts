import { EventEmitter } from 'node:events';
import type { Logger } from './logger';

/** Every emitter also reports a listener that threw: which event, and what it threw. */
export interface ListenerErrorEvents {
  listenererror: [event: string, error: unknown];
}

type AllEvents<Events> = Events & ListenerErrorEvents;

/**
 * An EventEmitter whose event names and argument lists are checked by the compiler, in the style of
 * mediasoup's EnhancedEventEmitter: children report upward through typed events.
 *
 * A listener that throws must not break the emitter's caller (a worker event, a socket handler) nor
 * the listeners after it, and must not vanish either: like mediasoup's `safeEmit`, the error is
 * logged and emitted again as `listenererror` (whose own listeners' failures are only logged).
 */
export class TypedEmitter<Events extends Record<keyof Events, unknown[]>> {
  readonly #emitter = new EventEmitter();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<K extends keyof AllEvents<Events> & string>(
    event: K,
    listener: (...args: AllEvents<Events>[K]) => void,
  ): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof AllEvents<Events> & string>(
    event: K,
    listener: (...args: AllEvents<Events>[K]) => void,
  ): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof AllEvents<Events> & string>(
    event: K,
    listener: (...args: AllEvents<Events>[K]) => void,
  ): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Calls every listener; one that throws is logged and reported as `listenererror`. */
  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    for (const error of this.#callEach(event, args)) {
      this.#logger.error({ err: error, event }, 'an event listener failed');
      for (const nested of this.#callEach('listenererror', [event, error])) {
        this.#logger.error({ err: nested, event: 'listenererror' }, 'a listenererror listener failed');
      }
    }
  }

  protected removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }

  /**
   * Calls each listener of `event` in turn and returns what the ones that threw threw.
   * `rawListeners`, not `listeners`: calling a `once` wrapper is what removes it.
   */
  #callEach(event: string, args: readonly unknown[]): unknown[] {
    const errors: unknown[] = [];
    for (const listener of this.#emitter.rawListeners(event)) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}
