import { Router, type Request } from 'express';
import { accountsPolicy, emailSchema, isRole, ROLES, type AccountsService } from '../../accounts';
import { peopleFilterFrom, type AdminServices } from '../../admin';
import { isAppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { clinicLanguageOf, pageT } from '../middleware/language-locals';
import { endpoint, type Fields, type Input } from './endpoint';
import * as fields from './fields';
import { actorOf, form } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

/** A flash as a resource key (`admin:person.flash.*`) and, for a count, the number it is chosen by. */
type FlashWords = readonly [key: string, values?: { readonly count: number }];

const personRoute = { userId: fields.id };
/** The people list's filters (peopleFilterFrom decides what they mean). */
const LIST_FILTERS = { q: fields.text(), role: fields.text(), status: fields.text(), page: fields.text(10) };
/** An invitation, and for a therapist the licence the admin checked (the directory's schema decides). */
const INVITE_FIELDS = {
  email: fields.text(),
  role: fields.text(),
  licenceType: fields.text(),
  licenceNumber: fields.text(),
  licenceJurisdiction: fields.text(),
  licenceExpiresOn: fields.text(),
  licenceMethod: fields.text(),
};

export interface AdminPeopleDeps {
  readonly admin: AdminServices;
  readonly accounts: AccountsService;
}

/** Back to the list with the same search, or to the person's page. */
function back(req: Request, fallback: string): string {
  const to = form(req).returnTo ?? '';
  return /^\/admin\/people(\/[0-9a-f-]{36})?(\?[\w=&%+.@-]*)?$/i.test(to) ? to : fallback;
}

/**
 * People: the list (search by name/email, role, status; paged), one person's page with their roles,
 * care relationships and the actions on the account; inviting staff.
 */
export function adminPeopleRoutes(deps: AdminPeopleDeps): Router {
  const router = Router();
  const { admin, accounts } = deps;
  router.use('/admin/people', requireRole('admin'));

  const listPage = async (req: Request, extra: Record<string, unknown> = {}) => ({
    // req.query holds only the declared filters (endpoint()).
    ...(await admin.people.list(actorOf(req), peopleFilterFrom(req.query as Record<string, unknown>))),
    roles: ROLES,
    invitableRoles: accountsPolicy.invitableRoles(req.user!),
    inviteValues: { email: '', role: 'therapist' },
    inviteErrors: {} as Record<string, string>,
    query: new URLSearchParams(
      Object.entries(req.query as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'page',
      ),
    ).toString(),
    ...extra,
  });

  router.get(
    '/admin/people',
    endpoint({ query: LIST_FILTERS }, async (_input, req, res) => {
      res.render('admin/people', await listPage(req));
    }),
  );

  router.post(
    '/admin/people/invite',
    endpoint({ body: INVITE_FIELDS }, async (_input, req, res, next) => {
      const f = form(req);
      const email = emailSchema.safeParse(f.email ?? '');
      const role = f.role ?? '';
      const errors: Record<string, string> = {};
      const t = pageT(res);
      if (!email.success) errors.email = t('errors:field.email');
      if (!isRole(role) || !accountsPolicy.invitableRoles(req.user!).includes(role))
        errors.role = t('errors:field.role');
      if (!email.success || !isRole(role) || Object.keys(errors).length > 0) {
        res
          .status(400)
          .render('admin/people', await listPage(req, { inviteValues: f, inviteErrors: errors }));
        return;
      }
      try {
        await admin.people.inviteStaff(actorOf(req), {
          email: email.data,
          role,
          form: f,
          language: clinicLanguageOf(res),
        });
      } catch (error) {
        if (isAppError(error) && (error.kind === 'bad_request' || error.kind === 'conflict')) {
          // A licence field's problem is shown by that field; anything else by the address.
          const inviteErrors = error.details
            ? formErrorsFor(res, error)
            : { email: errorTextFor(res, error) };
          res
            .status(error.status)
            .render('admin/people', await listPage(req, { inviteValues: f, inviteErrors }));
          return;
        }
        return next(error);
      }
      req.session.flash = pageT(res)('admin:people.flash.invited', { email: email.data });
      res.redirect(303, '/admin/people');
    }),
  );

  const personPage = async (req: Request, id: string, errors: Record<string, string> = {}) => {
    const person = await admin.people.person(actorOf(req), id);
    return {
      person,
      roles: ROLES,
      therapists: await admin.people.therapists(),
      caseload: person.roles.includes('therapist') ? await admin.people.clientsOf(person.id) : [],
      treatedBy: person.roles.includes('client') ? await admin.people.treatingTherapists(person.id) : [],
      sessions: (await accounts.sessions.list(person.id)).length,
      isSelf: person.id === req.user!.id,
      errors,
    };
  };

  router.get(
    '/admin/people/:userId',
    endpoint({ params: personRoute }, async ({ params }, req, res) => {
      res.render('admin/person', await personPage(req, params.userId));
    }),
  );

  /**
   * Runs an action on one person, with the form fields it reads (and `returnTo`); a bad request
   * re-renders their page with the message. `run` answers the flash's key (`admin:person.flash.*`)
   * and values, written in the admin's language.
   */
  const act = <B extends Fields>(
    path: string,
    body: B,
    run: (req: Request, id: string, values: Input<{ body: B }>['body']) => Promise<FlashWords>,
  ) =>
    router.post(
      `/admin/people/:userId/${path}`,
      endpoint(
        { params: personRoute, body: { ...body, returnTo: fields.text() } },
        async (input, req, res, next) => {
          const id = input.params.userId;
          try {
            const [key, values] = await run(req, id, input.body as Input<{ body: B }>['body']);
            const number = res.locals.number as (n: number) => string;
            // A count is chosen the language's way (plural forms) and written its way (digits).
            req.session.flash = pageT(res)(key, values ? { ...values, n: number(values.count) } : undefined);
          } catch (error) {
            if (isAppError(error) && (error.kind === 'bad_request' || error.kind === 'conflict')) {
              res
                .status(error.status)
                .render('admin/person', await personPage(req, id, formErrorsFor(res, error)));
              return;
            }
            return next(error);
          }
          res.redirect(303, back(req, `/admin/people/${id}`));
        },
      ),
    );

  act('deactivate', {}, async (req, id) => {
    await admin.people.deactivate(actorOf(req), id);
    return ['admin:person.flash.deactivated'];
  });
  act('reactivate', {}, async (req, id) => {
    await admin.people.reactivate(actorOf(req), id);
    return ['admin:person.flash.reactivated'];
  });
  act('reset-two-factor', { reason: fields.text() }, async (req, id, { reason }) => {
    await admin.people.resetTwoFactor(actorOf(req), id, reason);
    return ['admin:person.flash.twoFactorReset'];
  });
  act('roles', { roles: fields.list(ROLES.length) }, async (req, id, { roles }) => {
    await admin.people.setRoles(actorOf(req), id, roles);
    return ['admin:person.flash.rolesChanged'];
  });
  act('assign', { therapistId: fields.optionalId }, async (req, id, { therapistId }) => {
    await admin.people.assignClient(actorOf(req), id, therapistId);
    return ['admin:person.flash.therapistAssigned'];
  });
  act('end-care', { therapistId: fields.optionalId }, async (req, id, { therapistId }) => {
    await admin.people.endCare(actorOf(req), id, therapistId ?? '');
    return ['admin:person.flash.careEnded'];
  });
  act('transfer-caseload', { toId: fields.optionalId }, async (req, id, { toId }) => {
    const moved = await admin.people.transferCaseload(actorOf(req), id, toId);
    return ['admin:person.flash.handedOver', { count: moved }];
  });

  return router;
}
