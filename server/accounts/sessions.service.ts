import type { Clock } from '../shared/clock';
import type { SessionEvents } from './session-events';
import type { SessionRepository, SessionSummary } from './session.repository';

/** Session housekeeping that other parts of accounts (and the sessions page) ask for. */
export class SessionsService {
  readonly #repo: SessionRepository;
  readonly #events: SessionEvents;
  readonly #clock: Clock;

  constructor(repo: SessionRepository, events: SessionEvents, clock: Clock) {
    this.#repo = repo;
    this.#events = events;
    this.#clock = clock;
  }

  get repository(): SessionRepository {
    return this.#repo;
  }

  get events(): SessionEvents {
    return this.#events;
  }

  list(userId: string): Promise<SessionSummary[]> {
    return this.#repo.listForUser(userId, this.#clock.now());
  }

  /** Ends every session of the user except `exceptKey` (after a password change, the current one stays). */
  async signOutOthers(userId: string, exceptKey?: string): Promise<number> {
    const keys = await this.#repo.destroyForUser(userId, exceptKey);
    for (const key of keys) this.#events.signedOut(userId, key);
    return keys.length;
  }

  /** Ends all of the user's sessions, including the caller's. */
  async signOutEverywhere(userId: string): Promise<number> {
    const keys = await this.#repo.destroyForUser(userId);
    this.#events.signedOut(userId, null);
    return keys.length;
  }

  async signOutOne(userId: string, key: string): Promise<boolean> {
    const removed = await this.#repo.destroyOwn(userId, key);
    if (removed) this.#events.signedOut(userId, key);
    return removed;
  }

  /** Announces that one session ended (the HTTP layer destroys it itself on sign-out). */
  ended(userId: string, key: string): void {
    this.#events.signedOut(userId, key);
  }

  pruneExpired(): Promise<number> {
    return this.#repo.pruneExpired(this.#clock.now());
  }
}
