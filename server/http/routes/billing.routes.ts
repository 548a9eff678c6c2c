import { Router, type Request, type Response } from 'express';
import {
  billingPolicy,
  ENGLISH_READER,
  formatMoney,
  invoiceLabel,
  PAYMENT_KINDS,
  PAYMENT_METHODS,
  toDecimal,
  type Billing,
  type BillingActor,
  type BillingDocument,
  type DocumentReader,
} from '../../billing';
import { AppError, isAppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

export interface BillingRoutesDeps {
  readonly billing: Billing;
}

/** Everyone with a billing area; peer supporters have none. */
const withBilling = requireRole('client', 'therapist', 'admin');
const therapist = requireRole('therapist');

export function billingActorOf(req: Request): BillingActor {
  if (!req.user) throw new AppError('auth.required', 'unauthenticated');
  return { id: req.user.id, roles: req.user.roles, ip: clientIp(req) };
}

/**
 * Money and labels every billing page formats with: amounts through Intl in the page's locale
 * (the currency stays the clinic's), payment kinds and methods in the page's language.
 */
export async function moneyLocals(
  billing: Billing,
  req: Request,
  res: Response,
): Promise<Record<string, unknown>> {
  const { currency } = await billing.catalog.settings();
  const t = pageT(res);
  const locale = documentReaderOf(req, res).locale;
  return {
    currency,
    money: (minor: number) => formatMoney(minor, currency, locale),
    toDecimal: (minor: number) => toDecimal(minor, currency),
    invoiceLabel,
    kindLabels: Object.fromEntries(PAYMENT_KINDS.map((k) => [k, t(`billing:kind.${k}`)])),
    methodLabels: Object.fromEntries(PAYMENT_METHODS.map((m) => [m, t(`billing:method.${m}`)])),
    paymentKinds: PAYMENT_KINDS,
    paymentMethods: PAYMENT_METHODS.filter((m) => m !== 'online'),
  };
}

/** The reader of a document asked for from a page: that page's language, locale and direction. */
export function documentReaderOf(req: Request, res: Response): DocumentReader {
  return {
    language: req.language ?? ENGLISH_READER.language,
    locale: req.locale ?? ENGLISH_READER.locale,
    dir: res.locals.dir === 'rtl' ? 'rtl' : 'ltr',
  };
}

/** A PDF is health information: an attachment, never cached. */
function sendPdf(res: Response, doc: BillingDocument): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${doc.filename}"`);
  res.send(doc.pdf);
}

const range = { from: fields.text(10), to: fields.text(10) };

/**
 * Billing pages (issue 19) for clients, therapists and admins: a client's own account, a
 * therapist's clients' accounts, invoices and their PDFs, statements, superbills, charge
 * adjustments and the therapist's billing profile. Each handler calls one billing service, which
 * applies the policy (someone else's record is "not found") and writes the audit row.
 */
