import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

/**
 * Synchronizer-token CSRF protection (csrf-sync): the token lives in the session and every
 * state-changing request must echo it, as the `_csrf` form field or an `X-CSRF-Token` header
 * (for fetch from our own scripts), or `?_csrf=` on a multipart upload. Without a valid token: 403.
 */
export function csrfProtection(): {
  protect: RequestHandler;
  tokenFor: (req: Request) => string;
} {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      const header = req.headers['x-csrf-token'];
      // A multipart upload (message attachments) is parsed by its route, after this check, so its
      // form names the token in the action URL instead. Safe: logs drop query strings and pages
      // send no Referer.
      const query = req.is('multipart/form-data') ? (req.query as Record<string, unknown>)._csrf : undefined;
      return (
        fromBody ??
        (typeof header === 'string' ? header : undefined) ??
        (typeof query === 'string' ? query : undefined)
      );
    },
    errorConfig: {
      statusCode: 403,
      // Written by the error handler in the reader's language (errors:code.http.csrf_invalid).
      message: 'errors:code.http.csrf_invalid',
      code: 'http.csrf_invalid',
    },
  });
  return { protect: csrfSynchronisedProtection, tokenFor: (req) => generateToken(req) };
}
