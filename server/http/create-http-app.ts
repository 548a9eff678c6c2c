import { join } from 'node:path';
import express, { type Express } from 'express';
import { TIME_ZONES, type AccountsService } from '../accounts';
import type { AccountsConfig, HttpConfig } from '../config';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { formatBytes } from '../shared/file-size';
import { PUBLIC_DIR, VIEWS_DIR } from '../shared/paths';
import { runInRequestScope } from '../shared/request-scope';
import { errorHandler, notFound } from './error-handler';
import { installAccountsPipeline } from './middleware/accounts-pipeline';
import { accountsRoutes } from './routes/accounts.routes';
import { checkRoutes, type CheckRoutesDeps } from './routes/check.routes';
import { roomsRoutes, type RoomsRoutesDeps } from './routes/rooms.routes';
import { roomGuestsRoutes } from './routes/room-guests.routes';
import { e2eeChoiceRoutes } from './routes/e2ee-choice.routes';
import { schedulingRoutes, type SchedulingRoutesDeps } from './routes/scheduling.routes';
import { groupsRoutes, type GroupsRoutesDeps } from './routes/groups.routes';
import { messagingRoutes, unreadMessagesLocal, type MessagingRoutesDeps } from './routes/messaging.routes';
import { clinicalRoutes, type ClinicalRoutesDeps } from './routes/clinical.routes';
import { carePlanningRoutes, type CarePlanningRoutesDeps } from './routes/care-planning.routes';
import { dataRightsRoutes, type DataRightsRoutesDeps } from './routes/data-rights.routes';
import { billingRoutes, type BillingRoutesDeps } from './routes/billing.routes';
import { billingAdminRoutes } from './routes/billing-admin.routes';
import { directoryRoutes, type DirectoryRoutesDeps } from './routes/directory.routes';
import { adminRoutes, brandingLocals, brandingRoutes, type AdminRoutesDeps } from './routes/admin.routes';
import type { LimitStores } from './middleware/limits';
import { refuseNulBytes } from './middleware/nul-bytes';
import { publicFiles } from './middleware/public-files';
import { onlyWhereItCanMatch } from './middleware/router-gate';
import { dateLocals } from './middleware/date-locals';
import { ALL_LANGUAGES, languageLocals, type LanguageSettings } from './middleware/language-locals';
import { guestLinkLanguage } from './middleware/guest-language';
import { languageRoutes } from './routes/language.routes';
import { createTranslator, type Translator } from '../i18n';
import { requestLogging } from './middleware/request-logging';
import { securityHeaders } from './middleware/security-headers';
import { healthRoutes, type ReadinessCheck } from './routes/health.routes';
import { homeRoutes, type HomeRoutesDeps } from './routes/home.routes';
import { layoutEngine } from './view-engine';

export interface HttpDeps {
  readonly http: HttpConfig;
  readonly clinicName: string;
  readonly production: boolean;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** Session-room pages (absent in tools that build the app without live sessions). */
  readonly rooms?: RoomsRoutesDeps;
  /** Role home pages at `/` for signed-in people (issue 14); visitors always get the front door. */
  readonly home?: HomeRoutesDeps;
  /** The pre-call check page and its network-test endpoints (issue 5). */
  readonly check?: CheckRoutesDeps;
  /** Scheduling pages: booking, dashboards, availability, calendar feeds (issue 6). */
  readonly scheduling?: SchedulingRoutesDeps;
  /** Secure messaging pages (absent in tools that build the app without them). */
  readonly messaging?: MessagingRoutesDeps;
  /** Peer-support group pages. */
  readonly groups?: GroupsRoutesDeps;
  /** Clinical care pages: intake, measures, progress, notes, dashboards (issue 7). */
  readonly clinical?: ClinicalRoutesDeps;
  /** Care planning pages: diagnoses, treatment plans, exercises, safety plans (issue 18). */
  readonly carePlanning?: CarePlanningRoutesDeps;
  /** Record export, erasure requests and the admin's queue (issue 9). */
  readonly dataRights?: DataRightsRoutesDeps;
  /** Fees and billing: accounts, invoices, documents, the admin's catalogue and payments (issue 19). */
  readonly billing?: BillingRoutesDeps;
  /** Therapist directory and practice profiles (issue 7). */
  readonly directory?: DirectoryRoutesDeps;
  /** The admin console and the clinic's branding (issue 9). */
  readonly admin?: Omit<AdminRoutesDeps, 'accounts'>;
  readonly accounts: AccountsService;
  readonly accountsConfig: AccountsConfig;
  readonly sessionSecret: string;
  readonly clock: Clock;
  /** Live session timeouts (the admin console's, else the config's). */
  readonly sessionTimeouts?: { readonly idleMs: number; readonly absoluteMs: number };
  /** Every string people read, per language (default: the shipped resource files). */
  readonly translator?: Translator;
  /** Which languages the clinic offers and its default (default: all of them, English). */
  readonly languages?: LanguageSettings;
  /** Where request limiters keep their counters (default: in memory, one Haven process). */
  readonly limitStores?: LimitStores;
}

