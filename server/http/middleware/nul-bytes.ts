import type { RequestHandler } from 'express';
import { AppError, phrase } from '../../shared/errors';

/** True if any key or string value in a parsed query or body holds U+0000 (walked without recursion). */
function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/**
 * No request carries a NUL character past this point. No form or link ever sends one; SQLite cuts
 * an inlined statement at it ("unrecognized token") and PostgreSQL refuses it in text, so it could
 * only ever turn a request into a server error. A path with one names no page (404); a query or
 * body with one is a bad request (400). Route declarations refuse it again for each field.
 */
export const refuseNulBytes: RequestHandler = (req, _res, next) => {
  if (req.path.includes('%00') || req.path.includes('\u0000')) {
    return next(new AppError('http.not_found', 'not_found'));
  }
  if (holdsNul(req.query) || holdsNul(req.body)) {
    return next(new AppError('http.nul_byte', 'bad_request', phrase('errors:code.http.nul_byte')));
  }
  next();
};
