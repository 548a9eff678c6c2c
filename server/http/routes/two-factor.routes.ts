import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { accountsPolicy, twoFactorRequiredFor, type AccountsService } from '../../accounts';
import type { Clock } from '../../shared/clock';
import { AppError, phrase } from '../../shared/errors';
import { requireSignedIn } from '../middleware/auth';
import { markAttemptFailed, type AuthLimiters } from '../middleware/limits';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

/**
 * Two-factor enrolment, replacement, recovery codes and (for roles where it is optional) switching
 * it off. The secret being enrolled stays sealed in the session until a code from it is confirmed;
 * replacing or removing an enrolled authenticator needs the current password (ASVS 2.x re-auth).
 */
export function twoFactorRoutes(accounts: AccountsService, limiters: AuthLimiters, clock: Clock): Router {
  const router = Router();
  router.use('/account/two-factor', requireSignedIn);

  router.get(
    '/account/two-factor',
    endpoint({}, async (_input, req, res) => {
      const user = req.user!;
      const codes = req.session.freshRecoveryCodes;
      delete req.session.freshRecoveryCodes;
      res.render('accounts/two-factor', {
        enabled: user.twoFactorEnabled,
        required: twoFactorRequiredFor(user.roles),
        canDisable: accountsPolicy.canDisableTwoFactor(user),
        remaining: user.twoFactorEnabled ? await accounts.twoFactor.remainingRecoveryCodes(user.id) : 0,
        recoveryCodes: codes ?? null,
        errors: {},
      });
    }),
  );

  const renderEnrol = async (
    req: Request,
    res: Response,
    status: number,
    errors: Record<string, string>,
  ): Promise<void> => {
    const user = req.user!;
    let sealed = req.session.enrolSecret;
    if (!sealed) {
      sealed = accounts.twoFactor.sealPending(accounts.twoFactor.newSecret());
      req.session.enrolSecret = sealed;
    }
    const secret = accounts.twoFactor.openPending(sealed);
    const uri = accounts.twoFactor.provisioningUri(
      secret,
      user.email,
      String(res.locals.clinicName ?? 'Haven'),
    );
    // Rendered here as an SVG data URL: the secret never leaves for a third-party QR service.
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.status(status).render('accounts/two-factor-enrol', {
      qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      secret: secret.match(/.{1,4}/g)!.join(' '),
      replacing: user.twoFactorEnabled,
      required: twoFactorRequiredFor(user.roles),
      errors,
    });
  };

  router.get(
    '/account/two-factor/enrol',
    endpoint({}, async (_input, req, res) => renderEnrol(req, res, 200, {})),
  );

  router.post(
    '/account/two-factor/enrol',
    limiters.perIp,
    limiters.secondFactorPerAccount,
    endpoint(
      { body: { code: fields.text(100), currentPassword: fields.text() } },
      async (_input, req, res, next) => {
        const user = req.user!;
        const values = form(req);
        if (user.twoFactorEnabled && !(await passwordOk(accounts, user.id, values.currentPassword))) {
          return renderEnrol(req, res, 400, { currentPassword: 'That is not your current password.' });
        }
        const sealed = req.session.enrolSecret;
        if (!sealed) return renderEnrol(req, res, 400, { code: 'Scan the new code below and try again.' });
        try {
          const codes = await accounts.twoFactor.enable(
            user.id,
            accounts.twoFactor.openPending(sealed),
            values.code ?? '',
            clientIp(req),
          );
          delete req.session.enrolSecret;
          await accounts.lifecycle.notifySecurityChange(
            user,
            user.twoFactorEnabled ? 'two_factor_replaced' : 'two_factor_enabled',
          );
          // Enrolling is a change of privilege (staff get access): the session id changes.
          await new Promise<void>((resolve, reject) =>
            req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())),
          );
          await new Promise<void>((resolve, reject) =>
            req.login(user, (e: unknown) => (e ? reject(e) : resolve())),
          );
          req.session.startedAt = clock.now().getTime();
          req.session.freshRecoveryCodes = codes;
          res.redirect(303, '/account/two-factor');
        } catch (error) {
          if (error instanceof AppError && error.code === 'two_factor.wrong_code') {
            return renderEnrol(
              req,
              res,
              400,
              error.details ? formErrorsFor(res, error) : { code: errorTextFor(res, error) },
            );
          }
          next(error);
        }
      },
    ),
  );

  router.post(
    '/account/two-factor/recovery-codes',
    limiters.passwordConfirmPerAccount,
    endpoint({ body: { currentPassword: fields.text() } }, async (_input, req, res) => {
      const user = req.user!;
      if (!(await passwordOk(accounts, user.id, form(req).currentPassword))) {
        markAttemptFailed(res);
        req.session.flash = pageT(res)('accounts:flash.codesNeedPassword');
        return res.redirect(303, '/account/two-factor');
      }
      req.session.freshRecoveryCodes = await accounts.twoFactor.regenerateRecoveryCodes(
        user.id,
        clientIp(req),
      );
      await accounts.lifecycle.notifySecurityChange(user, 'recovery_codes_replaced');
      res.redirect(303, '/account/two-factor');
    }),
  );

  router.post(
    '/account/two-factor/disable',
    limiters.passwordConfirmPerAccount,
    endpoint({ body: { currentPassword: fields.text() } }, async (_input, req, res, next) => {
      const user = req.user!;
      if (!accountsPolicy.canDisableTwoFactor(user)) {
        return next(
          new AppError('two_factor.required', 'forbidden', phrase('errors:code.two_factor.required')),
        );
      }
      if (!(await passwordOk(accounts, user.id, form(req).currentPassword))) {
        markAttemptFailed(res);
        req.session.flash = pageT(res)('accounts:flash.offNeedsPassword');
        return res.redirect(303, '/account/two-factor');
      }
      await accounts.twoFactor.disable(user.id, user.id, clientIp(req));
      await accounts.lifecycle.notifySecurityChange(user, 'two_factor_disabled');
      req.session.flash = pageT(res)('accounts:flash.twoFactorOff');
      res.redirect(303, '/account/two-factor');
    }),
  );

  return router;
}

async function passwordOk(
  accounts: AccountsService,
  userId: string,
  password: string | undefined,
): Promise<boolean> {
  if (!password) return false;
  return accounts.signIn.passwordMatches(userId, password);
}
