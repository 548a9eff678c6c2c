import { Router, type Request } from 'express';
import type { z } from 'zod';
import { connectivitySchemas, type ConnectivityService } from '../../connectivity';
import { AppError } from '../../shared/errors';
import { requireSignedIn } from '../middleware/auth';
import { handle } from './route-helpers';

export interface CheckRoutesDeps {
  readonly connectivity: ConnectivityService;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('check.invalid', 'bad_request', 'That test request is not valid.');
  return parsed.data;
}

const userIdOf = (req: Request): string => {
  if (!req.user) throw new AppError('auth.required', 'unauthenticated');
  return req.user.id;
};

/** Everything but the CSRF token the JSON (or form) body carried. */
function body(req: Request): Record<string, unknown> {
  const { _csrf: _token, ...rest } = (req.body ?? {}) as Record<string, unknown>;
  return rest;
}

/**
 * The pre-call check: a page (camera, microphone, speaker) and the JSON endpoints of its network
 * test. Declared checks: every route needs a signed-in person (any role: clients, therapists and
 * everyone else join sessions); a probe is only ever visible to the person who opened it (the
 * service answers 404 otherwise), and state changes carry the session's CSRF token as a header.
 */
export function checkRoutes(deps: CheckRoutesDeps): Router {
  const router = Router();
  const { connectivity } = deps;
  const probeRef = (req: Request): string => parse(connectivitySchemas.probeId, req.params.probeId);

  router.get('/check', requireSignedIn, (req, res) => {
    res.render('check/check', {
      title: 'Check your camera, microphone and connection',
      relayConfigured: connectivity.relayConfigured(userIdOf(req)),
      sessionPolicy: connectivity.sessionPolicy,
    });
  });

  router.post(
    '/check/probes',
    requireSignedIn,
    handle(async (req, res) => {
      const { mode } = parse(connectivitySchemas.startInput, body(req));
      res.status(201).json(await connectivity.start(userIdOf(req), mode));
    }),
  );

  router.post(
    '/check/probes/:probeId/connect',
    requireSignedIn,
    handle(async (req, res) => {
      const id = probeRef(req);
      const { dtlsParameters } = parse(connectivitySchemas.connectInput, body(req));
      await connectivity.connect(userIdOf(req), id, dtlsParameters);
      res.status(204).end();
    }),
  );

  router.post(
    '/check/probes/:probeId/produce',
    requireSignedIn,
    handle(async (req, res) => {
      const id = probeRef(req);
      const { rtpParameters } = parse(connectivitySchemas.produceInput, body(req));
      res.json(await connectivity.produce(userIdOf(req), id, rtpParameters));
    }),
  );

  router.get(
    '/check/probes/:probeId',
    requireSignedIn,
    handle(async (req, res) => {
      res.json(await connectivity.result(userIdOf(req), probeRef(req)));
    }),
  );

  router.delete('/check/probes/:probeId', requireSignedIn, (req, res) => {
    connectivity.finish(userIdOf(req), probeRef(req));
    res.status(204).end();
  });

  return router;
}