export function billingRoutes(deps: BillingRoutesDeps): Router {
  const { billing } = deps;
  const router = Router();

  const renderAccount = async (
    req: Request,
    res: Response,
    clientId: string,
    status = 200,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
  ): Promise<void> => {
    const actor = billingActorOf(req);
    const view = await billing.accounts.view(actor, clientId);
    const [services, provider] = await Promise.all([
      billing.catalog.services(),
      actor.roles.includes('therapist') ? billing.catalog.provider(actor.id) : Promise.resolve(null),
    ]);
    const own = actor.id === clientId;
    // The statement and superbill forms start on the whole account, the first to the last date of
    // service, so "download" works at once; what the person typed (an error page) wins.
    const days = view.charges.map((c) => c.dateOfService).sort();
    const period: Record<string, string> =
      days.length === 0
        ? {}
        : {
            statementFrom: days[0]!,
            statementTo: days.at(-1)!,
            superbillFrom: days[0]!,
            superbillTo: days.at(-1)!,
          };
    res.status(status).render('billing/account', {
      ...(await moneyLocals(billing, req, res)),
      title: own
        ? pageT(res)('billing:account.title')
        : pageT(res)('billing:account.titleOf', { name: view.client.displayName }),
      view,
      own,
      services,
      provider,
      mayIssue: billingPolicy.canIssueInvoice(actor, view.facts),
      mayOverride: billingPolicy.canOverrideProgram(actor, view.facts),
      maySetProgram: billingPolicy.canSetDefaultProgram(actor),
      errors,
      values: { ...period, ...values },
    });
  };

  router.get(
    '/billing',
    withBilling,
    endpoint({}, async (_input, req, res) => {
      const actor = billingActorOf(req);
      if (
        actor.roles.includes('client') &&
        !billingPolicy.isAdmin(actor) &&
        !actor.roles.includes('therapist')
      ) {
        await renderAccount(req, res, actor.id);
        return;
      }
      const accounts = await billing.accounts.list(actor);
      res.render('billing/accounts', {
        ...(await moneyLocals(billing, req, res)),
        title: pageT(res)('billing:account.title'),
        accounts,
        isAdmin: billingPolicy.isAdmin(actor),
        isTherapist: actor.roles.includes('therapist'),
      });
    }),
  );

  router.get(
    '/billing/clients/:clientId',
    withBilling,
    endpoint({ params: { clientId: fields.id } }, async ({ params }, req, res) => {
      await renderAccount(req, res, params.clientId);
    }),
  );

  /** Re-renders the account page with the form's problems beside its fields, or passes the error on. */
  const formOnAccount = async (
    req: Request,
    res: Response,
    clientId: string,
    error: unknown,
    values: Record<string, string>,
  ): Promise<void> => {
    if (isAppError(error) && error.kind === 'bad_request') {
      await renderAccount(req, res, clientId, 400, formErrorsFor(res, error), values);
      return;
    }
    throw error;
  };

  router.post(
    '/billing/clients/:clientId/invoices',
    withBilling,
    endpoint({ params: { clientId: fields.id } }, async ({ params }, req, res) => {
      try {
        const invoice = await billing.invoices.issue(billingActorOf(req), params.clientId);
        req.session.flash = pageT(res)('billing:flash.invoiceIssued', {
          label: invoiceLabel(invoice.number),
        });
        res.redirect(303, `/billing/invoices/${invoice.id}`);
      } catch (error) {
        if (isAppError(error) && error.kind === 'conflict') {
          req.session.flash = errorTextFor(res, error);
          res.redirect(303, `/billing/clients/${params.clientId}`);
          return;
        }
        throw error;
      }
    }),
  );

  router.post(
    '/billing/clients/:clientId/override',
    withBilling,
    endpoint(
      { params: { clientId: fields.id }, body: { programId: fields.optionalId, reason: fields.text(2_000) } },
      async ({ params, body }, req, res) => {
        try {
          await billing.accounts.override(billingActorOf(req), params.clientId, body);
        } catch (error) {
          await formOnAccount(req, res, params.clientId, error, { reason: body.reason ?? '' });
          return;
        }
        req.session.flash = pageT(res)(
          body.programId ? 'billing:flash.overrideSaved' : 'billing:flash.overrideRemoved',
        );
        res.redirect(303, `/billing/clients/${params.clientId}`);
      },
    ),
  );

  router.post(
    '/billing/clients/:clientId/program',
    withBilling,
    endpoint(
      { params: { clientId: fields.id }, body: { programId: fields.optionalId } },
      async ({ params, body }, req, res) => {
        await billing.accounts.setProgram(billingActorOf(req), params.clientId, body.programId || null);
        req.session.flash = pageT(res)('billing:flash.programSaved');
        res.redirect(303, `/billing/clients/${params.clientId}`);
      },
    ),
  );

  router.post(
    '/billing/clients/:clientId/details',
    withBilling,
    endpoint(
      {
        params: { clientId: fields.id },
        body: { legalName: fields.text(), dateOfBirth: fields.text(20), address: fields.text() },
      },
      async ({ params, body }, req, res) => {
        try {
          await billing.accounts.saveDetails(billingActorOf(req), params.clientId, body);
        } catch (error) {
          await formOnAccount(req, res, params.clientId, error, {
            legalName: body.legalName ?? '',
            dateOfBirth: body.dateOfBirth ?? '',
            address: body.address ?? '',
          });
          return;
        }
        req.session.flash = pageT(res)('billing:flash.detailsSaved');
        res.redirect(303, `/billing/clients/${params.clientId}`);
      },
    ),
  );

  for (const kind of ['statement', 'superbill'] as const) {
    router.get(
      `/billing/clients/:clientId/${kind}`,
      withBilling,
      endpoint({ params: { clientId: fields.id }, query: range }, async ({ params, query }, req, res) => {
        try {
          sendPdf(
            res,
            await billing.documents[kind](
              billingActorOf(req),
              params.clientId,
              query,
              documentReaderOf(req, res),
            ),
          );
        } catch (error) {
          // A refusal (bad dates, a superbill missing what insurers need) reads no account: it says
          // what is missing, with the way back, and writes nothing.
          if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
          res.status(400).render('billing/document-refused', {
            title: pageT(res)(`billing:refused.${kind}Title`),
            kind,
            clientId: params.clientId,
            message: Object.values(formErrorsFor(res, error)).join(' '),
            own: req.user?.id === params.clientId,
            isTherapist: req.user?.roles.includes('therapist') ?? false,
            isAdmin: req.user?.roles.includes('admin') ?? false,
          });
        }
      }),
    );
  }

  router.get(
    '/billing/invoices/:invoiceId',
    withBilling,
    endpoint({ params: { invoiceId: fields.id } }, async ({ params }, req, res) => {
      const actor = billingActorOf(req);
      const view = await billing.invoices.view(actor, params.invoiceId);
      res.render('billing/invoice', {
        ...(await moneyLocals(billing, req, res)),
        title: pageT(res)('billing:invoiceLabel', { label: invoiceLabel(view.invoice.number) }),
        view,
        mayRecord: billingPolicy.canRecordPayment(actor),
        own: actor.id === view.invoice.clientId,
        errors: {},
        values: {},
      });
    }),
  );

  router.get(
    '/billing/invoices/:invoiceId/pdf',
    withBilling,
    endpoint({ params: { invoiceId: fields.id } }, async ({ params }, req, res) => {
      sendPdf(
        res,
        await billing.documents.invoice(billingActorOf(req), params.invoiceId, documentReaderOf(req, res)),
      );
    }),
  );

  router.get(
    '/billing/charges/:chargeId',
    withBilling,
    endpoint({ params: { chargeId: fields.id } }, async ({ params }, req, res) => {
      const actor = billingActorOf(req);
      const charge = await billing.charges.forEdit(actor, params.chargeId);
      res.render('billing/charge', {
        ...(await moneyLocals(billing, req, res)),
        title: pageT(res)('billing:charge.title'),
        charge,
        // Care planning lets the treating therapist read diagnoses (it checks again on the read).
        mayReadDiagnoses: actor.roles.includes('therapist'),
        services: await billing.catalog.services(),
        errors: {},
        values: {},
      });
    }),
  );

  router.post(
    '/billing/charges/:chargeId',
    withBilling,
    endpoint(
      {
        params: { chargeId: fields.id },
        body: {
          serviceId: fields.optionalId,
          units: fields.text(10),
          unitFee: fields.text(30),
          placeOfService: fields.text(4),
          modifiers: fields.text(40),
          reason: fields.text(2_000),
        },
      },
      async ({ params, body }, req, res) => {
        const actor = billingActorOf(req);
        try {
          const charge = await billing.charges.adjust(actor, params.chargeId, body);
          req.session.flash = pageT(res)('billing:flash.chargeAdjusted');
          res.redirect(303, `/billing/clients/${charge.clientId}`);
        } catch (error) {
          if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
          const charge = await billing.charges.forEdit(actor, params.chargeId);
          res.status(400).render('billing/charge', {
            ...(await moneyLocals(billing, req, res)),
            title: pageT(res)('billing:charge.title'),
            charge,
            mayReadDiagnoses: actor.roles.includes('therapist'),
            services: await billing.catalog.services(),
            errors: formErrorsFor(res, error),
            values: body,
          });
        }
      },
    ),
  );

  router.post(
    '/billing/charges/:chargeId/diagnoses',
    therapist,
    endpoint({ params: { chargeId: fields.id } }, async ({ params }, req, res) => {
      const actor = billingActorOf(req);
      try {
        const charge = await billing.charges.refreshDiagnoses(actor, params.chargeId);
        req.session.flash = charge.diagnoses.length
          ? pageT(res)('billing:flash.diagnosesRead', {
              codes: charge.diagnoses.map((d) => d.code).join(', '),
            })
          : pageT(res)('billing:flash.noDiagnosis');
        res.redirect(303, `/billing/charges/${charge.id}`);
      } catch (error) {
        if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
        req.session.flash = errorTextFor(res, error);
        res.redirect(303, `/billing/charges/${params.chargeId}`);
      }
    }),
  );

  router.get(
    '/billing/profile',
    therapist,
    endpoint({}, async (_input, req, res) => {
      const actor = billingActorOf(req);
      res.render('billing/provider', {
        title: pageT(res)('billing:provider.title'),
        profile: await billing.catalog.provider(actor.id),
        errors: {},
        values: {},
      });
    }),
  );

  router.post(
    '/billing/profile',
    therapist,
    endpoint(
      { body: { npi: fields.text(40), credentials: fields.text(200) } },
      async ({ body }, req, res) => {
        const actor = billingActorOf(req);
        try {
          await billing.catalog.saveProvider(actor, body);
        } catch (error) {
          if (!(isAppError(error) && error.kind === 'bad_request')) throw error;
          res.status(400).render('billing/provider', {
            title: pageT(res)('billing:provider.title'),
            profile: await billing.catalog.provider(actor.id),
            errors: formErrorsFor(res, error),
            values: body,
          });
          return;
        }
        req.session.flash = pageT(res)('billing:flash.profileSaved');
        res.redirect(303, '/billing/profile');
      },
    ),
  );

  return router;
}
