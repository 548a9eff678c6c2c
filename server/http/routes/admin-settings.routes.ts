import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { LANGUAGES, TIME_ZONES, type AccountsService } from '../../accounts';
import {
  COLOUR_KEYS,
  CONTRAST_PAIRS,
  LOGO_MAX_BYTES,
  contrastRatio,
  logoTooLarge,
  pairName,
  type AdminServices,
} from '../../admin';
import type { ClinicalServices } from '../../clinical';
import { AppError, isAppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, clientIp, form, readerLanguageOf } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

export interface AdminSettingsDeps {
  readonly admin: AdminServices;
  readonly accounts: AccountsService;
  readonly clinical: ClinicalServices;
}

/** The settings form. */
const SETTINGS_FIELDS = {
  clinicName: fields.text(),
  selfSignup: fields.text(),
  directoryPublic: fields.text(),
  timeZone: fields.text(),
  languages: fields.list(),
  defaultLanguage: fields.text(16),
  crisisResources: fields.longText(),
  cancellationPolicy: fields.longText(),
  messagingExpectations: fields.longText(),
  sessionIdleMinutes: fields.text(),
  sessionAbsoluteHours: fields.text(),
  primary: fields.text(),
  primaryText: fields.text(),
  background: fields.text(),
  text: fields.text(),
};
const SMTP_FIELDS = {
  host: fields.text(),
  port: fields.text(),
  security: fields.text(),
  username: fields.text(),
  password: fields.text(),
};

const logoParser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LOGO_MAX_BYTES, files: 1, fields: 2, parts: 3 },
}).single('logo');

function readLogoUpload(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    logoParser(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        reject(
          error.code === 'LIMIT_FILE_SIZE'
            ? logoTooLarge()
            : new AppError('admin.bad_upload', 'bad_request', phrase('admin:problem.oneImage')),
        );
      } else if (error) reject(error as Error);
      else resolve();
    });
  });
}

/** Every page links /branding.css?v=… (changes with the colours) and shows the logo when there is one. */
export function brandingLocals(admin: AdminServices) {
  return (_req: Request, res: Response, next: () => void): void => {
    res.locals.brandVersion = createHash('sha256').update(admin.stylesheet()).digest('hex').slice(0, 12);
    const logo = admin.preferences.logoVersion;
    res.locals.logoUrl = logo ? `/branding/logo.png?v=${logo}` : null;
    res.locals.cancellationPolicy = admin.preferences.current.cancellationPolicy;
    // The profile form offers only the clinic's languages (plus the person's current one).
    res.locals.offeredLanguages = admin.preferences.current.languages;
    // New accounts' forms propose the browser's time zone, and the clinic's where there is no script.
    res.locals.clinicTimeZone = admin.preferences.current.timeZone;
    next();
  };
}

/** The clinic's stylesheet and logo: public (sign-in pages and emails show them), from our origin. */
export function brandingRoutes(admin: AdminServices): Router {
  const router = Router();
  router.get(
    '/branding.css',
    endpoint({ cacheable: true }, (_input, _req, res) => {
      res.type('text/css').setHeader('Cache-Control', 'public, max-age=300');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(admin.stylesheet());
    }),
  );
  router.get(
    '/branding/logo.png',
    endpoint({ cacheable: true }, async (_input, _req, res) => {
      const logo = await admin.preferences.readLogo();
      if (!logo) throw new AppError('admin.no_logo', 'not_found', phrase('admin:problem.noLogo'));
      res.setHeader('Content-Type', 'image/png');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.send(logo);
    }),
  );
  return router;
}

type Values = Record<string, string | string[] | boolean>;

/** The settings form's local values from what is stored now. */
async function storedValues(deps: AdminSettingsDeps): Promise<Values> {
  const p = deps.admin.preferences;
  const clinic = await deps.accounts.clinic.get();
  return {
    clinicName: clinic.clinicName ?? deps.admin.defaultClinicName,
    selfSignup: clinic.selfSignup,
    directoryPublic: p.directoryVisibility === 'public',
    timeZone: p.current.timeZone,
    languages: [...p.current.languages],
    defaultLanguage: p.defaultLanguage,
    // Only the console's own words: the operator's (CRISIS_RESOURCES, MESSAGING_EXPECTATIONS) or
    // Haven's sentence show while the box is empty (the page says which), and saving the form must
    // not copy the operator's text into the clinic's own, where a later change of the setting would
    // no longer reach it.
    crisisResources: p.clinicCrisisResources ?? '',
    cancellationPolicy: p.current.cancellationPolicy,
    messagingExpectations: p.clinicMessagingExpectations ?? '',
    sessionIdleMinutes: String(Math.round(p.sessionIdleMs / 60_000)),
    sessionAbsoluteHours: String(Math.round(p.sessionAbsoluteMs / 3_600_000)),
    ...p.colours,
  };
}

