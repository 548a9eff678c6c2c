import { Router } from 'express';
import { ROLES, type AccountsService } from '../../accounts';
import { auditQueryFrom, type AdminServices } from '../../admin';
import type { ClinicalServices } from '../../clinical';
import { problemsTextFor } from '../error-words';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { adminLanguagesRoutes } from './admin-languages.routes';
import { adminTranslationsRoutes } from './admin-translations.routes';
import { adminPeopleRoutes } from './admin-people.routes';
import { adminSettingsRoutes, brandingLocals, brandingRoutes } from './admin-settings.routes';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf } from './route-helpers';

export interface AdminRoutesDeps {
  readonly admin: AdminServices;
  readonly accounts: AccountsService;
  readonly clinical: ClinicalServices;
}

export { brandingLocals, brandingRoutes };

/** The audit trail's filters (auditQueryFrom decides what they mean). */
const AUDIT_FILTERS = {
  person: fields.text(),
  client: fields.text(),
  action: fields.text(),
  from: fields.text(),
  to: fields.text(),
  page: fields.text(10),
};

/**
 * The admin console (issue 9): overview, clinic settings, people, audit trail, outbox. Everything
 * under /admin is for admins only; a deactivated admin's session finds no user, so they get nothing.
 */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  const { admin } = deps;
  const onlyAdmins = requireRole('admin');

  router.get(
    '/admin',
    onlyAdmins,
    endpoint({}, async (_input, req, res) => {
      res.render('admin/overview', {
        overview: await admin.overview.get(actorOf(req)),
      });
    }),
  );

  /** The Haven nodes sharing the database: alive or not, load, people connected (counts only). */
  router.get(
    '/admin/nodes',
    onlyAdmins,
    endpoint({}, async (_input, req, res) => {
      // Invited guests (no account, no role) are counted as guests.
      res.render('admin/nodes', { view: await admin.nodes.get(actorOf(req)), roles: [...ROLES, 'guest'] });
    }),
  );

  router.use(adminSettingsRoutes(deps));
  router.use(adminLanguagesRoutes(deps));
  router.use(adminTranslationsRoutes(deps));
  router.use(adminPeopleRoutes(deps));

  router.get(
    '/admin/audit',
    onlyAdmins,
    endpoint({ query: AUDIT_FILTERS }, async ({ query: filters }, req, res) => {
      const query = auditQueryFrom(filters);
      const result = await admin.auditViewer.page(actorOf(req), query);
      res.status(Object.keys(result.errors).length ? 400 : 200).render('admin/audit', {
        ...result,
        errors: problemsTextFor(res, result.errors),
        verification: await admin.auditViewer.lastVerification(),
        search: new URLSearchParams(
          Object.entries(query).filter(
            (e): e is [string, string] => e[0] !== 'page' && typeof e[1] === 'string',
          ),
        ).toString(),
      });
    }),
  );

  /** The same filter as the page, as a CSV file (streamed: the trail can be long). */
  router.get(
    '/admin/audit/export.csv',
    onlyAdmins,
    endpoint({ query: AUDIT_FILTERS }, async ({ query }, req, res) => {
      const rows = admin.auditViewer.csv(actorOf(req), auditQueryFrom(query));
      // The first step validates the query and records the export, before any header is sent.
      const first = await rows.next();
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="haven-audit.csv"');
      if (!first.done) res.write(first.value);
      for await (const line of rows) {
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    }),
  );

  router.post(
    '/admin/audit/verify',
    onlyAdmins,
    endpoint({}, async (_input, req, res) => {
      const result = await admin.auditViewer.verifyNow(actorOf(req));
      const t = pageT(res);
      const number = res.locals.number as (n: number) => string;
      // The chain's own problem (which row, which hash) is for an operator and stays as it is.
      req.session.flash = result.ok
        ? t('admin:audit.flash.intact', { count: result.rowsChecked, n: number(result.rowsChecked) })
        : t('admin:audit.flash.broken', { problem: result.problem });
      res.redirect(303, '/admin/audit');
    }),
  );

  router.get(
    '/admin/outbox',
    onlyAdmins,
    endpoint({ query: { status: fields.text() } }, async ({ query }, req, res) => {
      res.render('admin/outbox', {
        ...(await admin.outbox.list(actorOf(req), query.status)),
      });
    }),
  );

  router.post(
    '/admin/outbox/:messageId/retry',
    onlyAdmins,
    endpoint({ params: { messageId: fields.id } }, async ({ params }, req, res) => {
      await admin.outbox.retry(actorOf(req), params.messageId);
      req.session.flash = pageT(res)('admin:outbox.flash.requeued');
      res.redirect(303, '/admin/outbox?status=failed');
    }),
  );

  return router;
}
