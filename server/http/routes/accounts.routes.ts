import { Router } from 'express';
import type { AccountsService } from '../../accounts';
import type { AccountsConfig } from '../../config';
import type { Clock } from '../../shared/clock';
import { sessionCookieName } from '../middleware/accounts-pipeline';
import { authLimiters, type LimitStores } from '../middleware/limits';
import { accountRoutes } from './account.routes';
import { invitationsRoutes } from './invitations.routes';
import { recoveryRoutes } from './recovery.routes';
import { setupRoutes } from './setup.routes';
import { signInRoutes } from './sign-in.routes';
import { twoFactorRoutes } from './two-factor.routes';

export interface AccountsRoutesDeps {
  readonly accounts: AccountsService;
  readonly clock: Clock;
  readonly config: AccountsConfig;
  readonly https: boolean;
  /** Where the limiters keep their counters (default: in memory). */
  readonly limitStores?: LimitStores;
}

/** Every accounts page: setup, sign-in/out, two-factor, sign-up and recovery, account, invitations. */
export function accountsRoutes(deps: AccountsRoutesDeps): Router {
  const { accounts, clock } = deps;
  // One set of counters for all of these routes: an IP's attempts add up across them.
  const limiters = authLimiters(
    { perIp: deps.config.attemptsPerIp, perAccount: deps.config.attemptsPerAccount },
    deps.limitStores,
  );
  const cookie = { name: sessionCookieName(deps.https), secure: deps.https };
  const router = Router();
  router.use(setupRoutes(accounts, limiters));
  router.use(signInRoutes(accounts, limiters, clock, cookie));
  router.use(recoveryRoutes(accounts, limiters));
  router.use(twoFactorRoutes(accounts, limiters, clock));
  router.use(accountRoutes(accounts, limiters, cookie));
  router.use(invitationsRoutes(accounts, limiters, clock));
  return router;
}
