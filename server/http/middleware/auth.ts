import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../../accounts';
import { AppError, phrase } from '../../shared/errors';

/**
 * The two guards every feature route uses (the accounts contract):
 *
 *     router.get('/notes/:id', requireSignedIn, handler)
 *     router.post('/admin/x', requireRole('admin'), handler)
 *
 * A visitor asking for a page is sent to sign in (302, and brought back afterwards); any other
 * request from a visitor is 401. A signed-in person without one of the roles gets 403. Finer rules
 * (is this *my* client?) belong in the feature's `<feature>.policy.ts`, called by the handler.
 */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  refuseVisitor(req, res, next);
};

export function requireRole(...roles: Role[]): RequestHandler {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  return (req, res, next) => {
    if (!req.user) return refuseVisitor(req, res, next);
    if (!req.user.roles.some((r) => roles.includes(r))) {
      return next(new AppError('auth.forbidden', 'forbidden'));
    }
    next();
  };
}

function wantsPage(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !!req.accepts('html') && !req.xhr;
}

function refuseVisitor(req: Request, res: Response, next: NextFunction): void {
  if (wantsPage(req)) {
    if (req.session) req.session.returnTo = req.originalUrl;
    res.redirect(302, '/sign-in');
    return;
  }
  next(new AppError('auth.required', 'unauthenticated', phrase('errors:code.auth.required')));
}

/** A same-site path to return to after sign-in, or null (no open redirects). */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return null;
  }
  return value;
}