/** Builds the express app. It does not listen: `main.ts` does, and tests use supertest. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Explicit, from config: with `false`, a forged X-Forwarded-For changes nothing (not even req.ip).
  app.set('trust proxy', deps.http.trustProxy);
  const translator = deps.translator ?? createTranslator();
  app.engine('ejs', layoutEngine(VIEWS_DIR, deps.production, translator));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.locals.clinicName = deps.clinicName;
  // Views write sizes one way: `fileSize(bytes)` → "10 MB" (dates: `dates.*`, see date-locals.ts).
  app.locals.fileSize = formatBytes;
  // The time-zone field of every account form (setup, sign-up, invitation, profile).
  app.locals.timeZones = TIME_ZONES;
  const languages = deps.languages ?? ALL_LANGUAGES;
  const https = deps.http.publicUrl.startsWith('https://');

  // GET and HEAD read: what they read twice is read once (server/shared/request-scope.ts).
  app.use((req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') runInRequestScope(next);
    else next();
  });
  app.use(requestLogging(deps.logger));
  // First, so even an error page for a request refused early (a client source, a body too large)
  // renders the header, which marks the current section.
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    next();
  });
  // Here for pages refused before sign-in is known (the cookie or the browser's language); chosen
  // again after the accounts pipeline, where the person's profile wins.
  app.use(languageLocals(translator, languages));
  app.use(securityHeaders({ https: deps.http.publicUrl.startsWith('https://') }));
  app.use(onlyWhereItCanMatch(healthRoutes(deps.readiness)));
  // Client TypeScript sources live under public/src but only their bundles are served; in production
  // not their source maps either (they show the client code as written, comments and all).
  app.use('/src', notFound);
  if (deps.production)
    app.use((req, res, next) => (req.path.endsWith('.map') ? notFound(req, res, next) : next()));
  // MediaPipe's wasm and model (background effects) sit in a folder named for their versions, so a
  // browser may keep them a year: they are the largest files a page loads.
  app.use(
    '/build/vendor/mediapipe',
    express.static(join(PUBLIC_DIR, 'build', 'vendor', 'mediapipe'), {
      index: false,
      maxAge: deps.production ? '365d' : 0,
      immutable: deps.production,
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  app.use(
    publicFiles(PUBLIC_DIR, {
      index: false,
      maxAge: deps.production ? '1h' : 0,
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: deps.http.bodyLimitBytes, parameterLimit: 200 }));
  app.use(express.json({ limit: deps.http.bodyLimitBytes }));
  app.use(refuseNulBytes);
  // The clinic's stylesheet and logo need no session (sign-in pages and emails show them).
  if (deps.admin) app.use(onlyWhereItCanMatch(brandingRoutes(deps.admin.admin)));
  // Sessions, passport (req.user), CSRF (res.locals.csrfToken), setup and two-factor gates.
  installAccountsPipeline(app, {
    accounts: deps.accounts,
    clock: deps.clock,
    sessionSecret: deps.sessionSecret,
    https: deps.http.publicUrl.startsWith('https://'),
    // The admin console may change the timeouts while Haven runs: the store reads them per request.
    timeouts: deps.sessionTimeouts ?? {
      idleMs: deps.accountsConfig.sessionIdleMs,
      absoluteMs: deps.accountsConfig.sessionAbsoluteMs,
    },
    defaultClinicName: deps.clinicName,
    passwordMinLength: deps.accountsConfig.passwordMinLength,
  });

  // A guest's link page reads in the guest's language (chosen by their therapist).
  if (deps.rooms) app.use(onlyWhereItCanMatch(guestLinkLanguage(deps.rooms.rooms.guests)));
  app.use(languageLocals(translator, languages));
  app.use(dateLocals());
  if (deps.admin) app.use(brandingLocals(deps.admin.admin));
  if (deps.messaging) app.use(unreadMessagesLocal(deps.messaging.messaging));
  app.use(onlyWhereItCanMatch(languageRoutes({ accounts: deps.accounts, settings: languages, https })));
  app.use(onlyWhereItCanMatch(homeRoutes(deps.home)));
  app.use(
    onlyWhereItCanMatch(
      accountsRoutes({
        accounts: deps.accounts,
        clock: deps.clock,
        config: deps.accountsConfig,
        https: deps.http.publicUrl.startsWith('https://'),
        limitStores: deps.limitStores,
      }),
    ),
  );
  if (deps.rooms) app.use(onlyWhereItCanMatch(roomsRoutes(deps.rooms)));
  if (deps.rooms) app.use(onlyWhereItCanMatch(roomGuestsRoutes(deps.rooms)));
  if (deps.rooms) app.use(onlyWhereItCanMatch(e2eeChoiceRoutes(deps.rooms.rooms)));
  if (deps.check) app.use(onlyWhereItCanMatch(checkRoutes(deps.check)));
  if (deps.scheduling) app.use(onlyWhereItCanMatch(schedulingRoutes(deps.scheduling)));
  if (deps.messaging) app.use(onlyWhereItCanMatch(messagingRoutes(deps.messaging)));
  if (deps.groups) app.use(onlyWhereItCanMatch(groupsRoutes(deps.groups)));
  if (deps.directory) app.use(onlyWhereItCanMatch(directoryRoutes(deps.directory)));
  if (deps.clinical) app.use(onlyWhereItCanMatch(clinicalRoutes(deps.clinical)));
  if (deps.carePlanning) app.use(onlyWhereItCanMatch(carePlanningRoutes(deps.carePlanning)));
  if (deps.admin) app.use(onlyWhereItCanMatch(adminRoutes({ ...deps.admin, accounts: deps.accounts })));
  if (deps.dataRights)
    app.use(onlyWhereItCanMatch(dataRightsRoutes({ ...deps.dataRights, limitStores: deps.limitStores })));
  if (deps.billing) {
    app.use(onlyWhereItCanMatch(billingRoutes(deps.billing)));
    app.use(onlyWhereItCanMatch(billingAdminRoutes(deps.billing)));
  }

  app.use(notFound);
  app.use(errorHandler(deps.logger, translator));
  return app;
}
