import { Router, type Response } from 'express';
import type { AccountsService } from '../../accounts';
import { isLanguageCode } from '../../i18n';
import { AppError, phrase } from '../../shared/errors';
import { LANGUAGE_COOKIE, type LanguageSettings } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';

export interface LanguageRoutesDeps {
  readonly accounts: AccountsService;
  readonly settings: LanguageSettings;
  readonly https: boolean;
}

const ONE_YEAR_MS = 365 * 24 * 3_600_000;

/**
 * Back to the page the switcher was on: a path on this site only (`/x`, never `//host` or `/\host`,
 * which browsers treat as another site), else home.
 */
export function sameSitePath(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) && !/[\s\\]/.test(next) ? next : '/';
}

/**
 * The language switcher on every page (views/partials/language-switcher.ejs), without JavaScript:
 * a visitor's form is a GET that sets a cookie (it changes nothing but how this browser's pages
 * read, so a link from elsewhere can do no harm); a signed-in person's is a POST with the CSRF token
 * that saves the choice in their profile (their pages and emails follow it everywhere). Both bring
 * the person back to the same page.
 */
export function languageRoutes(deps: LanguageRoutesDeps): Router {
  const router = Router();
  const declaration = { lang: fields.text(16), next: fields.text(1000) };

  function chosen(lang: string | undefined): string {
    if (!isLanguageCode(lang) || !deps.settings.offered().includes(lang)) {
      throw new AppError('language.not_offered', 'bad_request', phrase('errors:field.languageOffered'));
    }
    return lang;
  }

  function remember(res: Response, lang: string): void {
    res.cookie(LANGUAGE_COOKIE, lang, {
      maxAge: ONE_YEAR_MS,
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.https,
      path: '/',
    });
  }

  router.get(
    '/language',
    endpoint({ query: declaration }, ({ query }, _req, res) => {
      remember(res, chosen(query.lang));
      res.redirect(303, sameSitePath(query.next));
    }),
  );

  router.post(
    '/language',
    endpoint({ body: declaration }, async ({ body }, req, res) => {
      const lang = chosen(body.lang);
      if (req.user) await deps.accounts.lifecycle.setLanguage(req.user, lang);
      remember(res, lang);
      res.redirect(303, sameSitePath(body.next));
    }),
  );
  return router;
}
