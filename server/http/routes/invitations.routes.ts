import { Router } from 'express';
import { accountsPolicy, emailSchema, isRole, type AccountsService } from '../../accounts';
import type { Clock } from '../../shared/clock';
import { AppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import type { AuthLimiters } from '../middleware/limits';
import { clinicLanguageOf, pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form, keepValues, renderFormError } from './route-helpers';

const signedInAlready = (): AppError =>
  new AppError('invitation.signed_in', 'conflict', phrase('errors:invitation.signedIn'));

/** Sending, listing and revoking invitations (admins, therapists), and accepting one (anyone with the link). */
export function invitationsRoutes(accounts: AccountsService, limiters: AuthLimiters, clock: Clock): Router {
  const router = Router();
  const staff = requireRole('admin', 'therapist');

  const listPage = async (
    user: Express.User,
    values: Record<string, string>,
    errors: Record<string, string>,
  ) => ({
    invitations: await accounts.invitations.listFor(user),
    roles: accountsPolicy.invitableRoles(user),
    values,
    errors,
  });

  router.get(
    '/invitations',
    staff,
    endpoint({}, async (_input, req, res) => {
      res.render('accounts/invitations', await listPage(req.user!, {}, {}));
    }),
  );

  router.post(
    '/invitations',
    staff,
    endpoint({ body: { email: fields.text(), role: fields.text() } }, async (_input, req, res, next) => {
      const values = form(req);
      const user = req.user!;
      const email = emailSchema.safeParse(values.email ?? '');
      const role = values.role ?? '';
      const errors: Record<string, string> = {};
      const t = pageT(res);
      if (!email.success) errors.email = t('errors:field.email');
      if (!isRole(role) || !accountsPolicy.invitableRoles(user).includes(role))
        errors.role = t('errors:field.role');
      if (Object.keys(errors).length > 0 || !email.success || !isRole(role)) {
        res.status(400).render('accounts/invitations', await listPage(user, keepValues(values), errors));
        return;
      }
      try {
        await accounts.invitations.invite(user, email.data, role, clientIp(req), clinicLanguageOf(res));
      } catch (error) {
        return renderFormError(
          res,
          next,
          error,
          'accounts/invitations',
          await listPage(user, keepValues(values), {}),
        );
      }
      req.session.flash = pageT(res)('accounts:flash.invitationSent', { email: email.data });
      res.redirect(303, '/invitations');
    }),
  );

  router.post(
    '/invitations/:id/revoke',
    staff,
    endpoint({ params: { id: fields.id } }, async ({ params }, req, res) => {
      await accounts.invitations.revoke(req.user!, params.id, clientIp(req));
      req.session.flash = pageT(res)('accounts:flash.invitationRevoked');
      res.redirect(303, '/invitations');
    }),
  );

  // Accepting: the token in the path is the only credential, so it is checked on every request.
  router.get(
    '/invite/:token',
    endpoint({ params: { token: fields.token } }, async ({ params }, req, res, next) => {
      const { token } = params;
      const invitation = await accounts.invitations.pendingByToken(token);
      if (!invitation) {
        return next(new AppError('invitation.invalid', 'not_found', phrase('errors:invitation.invalid')));
      }
      if (req.user) {
        return next(signedInAlready());
      }
      res.render('accounts/accept-invitation', {
        invitation,
        token,
        values: {},
        errors: {},
      });
    }),
  );

  router.post(
    '/invite/:token',
    limiters.perIp,
    endpoint(
      {
        params: { token: fields.token },
        body: { displayName: fields.text(), password: fields.text(), timeZone: fields.text() },
      },
      async ({ params }, req, res, next) => {
        const { token } = params;
        const values = form(req);
        if (req.user) {
          return next(signedInAlready());
        }
        let user;
        try {
          user = await accounts.lifecycle.acceptInvitation(
            token,
            {
              displayName: values.displayName,
              password: values.password,
              timeZone: values.timeZone,
              language: req.language,
            },
            clientIp(req),
          );
        } catch (error) {
          const invitation = await accounts.invitations.pendingByToken(token);
          if (!invitation) return next(error);
          return renderFormError(res, next, error, 'accounts/accept-invitation', {
            invitation,
            token,
            values: keepValues(values),
          });
        }
        await new Promise<void>((resolve, reject) =>
          req.login(user, (e: unknown) => (e ? reject(e) : resolve())),
        );
        req.session.startedAt = clock.now().getTime();
        req.session.meta = { ip: clientIp(req), userAgent: req.get('user-agent')?.slice(0, 300) ?? null };
        await accounts.signIn.recordSuccess(user, clientIp(req), 'invitation');
        res.redirect(
          303,
          user.roles.some((r) => r === 'admin' || r === 'therapist') ? '/account/two-factor/enrol' : '/',
        );
      },
    ),
  );

  return router;
}
