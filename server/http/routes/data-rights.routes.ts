import { Router } from 'express';
import type { User } from '../../accounts';
import { ERASURE_CONFIRMATION, type DataRights } from '../../data-rights';
import { AppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { exportLimitSpec, limiter, type LimitStores } from '../middleware/limits';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf } from './route-helpers';
import { errorTextFor } from '../error-words';

export interface DataRightsRoutesDeps {
  readonly dataRights: DataRights;
  readonly people: { byId(id: string): Promise<User | null> };
  /** CLINICAL_RETENTION_YEARS, told to the client before they ask for erasure. */
  readonly retentionYears: number;
  /** Exports per client per hour (default 5): an export decrypts the whole record. */
  readonly exportsPerHour?: number;
  /** Where the limiter keeps its counters (default: in memory). */
  readonly limitStores?: LimitStores;
}

const client = requireRole('client');
const admin = requireRole('admin');

/**
 * Data rights pages (issue 9): a client's "Your data" page (download the record, ask for erasure)
 * and the admin's erasure queue. Routes parse and call one service; the services check the policy
 * and write the audit rows.
 */
export function dataRightsRoutes(deps: DataRightsRoutesDeps): Router {
  const { dataRights } = deps;
  const router = Router();
  // Counted per signed-in person (never per IP: clients behind one clinic NAT must not share a budget).
  const exportLimit = limiter(exportLimitSpec(deps.exportsPerHour ?? 5), deps.limitStores);

  router.get(
    '/account/data',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const requests = await dataRights.erasure.ofClient(me.id);
      res.render('data-rights/your-data', {
        requests,
        pending: requests.find((r) => r.status === 'pending') ?? null,
        confirmation: ERASURE_CONFIRMATION,
        retentionYears: deps.retentionYears,
        errors: {},
      });
    }),
  );

  router.get(
    '/account/data/export',
    client,
    exportLimit,
    endpoint({}, async (_input, req, res) => {
      const record = await dataRights.exports.export(actorOf(req));
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="${record.filename}"`);
      record.stream.on('error', (error) => res.destroy(error));
      record.stream.pipe(res);
    }),
  );

  router.post(
    '/account/data/erasure',
    client,
    endpoint({ body: { confirm: fields.text() } }, async ({ body }, req, res) => {
      const me = actorOf(req);
      try {
        await dataRights.erasure.request(me, body.confirm ?? '');
      } catch (error) {
        if (error instanceof AppError && (error.kind === 'bad_request' || error.kind === 'conflict')) {
          const requests = await dataRights.erasure.ofClient(me.id);
          res.status(error.status).render('data-rights/your-data', {
            requests,
            pending: requests.find((r) => r.status === 'pending') ?? null,
            confirmation: ERASURE_CONFIRMATION,
            retentionYears: deps.retentionYears,
            errors: { confirm: errorTextFor(res, error) },
          });
          return;
        }
        throw error;
      }
      req.session.flash = pageT(res)('your-data:flash.requested');
      res.redirect(303, '/account/data');
    }),
  );

  router.get(
    '/admin/data-rights',
    admin,
    endpoint({}, async (_input, req, res) => {
      const { pending, decided } = await dataRights.erasure.queue(actorOf(req));
      const names = new Map<string, string>();
      for (const r of [...pending, ...decided]) {
        for (const id of [r.clientId, r.decidedBy]) {
          if (id && !names.has(id)) names.set(id, (await deps.people.byId(id))?.displayName ?? 'Unknown');
        }
      }
      res.render('data-rights/admin-queue', {
        title: 'Data rights',
        pending,
        decided,
        names,
      });
    }),
  );

  for (const decision of ['approve', 'decline'] as const) {
    router.post(
      `/admin/data-rights/:requestId/${decision}`,
      admin,
      endpoint(
        { params: { requestId: fields.id }, body: { reason: fields.text() } },
        async ({ params, body }, req, res) => {
          const id = params.requestId;
          const reason = body.reason ?? '';
          if (decision === 'approve') {
            await dataRights.erasure.approve(actorOf(req), id, reason);
            req.session.flash = 'Erasure approved: the account is closed and the clinical record restricted.';
          } else {
            await dataRights.erasure.decline(actorOf(req), id, reason);
            req.session.flash = 'Erasure request declined.';
          }
          res.redirect(303, '/admin/data-rights');
        },
      ),
    );
  }

  return router;
}
