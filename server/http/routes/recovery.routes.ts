import { Router } from 'express';
import type { AccountsService } from '../../accounts';
import { AppError, isAppError } from '../../shared/errors';
import type { AuthLimiters } from '../middleware/limits';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form, keepValues, renderFormError } from './route-helpers';
import { errorTextFor } from '../error-words';

/**
 * The ways in without a session: client self sign-up, email verification, forgotten password and
 * reset. Every answer that could reveal whether an address is registered is the same either way.
 */
const tokenRoute = { token: fields.token };

export function recoveryRoutes(accounts: AccountsService, limiters: AuthLimiters): Router {
  const router = Router();

  const signUpOpen = async (): Promise<boolean> => (await accounts.clinic.get()).selfSignup;

  router.get(
    '/sign-up',
    endpoint({}, async (_input, req, res, next) => {
      if (!(await signUpOpen())) return next(new AppError('signup.closed', 'not_found'));
      if (req.user) return res.redirect(302, '/');
      res.render('accounts/sign-up', { values: {}, errors: {} });
    }),
  );

  router.post(
    '/sign-up',
    limiters.perIp,
    endpoint(
      {
        body: {
          email: fields.text(),
          displayName: fields.text(),
          password: fields.text(),
          timeZone: fields.text(),
        },
      },
      async (_input, req, res, next) => {
        const values = form(req);
        try {
          // Only these fields are read: posting `roles=admin` or `emailVerified=1` does nothing.
          await accounts.lifecycle.signUp(
            {
              email: values.email,
              displayName: values.displayName,
              password: values.password,
              timeZone: values.timeZone,
              language: req.language,
            },
            clientIp(req),
          );
        } catch (error) {
          return renderFormError(res, next, error, 'accounts/sign-up', {
            values: keepValues(values),
          });
        }
        res.render('accounts/check-email', { email: values.email ?? '' });
      },
    ),
  );

  router.get(
    '/verify-email/:token',
    endpoint({ params: tokenRoute }, ({ params }, _req, res) => {
      // A GET only shows a button: mail scanners that follow links must not use the token up.
      res.render('accounts/verify-email', { token: params.token, error: null });
    }),
  );

  router.post(
    '/verify-email/:token',
    limiters.perIp,
    endpoint({ params: tokenRoute }, async ({ params }, req, res, next) => {
      try {
        await accounts.lifecycle.verifyEmail(params.token, clientIp(req));
      } catch (error) {
        if (isAppError(error) && error.kind === 'bad_request') {
          res.status(400).render('accounts/verify-email', {
            token: null,
            error: errorTextFor(res, error),
          });
          return;
        }
        return next(error);
      }
      req.session.flash = pageT(res)('accounts:flash.emailConfirmed');
      res.redirect(303, '/sign-in');
    }),
  );

  router.get(
    '/forgot-password',
    endpoint({}, (_input, _req, res) => {
      res.render('accounts/forgot-password', { values: {}, errors: {} });
    }),
  );

  router.post(
    '/forgot-password',
    limiters.perIp,
    limiters.resetMailsPerAddress,
    endpoint({ body: { email: fields.text() } }, async (_input, req, res, next) => {
      const values = form(req);
      try {
        await accounts.lifecycle.requestPasswordReset(values.email, clientIp(req));
      } catch (error) {
        return renderFormError(res, next, error, 'accounts/forgot-password', {
          values: keepValues(values),
        });
      }
      // The same page whether or not the address has an account.
      res.render('accounts/check-email', {
        email: values.email ?? '',
        reset: true,
      });
    }),
  );

  router.get(
    '/reset-password/:token',
    endpoint({ params: tokenRoute }, async ({ params }, _req, res) => {
      const live = await accounts.lifecycle.resetTokenIsLive(params.token);
      res.status(live ? 200 : 400).render('accounts/reset-password', {
        token: live ? params.token : null,
        errors: live
          ? {}
          : { form: 'This link has expired or has already been used. Please ask for a new one.' },
      });
    }),
  );

  router.post(
    '/reset-password/:token',
    limiters.perIp,
    endpoint(
      { params: tokenRoute, body: { password: fields.text() } },
      async ({ params, body }, req, res, next) => {
        const { token } = params;
        try {
          await accounts.lifecycle.resetPassword(token, body.password, clientIp(req));
        } catch (error) {
          const stillLive = await accounts.lifecycle.resetTokenIsLive(token);
          return renderFormError(res, next, error, 'accounts/reset-password', {
            token: stillLive ? token : null,
          });
        }
        // Any session this browser had is gone with the others: start clean.
        await new Promise<void>((resolve, reject) =>
          req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())),
        );
        req.session.flash =
          'Your password is changed and every session was signed out. Sign in with the new one.';
        res.redirect(303, '/sign-in');
      },
    ),
  );

  return router;
}
