import { Router } from 'express';
import { LANGUAGES, sessionKeyOf, sessionKeySchema, TIME_ZONES, type AccountsService } from '../../accounts';
import { requireSignedIn } from '../middleware/auth';
import type { AuthLimiters } from '../middleware/limits';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form, keepValues, renderFormError } from './route-helpers';

/** The signed-in person's own account: profile, password, and active sessions. */
export function accountRoutes(
  accounts: AccountsService,
  limiters: AuthLimiters,
  cookie: { name: string; secure: boolean },
): Router {
  const router = Router();
  router.use('/account', requireSignedIn);

  const profileLocals = { timeZones: TIME_ZONES, languages: LANGUAGES };

  router.get(
    '/account',
    endpoint({}, (_input, req, res) => {
      const user = req.user!;
      res.render('accounts/profile', {
        ...profileLocals,
        values: {
          displayName: user.displayName,
          fullName: user.fullName ?? '',
          timeZone: user.timeZone,
          language: user.language,
        },
        errors: {},
      });
    }),
  );

  router.post(
    '/account/profile',
    endpoint(
      {
        body: {
          displayName: fields.text(),
          fullName: fields.text(),
          timeZone: fields.text(),
          language: fields.text(),
        },
      },
      async (_input, req, res, next) => {
        const values = form(req);
        try {
          // Only the four profile fields reach the service; `roles`, `email`, `status`… are ignored.
          await accounts.lifecycle.updateProfile(req.user!, {
            displayName: values.displayName ?? '',
            fullName: values.fullName ?? '',
            timeZone: values.timeZone ?? '',
            language: values.language ?? '',
          });
        } catch (error) {
          return renderFormError(res, next, error, 'accounts/profile', {
            ...profileLocals,
            values: keepValues(values),
          });
        }
        req.session.flash = pageT(res)('accounts:flash.profileSaved');
        res.redirect(303, '/account');
      },
    ),
  );

  router.get(
    '/account/password',
    endpoint({}, (_input, _req, res) => {
      res.render('accounts/change-password', { errors: {} });
    }),
  );

  router.post(
    '/account/password',
    limiters.passwordConfirmPerAccount,
    endpoint(
      { body: { currentPassword: fields.text(), newPassword: fields.text() } },
      async (_input, req, res, next) => {
        const values = form(req);
        try {
          await accounts.lifecycle.changePassword(
            req.user!,
            values.currentPassword,
            values.newPassword,
            sessionKeyOf(req.sessionID),
            clientIp(req),
          );
        } catch (error) {
          return renderFormError(res, next, error, 'accounts/change-password', {});
        }
        req.session.flash = pageT(res)('accounts:flash.passwordChanged');
        res.redirect(303, '/account');
      },
    ),
  );

  router.get(
    '/account/sessions',
    endpoint({}, async (_input, req, res) => {
      const sessions = await accounts.sessions.list(req.user!.id);
      res.render('accounts/sessions', {
        sessions,
        currentId: sessionKeyOf(req.sessionID),
      });
    }),
  );

  router.post(
    '/account/sessions/:id/sign-out',
    endpoint({ params: { id: sessionKeySchema } }, async ({ params }, req, res) => {
      const { id } = params;
      if (id === sessionKeyOf(req.sessionID)) {
        req.session.flash = pageT(res)('accounts:flash.useSignOut');
      } else {
        const removed = await accounts.sessions.signOutOne(req.user!.id, id);
        req.session.flash = pageT(res)(
          removed ? 'accounts:flash.sessionEnded' : 'accounts:flash.sessionGone',
        );
      }
      res.redirect(303, '/account/sessions');
    }),
  );

  router.post(
    '/account/sessions/sign-out-everywhere',
    endpoint({}, async (_input, req, res) => {
      const userId = req.user!.id;
      await accounts.sessions.signOutEverywhere(userId);
      await accounts.signIn.recordSignOut(userId, clientIp(req), 'everywhere');
      await new Promise<void>((resolve, reject) =>
        req.session.destroy((e: unknown) => (e ? reject(e) : resolve())),
      );
      res.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
      res.redirect(303, '/sign-in');
    }),
  );

  return router;
}
