import { Router, type Request } from 'express';
import { connectivitySchemas, type ConnectivityService } from '../../connectivity';
import { AppError } from '../../shared/errors';
import { requireSignedIn } from '../middleware/auth';
import { endpoint } from './endpoint';

export interface CheckRoutesDeps {
  readonly connectivity: ConnectivityService;
}

const userIdOf = (req: Request): string => {
  if (!req.user) throw new AppError('auth.required', 'unauthenticated');
  return req.user.id;
};

const probeRoute = { probeId: connectivitySchemas.probeId };

/**
 * The pre-call check: a page (camera, microphone, speaker) and the JSON endpoints of its network
 * test. Declared checks: every route needs a signed-in person (any role: clients, therapists and
 * everyone else join sessions); a probe is only ever visible to the person who opened it (the
 * service answers 404 otherwise), and state changes carry the session's CSRF token as a header.
 */
export function checkRoutes(deps: CheckRoutesDeps): Router {
  const router = Router();
  const { connectivity } = deps;

  router.get(
    '/check',
    requireSignedIn,
    endpoint({}, (_input, req, res) => {
      res.render('check/check', {
        relayConfigured: connectivity.relayConfigured(userIdOf(req)),
        sessionPolicy: connectivity.sessionPolicy,
      });
    }),
  );

  router.post(
    '/check/probes',
    requireSignedIn,
    // The feature's strict schemas: a caller cannot add an address, a port or anything else.
    endpoint({ body: connectivitySchemas.startInput }, async ({ body }, req, res) => {
      res.status(201).json(await connectivity.start(userIdOf(req), body.mode));
    }),
  );

  router.post(
    '/check/probes/:probeId/connect',
    requireSignedIn,
    endpoint(
      { params: probeRoute, body: connectivitySchemas.connectInput },
      async ({ params, body }, req, res) => {
        await connectivity.connect(userIdOf(req), params.probeId, body.dtlsParameters);
        res.status(204).end();
      },
    ),
  );

  router.post(
    '/check/probes/:probeId/produce',
    requireSignedIn,
    endpoint(
      { params: probeRoute, body: connectivitySchemas.produceInput },
      async ({ params, body }, req, res) => {
        res.json(await connectivity.produce(userIdOf(req), params.probeId, body.rtpParameters));
      },
    ),
  );

  router.get(
    '/check/probes/:probeId',
    requireSignedIn,
    endpoint({ params: probeRoute }, async ({ params }, req, res) => {
      res.json(await connectivity.result(userIdOf(req), params.probeId));
    }),
  );

  router.delete(
    '/check/probes/:probeId',
    requireSignedIn,
    endpoint({ params: probeRoute }, ({ params }, req, res) => {
      connectivity.finish(userIdOf(req), params.probeId);
      res.status(204).end();
    }),
  );

  return router;
}