/** The posted settings form, read field by field (languages may repeat). */
function postedValues(req: Request): Values {
  const f = form(req);
  const raw = (req.body as Record<string, unknown>)?.languages;
  const languages = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (v): v is string => typeof v === 'string',
  );
  const str = (k: string) => f[k] ?? '';
  return {
    clinicName: str('clinicName'),
    selfSignup: f.selfSignup === 'on',
    directoryPublic: f.directoryPublic === 'on',
    timeZone: str('timeZone'),
    languages,
    defaultLanguage: str('defaultLanguage'),
    crisisResources: str('crisisResources'),
    cancellationPolicy: str('cancellationPolicy'),
    messagingExpectations: str('messagingExpectations'),
    sessionIdleMinutes: str('sessionIdleMinutes'),
    sessionAbsoluteHours: str('sessionAbsoluteHours'),
    primary: str('primary'),
    primaryText: str('primaryText'),
    background: str('background'),
    text: str('text'),
  };
}

/** One row of the page's contrast table; the page words the pair (`admin:settings.colours.pairs.<pair>`). */
interface ContrastRow {
  /** `textOnBackground`: the foreground colour's key, "On", the background's. */
  readonly pair: string;
  /** Rounded down to one decimal (4.49 is not 4.5), null when a colour cannot be read. */
  readonly ratio: number | null;
  readonly ok: boolean;
}

/** Contrast of each checked pair with the current colours, for the page's table. */
function contrastTable(values: Values): ContrastRow[] {
  return CONTRAST_PAIRS.map(([fg, bg]) => {
    const pair = pairName([fg, bg]);
    try {
      const ratio = contrastRatio(String(values[fg]), String(values[bg]));
      return { pair, ratio: Math.floor(ratio * 10) / 10, ok: ratio >= 4.5 };
    } catch {
      return { pair, ratio: null, ok: false };
    }
  });
}

