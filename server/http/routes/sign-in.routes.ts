import { Router, type Request, type Response } from 'express';
import { sessionKeyOf, type AccountsService, type User } from '../../accounts';
import type { Clock } from '../../shared/clock';
import { safeReturnPath } from '../middleware/auth';
import type { AuthLimiters } from '../middleware/limits';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { clientIp, form } from './route-helpers';

/** How long a correct password keeps the door open for the second factor. */
const PENDING_MS = 5 * 60_000;

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())),
  );
}

function login(req: Request, user: User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (e: unknown) => (e ? reject(e) : resolve())));
}

/**
 * Completes a sign-in: a brand-new session id (passport's `req.login` regenerates the session, so a
 * cookie planted before sign-in is dead afterwards), the start time for the absolute timeout, and
 * the device details for the sessions page.
 */
async function completeSignIn(
  req: Request,
  res: Response,
  accounts: AccountsService,
  user: User,
  clock: Clock,
  method: string,
  flash?: string,
): Promise<void> {
  const returnTo = method === 'recovery_code' ? '/account/two-factor' : safeReturnPath(req.session.returnTo);
  await login(req, user);
  if (flash) req.session.flash = flash;
  req.session.startedAt = clock.now().getTime();
  req.session.meta = { ip: clientIp(req), userAgent: req.get('user-agent')?.slice(0, 300) ?? null };
  await accounts.signIn.recordSuccess(user, clientIp(req), method);
  // An admin's first page is the console's overview (what needs attention today).
  res.redirect(303, returnTo ?? (user.roles.includes('admin') ? '/admin' : '/'));
}

export function signInRoutes(
  accounts: AccountsService,
  limiters: AuthLimiters,
  clock: Clock,
  cookie: { name: string; secure: boolean },
): Router {
  const router = Router();

  router.get(
    '/sign-in',
    endpoint({}, (_input, req, res) => {
      if (req.user) return res.redirect(302, '/');
      res.render('accounts/sign-in', { values: {}, errors: {} });
    }),
  );

  router.post(
    '/sign-in',
    limiters.perIp,
    limiters.passwordPerAddress,
    endpoint({ body: { email: fields.text(), password: fields.text() } }, async (_input, req, res) => {
      const values = form(req);
      const result = await accounts.signIn.checkPassword(
        values.email ?? '',
        values.password ?? '',
        clientIp(req),
      );
      if (!result.ok && result.reason === 'unverified') {
        await accounts.lifecycle.resendVerification(result.user);
        res.status(403).render('accounts/sign-in', {
          values: { email: values.email ?? '' },
          errors: { form: 'Please confirm your email address first. We have just sent you a new link.' },
        });
        return;
      }
      if (!result.ok) {
        res.status(401).render('accounts/sign-in', {
          values: { email: values.email ?? '' },
          errors: { form: 'That email and password do not match an account.' },
        });
        return;
      }
      if (result.user.twoFactorEnabled) {
        const returnTo = req.session.returnTo;
        await regenerate(req);
        req.session.pending = {
          userId: result.user.id,
          at: clock.now().getTime(),
          rememberIp: clientIp(req),
        };
        if (returnTo) req.session.returnTo = returnTo;
        res.redirect(303, '/sign-in/two-factor');
        return;
      }
      await completeSignIn(req, res, accounts, result.user, clock, 'password');
    }),
  );

  const pendingUser = (req: Request): string | null => {
    const pending = req.session?.pending;
    if (!pending || clock.now().getTime() - pending.at > PENDING_MS) return null;
    return pending.userId;
  };

  router.get(
    '/sign-in/two-factor',
    endpoint({}, (_input, req, res) => {
      if (!pendingUser(req)) return res.redirect(302, '/sign-in');
      res.render('accounts/two-factor-challenge', { errors: {} });
    }),
  );

  router.post(
    '/sign-in/two-factor',
    limiters.perIp,
    // Counted for the account waiting for its second factor (in the session), never a form field.
    limiters.secondFactorPerAccount,
    endpoint({ body: { code: fields.text(100) } }, async ({ body }, req, res) => {
      const userId = pendingUser(req);
      if (!userId) {
        req.session.flash = pageT(res)('accounts:flash.tooLong');
        res.redirect(303, '/sign-in');
        return;
      }
      const code = body.code ?? '';
      const result = await accounts.twoFactor.verify(userId, code, clientIp(req));
      const user = result ? await accounts.byId(userId) : null;
      if (!result || !user || user.status !== 'active') {
        res.status(401).render('accounts/two-factor-challenge', {
          errors: { code: 'That code did not work. Use the newest code from your app, or a recovery code.' },
        });
        return;
      }
      const flash =
        result.kind === 'recovery_code'
          ? pageT(res)('accounts:flash.recoveryUsed', { count: result.remaining })
          : undefined;
      await completeSignIn(req, res, accounts, user, clock, result.kind, flash);
    }),
  );

  /** Sign-out is a POST (with the CSRF token): a link or image cannot sign someone out. */
  router.post(
    '/sign-out',
    endpoint({}, async (_input, req, res) => {
      const userId = req.user?.id;
      const key = sessionKeyOf(req.sessionID);
      await new Promise<void>((resolve, reject) =>
        req.session.destroy((e: unknown) => (e ? reject(e) : resolve())),
      );
      res.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
      if (userId) {
        accounts.sessions.ended(userId, key);
        await accounts.signIn.recordSignOut(userId, clientIp(req), 'this');
      }
      res.redirect(303, '/');
    }),
  );

  return router;
}
