import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ACCEPTABLE = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Every request gets an id, echoed as `X-Request-Id` and attached to its log lines, so a user's
 * "something went wrong (ref …)" leads an operator to the right log entry. A well-formed id from a
 * trusted proxy is kept; anything else is replaced, so log lines cannot be forged through the header.
 */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