/** Clinic settings: the form, the logo, the consent text (versioned), SMTP and its test email. */
export function adminSettingsRoutes(deps: AdminSettingsDeps): Router {
  const router = Router();
  const { admin } = deps;
  router.use('/admin/clinic-settings', requireRole('admin'));

  const page = async (req: Request, values: Values, errors: Record<string, string>, extra = {}) => {
    const p = admin.preferences;
    const consent = await deps.clinical.intake.currentConsent();
    return {
      values,
      errors,
      contrast: contrastTable(values),
      // The page names each colour (`admin:settings.colours.names.<key>`), in this order.
      colourKeys: COLOUR_KEYS,
      logoMaxBytes: LOGO_MAX_BYTES,
      timeZones: TIME_ZONES,
      languages: LANGUAGES,
      // What people read while a box is empty: the operator's text, else Haven's sentence (null).
      serverCrisis: p.serverCrisisResources,
      serverMessaging: p.serverMessagingExpectations,
      logoUrl: p.logoVersion ? `/branding/logo.png?v=${p.logoVersion}` : null,
      consent,
      consentValue: consent.body,
      consentErrors: {} as Record<string, string>,
      smtp: {
        fromConsole: p.smtpFromConsole,
        configured: Boolean(p.smtpUrl),
        settings: p.current.smtp,
        hasPassword: p.smtpHasPassword,
      },
      smtpValues: p.current.smtp
        ? { ...p.current.smtp, port: String(p.current.smtp.port), username: p.current.smtp.username ?? '' }
        : { host: '', port: '587', security: 'starttls', username: '' },
      smtpErrors: {} as Record<string, string>,
      testResult: null as null | { ok: boolean; error: string | null },
      adminEmail: req.user!.email,
      ...extra,
    };
  };

  type PageModel = Awaited<ReturnType<typeof page>>;
  /**
   * Runs one settings action. Bad input (a `bad_request` AppError) shows the settings page again
   * with 400 and the model `refused` builds from the error, nothing saved, and answers false; any
   * other error goes on to the error handler.
   */
  const attempt = async (
    res: Response,
    action: () => Promise<void>,
    refused: (error: AppError) => Promise<PageModel>,
  ): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'bad_request') throw error;
      res.status(400).render('admin/settings', await refused(error));
      return false;
    }
  };

  router.get(
    '/admin/clinic-settings',
    endpoint({}, async (_input, req, res) => {
      res.render('admin/settings', await page(req, await storedValues(deps), {}));
    }),
  );

  router.post(
    '/admin/clinic-settings',
    endpoint({ body: SETTINGS_FIELDS }, async (_input, req, res) => {
      const values = postedValues(req);
      const saved = await attempt(
        res,
        () => admin.preferences.update(actorOf(req), values as Record<string, unknown>),
        (error) => page(req, values, formErrorsFor(res, error)),
      );
      if (!saved) return;
      req.session.flash = pageT(res)('admin:settings.flash.saved');
      res.redirect(303, '/admin/clinic-settings');
    }),
  );

  /** Multipart, so the CSRF token comes as `?_csrf=`. */
  router.post(
    '/admin/clinic-settings/logo',
    // The upload is read inside (so a bad file re-renders the page); it has no text fields.
    endpoint({}, async (_input, req, res) => {
      const saved = await attempt(
        res,
        async () => {
          await readLogoUpload(req, res);
          if (!req.file)
            throw new AppError('admin.logo_missing', 'bad_request', phrase('admin:problem.chooseImage'));
          await admin.preferences.saveLogo(actorOf(req), req.file.buffer);
        },
        async (error) => page(req, await storedValues(deps), { logo: errorTextFor(res, error) }),
      );
      if (!saved) return;
      req.session.flash = pageT(res)('admin:settings.flash.logoSaved');
      res.redirect(303, '/admin/clinic-settings');
    }),
  );

  router.post(
    '/admin/clinic-settings/logo/remove',
    endpoint({}, async (_input, req, res) => {
      await admin.preferences.removeLogo(actorOf(req));
      req.session.flash = pageT(res)('admin:settings.flash.logoRemoved');
      res.redirect(303, '/admin/clinic-settings');
    }),
  );

  /** A new consent text is a new version: every client signs again before their next session. */
  router.post(
    '/admin/clinic-settings/consent',
    endpoint({ body: { body: fields.longText() } }, async (input, req, res) => {
      const body = input.body.body ?? '';
      const before = (await deps.clinical.intake.currentConsent()).version;
      let published = before;
      const saved = await attempt(
        res,
        async () => {
          const actor = { id: req.user!.id, roles: req.user!.roles, ip: clientIp(req) };
          published = (await deps.clinical.intake.setConsentText(actor, body)).version;
        },
        async (error) =>
          page(
            req,
            await storedValues(deps),
            {},
            { consentValue: body, consentErrors: { body: errorTextFor(res, error) } },
          ),
      );
      if (!saved) return;
      const t = pageT(res);
      req.session.flash =
        published === before
          ? t('admin:settings.flash.consentUnchanged')
          : t('admin:settings.flash.consentPublished', {
              version: (res.locals.number as (n: number) => string)(published),
            });
      res.redirect(303, '/admin/clinic-settings');
    }),
  );

  router.post(
    '/admin/clinic-settings/smtp',
    endpoint({ body: SMTP_FIELDS }, async (_input, req, res) => {
      const f = form(req);
      const smtpValues = {
        host: f.host ?? '',
        port: f.port ?? '',
        security: f.security ?? '',
        username: f.username ?? '',
      };
      const saved = await attempt(
        res,
        () => admin.preferences.updateSmtp(actorOf(req), f),
        async (error) =>
          page(req, await storedValues(deps), {}, { smtpValues, smtpErrors: formErrorsFor(res, error) }),
      );
      if (!saved) return;
      req.session.flash = pageT(res)('admin:settings.flash.smtpSaved');
      res.redirect(303, '/admin/clinic-settings#smtp');
    }),
  );

  router.post(
    '/admin/clinic-settings/smtp/clear',
    endpoint({}, async (_input, req, res) => {
      await admin.preferences.clearSmtp(actorOf(req));
      req.session.flash = pageT(res)('admin:settings.flash.smtpCleared', { setting: 'SMTP_URL' });
      res.redirect(303, '/admin/clinic-settings#smtp');
    }),
  );

  /** Sends at once (not via the outbox) and shows the outcome on the page. */
  router.post(
    '/admin/clinic-settings/smtp/test',
    endpoint({}, async (_input, req, res) => {
      const clinicName = String(res.locals.clinicName ?? 'Haven');
      const result = await admin.outbox.sendTest(
        { ...actorOf(req), email: req.user!.email },
        clinicName,
        readerLanguageOf(req),
      );
      res.render('admin/settings', await page(req, await storedValues(deps), {}, { testResult: result }));
    }),
  );

  return router;
}
