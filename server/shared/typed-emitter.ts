import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose event names and argument lists are checked by the compiler, in the style of
 * mediasoup's EnhancedEventEmitter: children report upward through typed events.
 */
export class TypedEmitter<Events extends Record<keyof Events, unknown[]>> {
  readonly #emitter = new EventEmitter();

  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /**
   * Listener errors must not break the emitter's caller (a worker event, a socket handler).
   * `rawListeners`, not `listeners`: calling a `once` wrapper is what removes it.
   */
  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    for (const listener of this.#emitter.rawListeners(event)) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch {
        // A listener's failure is its own business; the emitter keeps going.
      }
    }
  }

  protected removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
