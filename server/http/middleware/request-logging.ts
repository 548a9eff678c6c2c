import type { IncomingMessage } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Logger } from '../../shared/logger';
import { requestIdFor } from './request-id';

/**
 * Paths can carry secrets (reset and invitation tokens, calendar-feed keys) and query strings can
 * carry anything, so logs get the path with long opaque segments masked and no query string.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPAQUE = /[A-Za-z0-9_-]{20,}/;

export function loggablePath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  // Record ids (UUIDs) are not secrets and help operators; long random strings (tokens) are.
  return path
    .split('/')
    .map((segment) =>
      OPAQUE.test(segment) && !UUID.test(segment) && !/^[a-z-]+$/.test(segment) ? ':token' : segment,
    )
    .join('/');
}

export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestIdFor,
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    // The serializers get node's own request and response. pino-http's default wraps them in
    // pino-std-serializers' fuller copies first (every header, the query, the remote address) only
    // for these to pick three fields out again: the same lines, without that copy per request.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggablePath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // Health probes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
