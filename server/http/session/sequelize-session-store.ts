import type { Request } from 'express';
import session, { type SessionData } from 'express-session';
import { sessionKeyOf, type SessionRepository } from '../../accounts';
import type { Clock } from '../../shared/clock';
import { handSessionPersonTo, tagSessionData } from './session-person';

export interface SessionStoreOptions {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * A request that changes nothing in the session moves its idle deadline, but writing that on every
 * request cost an UPDATE and an fsync per page. The deadline is written at most this often, so a
 * session signs out between `idleMs − 1 minute` and `idleMs` after the last request: exact to
 * the minute, and never later than the setting.
 */
export const IDLE_WRITE_EVERY_MS = 60_000;

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * express-session's store on our own `sessions` table (so restarts keep people signed in), keyed by
 * SHA-256 of the session id. Expiry is decided here with the injected clock, which is what makes the
 * idle (no request for `idleMs`) and absolute (`absoluteMs` after the session began) timeouts
 * testable with a FakeClock: a read past either deadline deletes the row and finds nothing.
 */
export class SequelizeSessionStore extends session.Store {
  readonly #repo: SessionRepository;
  readonly #clock: Clock;
  readonly #options: SessionStoreOptions;
  #lastPrune = 0;

  constructor(repo: SessionRepository, clock: Clock, options: SessionStoreOptions) {
    super();
    this.#repo = repo;
    this.#clock = clock;
    this.#options = options;
  }

  #expiresAt(sess: SessionData, now: Date): Date {
    const idle = now.getTime() + this.#options.idleMs;
    const started = typeof sess.startedAt === 'number' ? sess.startedAt : now.getTime();
    return new Date(Math.min(idle, started + this.#options.absoluteMs));
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.#repo
      .read(sessionKeyOf(sid), this.#clock.now())
      .then((row) => {
        if (row === null) return callback(null, null);
        const data = { ...(JSON.parse(row.data) as SessionData), storeWrittenAt: row.lastSeenAt.getTime() };
        tagSessionData(data, row.user);
        callback(null, data);
      })
      .catch((error: unknown) => callback(error));
  }

  /** express-session builds the request's session from what `get` returned: the person goes along. */
  override createSession(req: Request, data: SessionData): session.Session & SessionData {
    handSessionPersonTo(req, data);
    return super.createSession(req, data);
  }

  /** Abandoned sessions are never read again, so expired rows are swept now and then on a write. */
  #maybePrune(now: Date): void {
    if (now.getTime() - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now.getTime();
    this.#repo.pruneExpired(now).catch(() => undefined);
  }

  override set(sid: string, sess: SessionData, callback?: Callback): void {
    const now = this.#clock.now();
    this.#maybePrune(now);
    const { storeWrittenAt: _written, ...data } = sess;
    this.#repo
      .write({
        key: sessionKeyOf(sid),
        userId: sess.passport?.user ?? null,
        // Stamp the start on first save, so the absolute timeout cannot slide.
        data: JSON.stringify({ ...data, startedAt: sess.startedAt ?? now.getTime() }),
        now,
        expiresAt: this.#expiresAt(sess, now),
        ip: sess.meta?.ip ?? null,
        userAgent: sess.meta?.userAgent ?? null,
      })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  /** Called for a request that changed nothing: moves the idle deadline, at most once a minute. */
  override touch(sid: string, sess: SessionData, callback?: Callback): void {
    const now = this.#clock.now();
    if (sess.storeWrittenAt !== undefined && now.getTime() - sess.storeWrittenAt < IDLE_WRITE_EVERY_MS) {
      callback?.();
      return;
    }
    this.#repo
      .touch(sessionKeyOf(sid), now, this.#expiresAt(sess, now))
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.#repo
      .destroy(sessionKeyOf(sid))
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }
}
