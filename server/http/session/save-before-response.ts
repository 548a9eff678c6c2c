import type { RequestHandler, Response } from 'express';
import type { Session } from 'express-session';

/**
 * express-session's own measure of "changed": the session's JSON without its cookie. The same string
 * as its replacer-function form (own enumerable properties, in order, `cookie` left out at the top),
 * without a call per property: this runs twice on every request.
 */
function fingerprint(session: Session | undefined): string | null {
  if (!session) return null;
  const { cookie: _cookie, ...data } = session;
  return JSON.stringify(data);
}

/**
 * Stores a changed session before the response starts, not while it is being sent.
 *
 * express-session saves at `res.end`, but it sends the headers and all but the last byte of the
 * body first and holds only that last byte back until the store answers. A browser does not wait
 * for it: it follows a redirect as soon as the headers arrive, and a person (or Playwright) can
 * submit a form that has rendered. When the store is slow (SQLite under load) that next request
 * reads the session as it was before: the flash message or the fresh recovery codes a POST put
 * there are missing after the redirect (and show up a page later), and a just-issued CSRF token is
 * unknown, so the form's POST gets 403. Saving first costs nothing extra — express-session sees the
 * session saved and does not write it again — and no byte leaves before the session is stored.
 * Streaming responses (res.write before end) are left as they were: their headers are already out.
 */
export function saveSessionBeforeResponse(): RequestHandler {
  return (req, res, next) => {
    const before = fingerprint(req.session);
    const idBefore = req.sessionID;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = function endAfterSave(...args: unknown[]): Response {
      const session = req.session;
      const changed = !!session && (req.sessionID !== idBefore || fingerprint(session) !== before);
      if (!changed || res.headersSent) return end(...args);
      session.save((error?: unknown) => {
        // express-session's own save at end will try again and report a store failure its way.
        if (error) req.log?.warn({ err: error }, 'session save before response failed');
        end(...args);
      });
      return res;
    } as Response['end'];
    next();
  };
}
