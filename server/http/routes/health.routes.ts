import { Router } from 'express';

/** A dependency `/readyz` asks about (the database now; media workers later). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

/**
 * `/healthz`: the process is up (for a restart policy). `/readyz`: it can do its job (for a load
 * balancer or the container healthcheck); 503 with the failing parts named when not.
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async (c) => [c.name, await c.check().catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing'])),
    });
  });
  return router;
}
