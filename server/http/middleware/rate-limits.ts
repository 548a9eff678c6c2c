import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../../shared/errors';

const WINDOW_MS = 15 * 60_000;

export interface AuthLimiters {
  /** Every POST to sign-in, sign-up, reset and two-factor, counted per client IP (req.ip). */
  readonly perIp: RequestHandler;
  /** Failed attempts per account: the email in the form, or the person half-way through 2FA. */
  readonly perAccount: RequestHandler;
  /** Every request that mails an address (password reset), so nobody can flood someone's inbox. */
  readonly mailsPerAccount: RequestHandler;
}

function tooMany(): AppError {
  return new AppError(
    'auth.too_many_attempts',
    'too_many_requests',
    'Too many attempts. Please wait 15 minutes and try again.',
  );
}

/** The key for "this account": a normalised email address, or the user id awaiting a second factor. */
function accountKey(req: Request): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  if (typeof body?.email === 'string' && body.email.trim() !== '')
    return `email:${body.email.trim().toLowerCase()}`;
  const pending = req.session?.pending?.userId ?? (req.user ? req.user.id : undefined);
  return pending ? `user:${pending}` : null;
}

/**
 * express-rate-limit. `req.ip` is only as trustworthy as express's `trust proxy` (set explicitly
 * from TRUST_PROXY): with `false` the X-Forwarded-For header is ignored entirely, and with a hop
 * count only the entries our own proxies appended count, so a forged header buys no fresh attempts.
 * In-memory counters: one Haven process per clinic.
 */
export function authLimiters(options: { perIp: number; perAccount: number }): AuthLimiters {
  const handler: RequestHandler = (_req, _res, next) => next(tooMany());
  const perIp = rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler,
    // The header check warns when X-Forwarded-For arrives while trust proxy is off: that is exactly
    // the forged-header case we deliberately ignore, not a misconfiguration.
    validate: { xForwardedForHeader: false },
  });
  const perAccount = rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perAccount,
    standardHeaders: false,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    skip: (req) => accountKey(req) === null,
    keyGenerator: (req) => accountKey(req) ?? 'none',
    handler,
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
  });
  const mailsPerAccount = rateLimit({
    windowMs: WINDOW_MS,
    limit: Math.min(options.perAccount, 5),
    standardHeaders: false,
    legacyHeaders: false,
    skip: (req) => accountKey(req) === null,
    keyGenerator: (req) => `mail:${accountKey(req) ?? 'none'}`,
    handler,
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
  });
  return { perIp, perAccount, mailsPerAccount };
}
