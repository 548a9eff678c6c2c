/**
 * A token bucket per socket and kind of event: `capacity` events at once, refilled at `perSecond`.
 * Cheap enough to run on every event; time comes from the caller so tests need not sleep.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  #tokens: number;
  #last: number;

  constructor(capacity: number, perSecond: number, now: number) {
    this.#capacity = capacity;
    this.#perMs = perSecond / 1000;
    this.#tokens = capacity;
    this.#last = now;
  }

  take(now: number): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export type LimitKind = 'signal' | 'chat' | 'join';

/** Per-socket limits. Media negotiation is bursty at the start of a call, chat is human-paced. */
export const LIMITS: Record<LimitKind, { capacity: number; perSecond: number }> = {
  signal: { capacity: 60, perSecond: 20 },
  chat: { capacity: 8, perSecond: 1 },
  join: { capacity: 5, perSecond: 0.5 },
};

/** After this many refused events in a row the socket is disconnected: it is not a person typing. */
export const FLOOD_DISCONNECT_AFTER = 100;

export class SocketLimiter {
  readonly #buckets: Record<LimitKind, TokenBucket>;
  #refusedInARow = 0;

  constructor(now: number = Date.now()) {
    this.#buckets = {
      signal: new TokenBucket(LIMITS.signal.capacity, LIMITS.signal.perSecond, now),
      chat: new TokenBucket(LIMITS.chat.capacity, LIMITS.chat.perSecond, now),
      join: new TokenBucket(LIMITS.join.capacity, LIMITS.join.perSecond, now),
    };
  }

  /** True if the event may proceed. Every event also spends from the general `signal` bucket. */
  allow(kind: LimitKind, now: number = Date.now()): boolean {
    const ok = this.#buckets.signal.take(now) && (kind === 'signal' || this.#buckets[kind].take(now));
    this.#refusedInARow = ok ? 0 : this.#refusedInARow + 1;
    return ok;
  }

  get flooding(): boolean {
    return this.#refusedInARow >= FLOOD_DISCONNECT_AFTER;
  }
}
