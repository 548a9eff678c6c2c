import { Router } from 'express';
import type { AccountsService } from '../../accounts';
import { AppError } from '../../shared/errors';
import type { AuthLimiters } from '../middleware/limits';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form, keepValues, renderFormError } from './route-helpers';

/**
 * First run: name the clinic and create the first admin. Exists only while no admin does; after
 * that `/setup` is a 404 for everyone, for good (the service re-checks inside its transaction).
 */
export function setupRoutes(accounts: AccountsService, limiters: AuthLimiters): Router {
  const router = Router();
  const gone = async (): Promise<boolean> => accounts.lifecycle.adminExists();

  router.get(
    '/setup',
    endpoint({}, async (_input, _req, res, next) => {
      if (await gone()) return next(new AppError('setup.already_done', 'not_found'));
      res.render('setup/index', { values: {}, errors: {} });
    }),
  );

  router.post(
    '/setup',
    limiters.perIp,
    endpoint(
      {
        body: {
          clinicName: fields.text(),
          email: fields.text(),
          displayName: fields.text(),
          password: fields.text(),
          timeZone: fields.text(),
        },
      },
      async (_input, req, res, next) => {
        if (await gone()) return next(new AppError('setup.already_done', 'not_found'));
        const values = form(req);
        try {
          await accounts.lifecycle.completeSetup({ ...values, language: req.language }, clientIp(req));
        } catch (error) {
          return renderFormError(res, next, error, 'setup/index', {
            values: keepValues(values),
          });
        }
        req.session.flash = pageT(res)('accounts:flash.setUp');
        res.redirect(303, '/sign-in');
      },
    ),
  );
  return router;
}
