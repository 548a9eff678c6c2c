import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { AppError, phrase } from '../../shared/errors';

/**
 * Every request limiter Haven has, in one shape: a name, what it counts by (its key), a window, a
 * limit, and whether every request counts or only failed attempts. A key is read from what the
 * server itself established, never from a field the client chose to send:
 *
 * - `ip`: the client address as express sees it (`req.ip`, which honours TRUST_PROXY only: with
 *   `false` a forged X-Forwarded-For changes nothing). IPv6 addresses count per /56.
 * - `account`: the account the server knows — the signed-in person, or the one whose password was
 *   right and whose second factor is pending (kept in the session). Changing a form's `email`
 *   cannot move an attempt to another counter.
 * - `addressTried`: the one exception, for the doors where nobody is known yet (the password step
 *   of sign-in, asking for a reset email). It is the address the attempt is *against*; sending
 *   another address attacks another account, which that account's counter and the `ip` counter
 *   both see.
 *
 * (Socket events are paced per socket by realtime/rate-limit.ts; pre-call network tests per person
 * by the connectivity service.) Counters live in a `Store`: in memory by default (one Haven
 * process), swappable for a shared one when several nodes serve one clinic.
 */
export type LimitKey = 'ip' | 'account' | 'addressTried';

export interface LimitSpec {
  /** Names the counter (and its store). */
  readonly name: string;
  readonly key: LimitKey;
  readonly windowMs: number;
  readonly limit: number;
  /** `every` request counts, or only `failures` (a status of 400 or more, or `markAttemptFailed`). */
  readonly counts: 'every' | 'failures';
  /** What the person is told once the limit is reached (429). */
  readonly refusal: () => AppError;
  /** Send the RateLimit headers (where the count is the caller's own business: their IP, their exports). */
  readonly headers?: true;
}

/** Makes a counter's store; undefined keeps express-rate-limit's in-memory store. */
export type LimitStores = (name: string) => Store | undefined;

/** How each key is read. Null: the request has no such key, and the limiter lets it pass uncounted. */
export const LIMIT_KEYS: Readonly<Record<LimitKey, (req: Request) => string | null>> = {
  ip: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
  account: (req) => req.user?.id ?? req.session?.pending?.userId ?? null,
  addressTried: (req) => {
    const email = (req.body as Record<string, unknown> | undefined)?.email;
    return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
  },
};

/** The counter a request adds to under `spec` (`name:key`), or null if it is not counted. */
export function limitKeyOf(spec: LimitSpec, req: Request): string | null {
  const key = LIMIT_KEYS[spec.key](req);
  return key === null ? null : `${spec.name}:${key}`;
}

/**
 * For doors that answer a failed attempt with a redirect (a flash message) rather than an error
 * status: counts this request as a failure for `counts: 'failures'` limiters.
 */
export function markAttemptFailed(res: Response): void {
  res.locals.attemptFailed = true;
}

/** The express middleware for one spec. */
export function limiter(spec: LimitSpec, stores?: LimitStores): RequestHandler {
  const store = stores?.(spec.name);
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: spec.headers ? 'draft-8' : false,
    legacyHeaders: false,
    skip: (req) => limitKeyOf(spec, req) === null,
    keyGenerator: (req) => limitKeyOf(spec, req) ?? 'none',
    skipSuccessfulRequests: spec.counts === 'failures',
    requestWasSuccessful: (_req, res) => res.statusCode < 400 && res.locals.attemptFailed !== true,
    handler: (_req, _res, next) => next(spec.refusal()),
    ...(store ? { store } : {}),
    // The header check warns when X-Forwarded-For arrives while trust proxy is off: that is exactly
    // the forged-header case we deliberately ignore, not a misconfiguration.
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
  });
}

const FIFTEEN_MINUTES = 15 * 60_000;

function tooManyAttempts(): AppError {
  return new AppError(
    'auth.too_many_attempts',
    'too_many_requests',
    phrase('errors:code.auth.too_many_attempts'),
  );
}

/** The limits on the doors into an account (AUTH_ATTEMPTS_PER_IP, AUTH_ATTEMPTS_PER_ACCOUNT). */
export function authLimitSpecs(options: { perIp: number; perAccount: number }) {
  return {
    /** Every POST to setup, sign-in, two-factor, sign-up, verification, reset and invitations. */
    perIp: {
      name: 'auth-ip',
      key: 'ip',
      windowMs: FIFTEEN_MINUTES,
      limit: options.perIp,
      counts: 'every',
      refusal: tooManyAttempts,
      headers: true,
    },
    /** Wrong passwords against one address. */
    passwordPerAddress: {
      name: 'password-address',
      key: 'addressTried',
      windowMs: FIFTEEN_MINUTES,
      limit: options.perAccount,
      counts: 'failures',
      refusal: tooManyAttempts,
    },
    /** Wrong second-factor or recovery codes for the account half-way through sign-in, or enrolling. */
    secondFactorPerAccount: {
      name: 'second-factor-account',
      key: 'account',
      windowMs: FIFTEEN_MINUTES,
      limit: options.perAccount,
      counts: 'failures',
      refusal: tooManyAttempts,
    },
    /** Wrong current passwords from a signed-in session (password change, recovery codes, 2FA off). */
    passwordConfirmPerAccount: {
      name: 'password-confirm-account',
      key: 'account',
      windowMs: FIFTEEN_MINUTES,
      limit: options.perAccount,
      counts: 'failures',
      refusal: tooManyAttempts,
    },
    /** Reset emails to one address, so nobody can flood someone's inbox. */
    resetMailsPerAddress: {
      name: 'reset-mail-address',
      key: 'addressTried',
      windowMs: FIFTEEN_MINUTES,
      limit: Math.min(options.perAccount, 5),
      counts: 'every',
      refusal: tooManyAttempts,
    },
  } as const satisfies Record<string, LimitSpec>;
}

export type AuthLimitName = keyof ReturnType<typeof authLimitSpecs>;
export type AuthLimiters = Readonly<Record<AuthLimitName, RequestHandler>>;

/** One middleware per auth limit, one counter each (shared by every route that uses it). */
export function authLimiters(
  options: { perIp: number; perAccount: number },
  stores?: LimitStores,
): AuthLimiters {
  const specs = authLimitSpecs(options);
  const out = {} as Record<AuthLimitName, RequestHandler>;
  for (const [name, spec] of Object.entries(specs) as Array<[AuthLimitName, LimitSpec]>) {
    out[name] = limiter(spec, stores);
  }
  return out;
}

/** Record exports per client (an export decrypts the whole record). */
export function exportLimitSpec(perHour: number): LimitSpec {
  return {
    name: 'export-account',
    key: 'account',
    windowMs: 60 * 60_000,
    limit: perHour,
    counts: 'every',
    headers: true,
    refusal: () =>
      new AppError(
        'data_rights.too_many_exports',
        'too_many_requests',
        phrase('errors:code.data_rights.too_many_exports'),
      ),
  };
}
