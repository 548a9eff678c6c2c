import type { Express, Request, RequestHandler } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { twoFactorRequiredFor, type AccountsService } from '../../accounts';
import type { Clock } from '../../shared/clock';
import { AppError, phrase } from '../../shared/errors';
import '../http-types';
import { saveSessionBeforeResponse } from '../session/save-before-response';
import { SequelizeSessionStore } from '../session/sequelize-session-store';
import { takeSessionPerson } from '../session/session-person';
import { csrfProtection } from './csrf';
import { noStoreWhenSignedIn } from './no-store';

export interface AccountsPipelineDeps {
  readonly accounts: AccountsService;
  readonly clock: Clock;
  readonly sessionSecret: string;
  readonly https: boolean;
  /** Read on every request (an object with getters, when the admin console may change them). */
  readonly timeouts: { readonly idleMs: number; readonly absoluteMs: number };
  readonly defaultClinicName: string;
  readonly passwordMinLength: number;
}

const HANDSHAKE_KEY = 'haven:session-handshake';

function setSessionHandshake(app: Express, middlewares: RequestHandler[]): void {
  app.set(HANDSHAKE_KEY, middlewares);
}

/** The session and passport middlewares, for socket.io's handshake (so a socket knows who signed in). */
export function sessionHandshakeOf(app: Express): RequestHandler[] {
  const middlewares = app.get(HANDSHAKE_KEY) as RequestHandler[] | undefined;
  if (!middlewares) throw new Error('the accounts pipeline is not installed on this app');
  return middlewares;
}

/** Cookie name: `__Host-` over HTTPS, so it is Secure, host-only and path=/ by the browser's rule. */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-haven.sid' : 'haven.sid';
}

/** Paths reachable while the first admin does not exist yet. */
function allowedDuringSetup(path: string): boolean {
  return path === '/setup';
}

/** Paths reachable by staff who still must enrol a second factor. */
function allowedBeforeEnrolment(path: string): boolean {
  return path.startsWith('/account/two-factor') || path === '/sign-out';
}

/**
 * Installs sessions, passport, CSRF, the view locals (`user`, `csrfToken`, `clinicName`, `flash`)
 * and the two gates: first-run setup, and "staff enrol two-factor before anything else".
 * Must come after the body parsers (CSRF reads the form) and before every feature route.
 */
export function installAccountsPipeline(app: Express, deps: AccountsPipelineDeps): void {
  const { accounts, clock } = deps;
  app.locals.passwordMinLength = deps.passwordMinLength;
  const store = new SequelizeSessionStore(accounts.sessions.repository, clock, deps.timeouts);
  const sessionMiddleware = session({
    name: sessionCookieName(deps.https),
    secret: deps.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: deps.https, path: '/' },
  });
  app.use(sessionMiddleware);
  app.use(saveSessionBeforeResponse());

  const passport = new Passport();
  passport.serializeUser<string>((user, done) => done(null, (user as Express.User).id));
  passport.deserializeUser<string, Request>((req, id, done) => {
    // The session read brought the person along (one statement); a GET's later reads reuse it.
    const known = takeSessionPerson(req, id);
    if (known) accounts.rememberForRequest(known);
    (known ? Promise.resolve(known) : accounts.byId(id))
      .then((user) => done(null, user && user.status === 'active' ? user : false))
      .catch((error: unknown) => done(error));
  });
  const passportMiddlewares = [passport.initialize(), passport.session()];
  app.use(...passportMiddlewares);
  app.use(noStoreWhenSignedIn);
  // The realtime layer runs the same session + passport on the socket handshake (shared sign-in).
  setSessionHandshake(app, [sessionMiddleware, ...passportMiddlewares]);

  const csrf = csrfProtection();
  app.use(async (req, res, next) => {
    try {
      res.locals.user = req.user ?? null;
      // Generated on first use, so a visitor reading a page without a form gets no session row.
      Object.defineProperty(res.locals, 'csrfToken', {
        configurable: true,
        enumerable: true,
        get: () => csrf.tokenFor(req),
      });
      const settings = await accounts.clinic.get();
      res.locals.clinicName = settings.clinicName ?? deps.defaultClinicName;
      res.locals.selfSignup = settings.selfSignup;
      if (req.session?.flash) {
        res.locals.flash = req.session.flash;
        delete req.session.flash;
      }
      next();
    } catch (error) {
      next(error);
    }
  });
  app.use(csrf.protect);
  app.use(setupGate(accounts));
  app.use(enrolmentGate);
}

/** While no admin exists every page leads to /setup; once one does, the answer is cached for good. */
function setupGate(accounts: AccountsService): RequestHandler {
  let adminExists = false;
  return async (req, res, next) => {
    try {
      if (!adminExists) adminExists = await accounts.lifecycle.adminExists();
      if (adminExists || allowedDuringSetup(req.path)) return next();
      if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(302, '/setup');
      next(new AppError('setup.required', 'unavailable', phrase('errors:code.setup.required')));
    } catch (error) {
      next(error);
    }
  };
}

/** Admins and therapists can reach nothing but two-factor enrolment (and sign-out) until enrolled. */
const enrolmentGate: RequestHandler = (req: Request, res, next) => {
  const user = req.user;
  if (
    !user ||
    user.twoFactorEnabled ||
    !twoFactorRequiredFor(user.roles) ||
    allowedBeforeEnrolment(req.path)
  ) {
    return next();
  }
  if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(302, '/account/two-factor/enrol');
  next(new AppError('auth.two_factor_required', 'forbidden', phrase('errors:code.auth.two_factor_required')));
};
