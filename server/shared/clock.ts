/** Time as a port, so tests can move it (idle timeouts, reminders, retry backoff). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set and advance by hand. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
  }
}
