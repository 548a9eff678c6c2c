import { Router } from 'express';
import { endpoint } from './endpoint';

/**
 * A dependency `/readyz` asks about (the database, the media workers). `check` answers true (ok),
 * false (failing: 503) or `degraded` (still serving, but part of it is down: 200, named in the
 * answer). `details` adds counters an operator wants next to it (nothing personal: it is public).
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean | 'degraded'>;
  details?(): object;
}

/**
 * `/healthz`: the process is up (for a restart policy). `/readyz`: it can do its job (for a load
 * balancer or the container healthcheck); 503 with the failing parts named when not.
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get(
    '/healthz',
    endpoint({}, (_input, _req, res) => {
      // Probes must see the answer of now, never a cached one.
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ok' });
    }),
  );
  router.get(
    '/readyz',
    endpoint({}, async (_input, _req, res) => {
      const results = await Promise.all(
        checks.map(async (c) => {
          const answer = await c.check().catch(() => false as const);
          return [c.name, answer === 'degraded' ? 'degraded' : answer ? 'ok' : 'failing'] as const;
        }),
      );
      const ready = results.every(([, state]) => state !== 'failing');
      const degraded = results.some(([, state]) => state === 'degraded');
      const details = checks.filter((c) => c.details).map((c) => [c.name, c.details?.()] as const);
      res.setHeader('Cache-Control', 'no-store');
      res.status(ready ? 200 : 503).json({
        status: ready ? (degraded ? 'degraded' : 'ready') : 'not_ready',
        checks: Object.fromEntries(results),
        ...(details.length > 0 ? { details: Object.fromEntries(details) } : {}),
      });
    }),
  );
  return router;
}
