import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { INVOICING_MODES, invoiceLabel, type Billing } from '../../billing';
import { isAppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { billingActorOf, moneyLocals } from './billing.routes';
import { formErrorsFor } from '../error-words';

export interface BillingAdminRoutesDeps {
  readonly billing: Billing;
}

const admin = requireRole('admin');

const serviceBody = {
  code: fields.text(40),
  description: fields.text(),
  durationMinutes: fields.text(10),
  fee: fields.text(30),
  role: fields.text(20),
  active: fields.text(10),
};

/** A program's name and one `price_<serviceId>` field per service (empty: the standard fee). */
const programBody = z
  .object({ name: fields.text(), description: fields.text(), active: fields.text(10) })
  .catchall(fields.text(30));

/**
 * The admin side of billing (issue 19): billing settings, the service list and its prices, fee
 * programs, which service each appointment type bills as, invoices' payments, and aged receivables.
 */
export function billingAdminRoutes(deps: BillingAdminRoutesDeps): Router {
  const { billing } = deps;
  const router = Router();

  const renderCatalog = async (
    req: Request,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    /** Which form the errors belong to (settings, a service id, 'new-service', a program id, 'new-program'). */
    form = '',
  ): Promise<void> => {
    const [settings, services, programs, mappings] = await Promise.all([
      billing.catalog.settings(),
      billing.catalog.services(),
      billing.catalog.programs(),
      billing.catalog.typeMappings(),
    ]);
    res.status(status).render('billing/admin', {
      ...(await moneyLocals(billing, req, res)),
      title: pageT(res)('billing:admin.title'),
      settings,
      services,
      programs,
      mappings,
      invoicingModes: INVOICING_MODES,
      errors,
      values,
      form,
    });
  };

  /** Re-renders the catalogue page with a form's problems, or passes the error on. */
  const refuse = async (
    req: Request,
    res: Response,
    error: unknown,
    values: Record<string, unknown>,
    form: string,
  ): Promise<void> => {
    if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === 'string') kept[k] = v;
    await renderCatalog(req, res, 400, formErrorsFor(res, error), kept, form);
  };

  /** Saves one catalogue form: then a flash and back to its section; a bad form is shown again with its problems. */
  const saveForm = async (
    req: Request,
    res: Response,
    body: Record<string, unknown>,
    form: string,
    save: () => Promise<unknown>,
    done: { flashKey: string; section: string },
  ): Promise<void> => {
    try {
      await save();
    } catch (error) {
      await refuse(req, res, error, body, form);
      return;
    }
    req.session.flash = pageT(res)(done.flashKey);
    res.redirect(303, `/admin/billing#${done.section}`);
  };

  router.get(
    '/admin/billing',
    admin,
    endpoint({}, async (_input, req, res) => {
      await renderCatalog(req, res);
    }),
  );

  router.post(
    '/admin/billing/settings',
    admin,
    endpoint(
      {
        body: {
          currency: fields.text(10),
          telehealthModifier: fields.text(10),
          invoicing: fields.text(20),
          paymentTermsDays: fields.text(10),
          chargeLateCancel: fields.text(10),
          chargeNoShow: fields.text(10),
          clinicNpi: fields.text(40),
          taxNumber: fields.text(40),
          address: fields.text(),
          defaultProgramId: fields.optionalId,
        },
      },
      async ({ body }, req, res) => {
        await saveForm(
          req,
          res,
          body,
          'settings',
          () => billing.catalog.saveSettings(billingActorOf(req), body),
          {
            flashKey: 'billing:flash.settingsSaved',
            section: 'settings',
          },
        );
      },
    ),
  );

  router.post(
    '/admin/billing/services',
    admin,
    endpoint({ body: serviceBody }, async ({ body }, req, res) => {
      await saveForm(
        req,
        res,
        body,
        'new-service',
        () => billing.catalog.saveService(billingActorOf(req), null, { ...body, active: 'on' }),
        {
          flashKey: 'billing:flash.serviceAdded',
          section: 'services',
        },
      );
    }),
  );

  router.post(
    '/admin/billing/services/:serviceId',
    admin,
    endpoint({ params: { serviceId: fields.id }, body: serviceBody }, async ({ params, body }, req, res) => {
      await saveForm(
        req,
        res,
        body,
        params.serviceId,
        () => billing.catalog.saveService(billingActorOf(req), params.serviceId, body),
        {
          flashKey: 'billing:flash.serviceSaved',
          section: 'services',
        },
      );
    }),
  );

  router.post(
    '/admin/billing/programs',
    admin,
    endpoint({ body: programBody }, async ({ body }, req, res) => {
      await saveForm(
        req,
        res,
        body,
        'new-program',
        () => billing.catalog.saveProgram(billingActorOf(req), null, body),
        {
          flashKey: 'billing:flash.programAdded',
          section: 'programs',
        },
      );
    }),
  );

  router.post(
    '/admin/billing/programs/:programId',
    admin,
    endpoint({ params: { programId: fields.id }, body: programBody }, async ({ params, body }, req, res) => {
      await saveForm(
        req,
        res,
        body,
        params.programId,
        () => billing.catalog.saveProgram(billingActorOf(req), params.programId, body),
        {
          flashKey: 'billing:flash.programSaved',
          section: 'programs',
        },
      );
    }),
  );

  router.post(
    '/admin/billing/types/:typeId',
    admin,
    endpoint(
      { params: { typeId: fields.id }, body: { serviceId: fields.optionalId } },
      async ({ params, body }, req, res) => {
        await billing.catalog.mapType(billingActorOf(req), params.typeId, body.serviceId || null);
        req.session.flash = pageT(res)('billing:flash.typeMapped');
        res.redirect(303, '/admin/billing#types');
      },
    ),
  );

  router.post(
    '/billing/invoices/:invoiceId/payments',
    admin,
    endpoint(
      {
        params: { invoiceId: fields.id },
        body: {
          kind: fields.text(20),
          method: fields.text(20),
          amount: fields.text(30),
          receivedOn: fields.text(20),
          reference: fields.text(200),
          reason: fields.text(2_000),
        },
      },
      async ({ params, body }, req, res) => {
        const actor = billingActorOf(req);
        try {
          await billing.payments.record(actor, params.invoiceId, {
            ...body,
            method: body.method || undefined,
          });
        } catch (error) {
          if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
          const view = await billing.invoices.view(actor, params.invoiceId);
          res.status(400).render('billing/invoice', {
            ...(await moneyLocals(billing, req, res)),
            title: pageT(res)('billing:invoiceLabel', { label: invoiceLabel(view.invoice.number) }),
            view,
            mayRecord: true,
            own: false,
            errors: formErrorsFor(res, error),
            values: body,
          });
          return;
        }
        req.session.flash = pageT(res)('billing:flash.recorded');
        res.redirect(303, `/billing/invoices/${params.invoiceId}`);
      },
    ),
  );

  router.get(
    '/admin/billing/receivables',
    admin,
    endpoint({}, async (_input, req, res) => {
      const { rows, currency, today } = await billing.payments.receivables(billingActorOf(req));
      res.render('billing/receivables', {
        ...(await moneyLocals(billing, req, res)),
        title: pageT(res)('billing:receivables.title'),
        rows,
        currency,
        today,
      });
    }),
  );

  return router;
}
