import { Router, type Request, type Response } from 'express';
import type { AdminServices } from '../../admin';
import { LANGUAGES } from '../../i18n';
import { isAppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

/** How many strings one page lists: the search narrows the rest. */
const PAGE_SIZE = 60;

const LIST_QUERY = { language: fields.text(16), q: fields.text(200) };
const OVERRIDE_FIELDS = { language: fields.text(16), key: fields.text(200), value: fields.longText(5000) };
const RESET_FIELDS = { language: fields.text(16), key: fields.text(200), q: fields.text(200) };

/**
 * A clinic's own wording of any interface string, per language (issue 20): find a string by key or
 * text, write the clinic's text, or go back to the shipped one. Audited in the service; applied at
 * once through the translator.
 */
export function adminTranslationsRoutes(deps: { readonly admin: AdminServices }): Router {
  const router = Router();
  const { admin } = deps;
  router.use('/admin/translations', requireRole('admin'));

  const back = (language: string, q: string) =>
    `/admin/translations?${new URLSearchParams({ language, ...(q ? { q } : {}) }).toString()}`;

  /** The page for one language and search; `problem` keeps a refused form's text and error. */
  const page = async (
    req: Request,
    language: string,
    q: string,
    problem?: { key: string; value: string; error: string },
  ) => {
    const rows = await admin.strings.list(actorOf(req), language, q);
    return {
      language,
      q,
      languages: LANGUAGES,
      total: rows.length,
      rows: rows.slice(0, PAGE_SIZE),
      shown: Math.min(rows.length, PAGE_SIZE),
      problem: problem ?? null,
    };
  };

  const chosen = (req: Request, language: string | undefined) =>
    language && LANGUAGES.some((l) => l.code === language) ? language : (req.language ?? 'en');

  const refused = async (
    req: Request,
    res: Response,
    language: string,
    q: string,
    key: string,
    value: string,
    error: unknown,
  ) => {
    if (!isAppError(error) || error.kind !== 'bad_request') throw error;
    const message = Object.values(formErrorsFor(res, error))[0] ?? errorTextFor(res, error);
    const safeLanguage = LANGUAGES.some((l) => l.code === language) ? language : (req.language ?? 'en');
    res
      .status(400)
      .render('admin/translations', await page(req, safeLanguage, q || key, { key, value, error: message }));
  };

  router.get(
    '/admin/translations',
    endpoint({ query: LIST_QUERY }, async ({ query }, req, res) => {
      res.render('admin/translations', await page(req, chosen(req, query.language), query.q ?? ''));
    }),
  );

  router.post(
    '/admin/translations',
    endpoint({ body: OVERRIDE_FIELDS }, async ({ body }, req, res) => {
      const language = body.language ?? '';
      const key = body.key ?? '';
      const value = body.value ?? '';
      try {
        await admin.strings.set(actorOf(req), language, key, value);
      } catch (error) {
        await refused(req, res, language, '', key, value, error);
        return;
      }
      req.session.flash = pageT(res)('translations:strings.saved', { key, language });
      res.redirect(303, back(language, key));
    }),
  );

  router.post(
    '/admin/translations/reset',
    endpoint({ body: RESET_FIELDS }, async ({ body }, req, res) => {
      const language = body.language ?? '';
      const key = body.key ?? '';
      let removed: boolean;
      try {
        removed = await admin.strings.reset(actorOf(req), language, key);
      } catch (error) {
        await refused(req, res, language, body.q ?? '', key, '', error);
        return;
      }
      const t = pageT(res);
      req.session.flash = removed
        ? t('translations:strings.resetDone', { key, language })
        : t('translations:strings.nothingToReset', { key, language });
      res.redirect(303, back(language, body.q || key));
    }),
  );

  return router;
}
