import { Router, type Request, type Response } from 'express';
import type { AdminServices } from '../../admin';
import type { ClinicalServices } from '../../clinical';
import { LANGUAGES } from '../../i18n';
import { isAppError } from '../../shared/errors';
import { pageT } from '../middleware/language-locals';
import { requireRole } from '../middleware/auth';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf } from './route-helpers';
import { errorTextFor, formErrorsFor } from '../error-words';

export interface AdminLanguagesDeps {
  readonly admin: AdminServices;
  readonly clinical: ClinicalServices;
}

const CONSENT_FIELDS = { language: fields.text(20), body: fields.longText() };
const CRISIS_FIELDS = { language: fields.text(20), text: fields.longText() };

/** A language as its speakers name it ('es' → 'Español'), in any page language. */
const labelOf = (code: string): string => LANGUAGES.find((l) => l.code === code)?.label ?? code;

/**
 * What people read in their own language beyond the interface (issue 20): the telehealth consent
 * text per language (each a versioned text that clients of that language sign) and the crisis
 * resources per language (a language without its own shows the clinic's default text).
 */
export function adminLanguagesRoutes(deps: AdminLanguagesDeps): Router {
  const router = Router();
  const { admin, clinical } = deps;
  router.use('/admin/languages', requireRole('admin'));

  /** The page; `posted` keeps what an admin typed in the form that was refused, with its error. */
  const page = async (posted?: {
    form: 'consent' | 'crisis';
    language: string;
    text: string;
    error: string;
  }) => {
    const preferences = admin.preferences;
    const defaultLanguage = preferences.defaultLanguage;
    const consents = await clinical.intake.consentTexts();
    return {
      defaultLanguage,
      defaultLabel: labelOf(defaultLanguage),
      consents: consents.map(({ language, consent }) => {
        const mine = posted?.form === 'consent' && posted.language === language ? posted : null;
        return {
          language,
          label: labelOf(language),
          version: consent?.version ?? null,
          value: mine ? mine.text : (consent?.body ?? ''),
          error: mine?.error ?? null,
        };
      }),
      // What default-language readers see: the clinic's text, else Haven's own in that language.
      crisisDefault: clinical.crisis.resourcesFor(defaultLanguage),
      // No clinic text at all: each language without its own reads Haven's sentence in that language.
      crisisHaven: preferences.crisisResources === null,
      crisis: preferences.current.languages
        .filter((language) => language !== defaultLanguage)
        .map((language) => {
          const mine = posted?.form === 'crisis' && posted.language === language ? posted : null;
          return {
            language,
            label: labelOf(language),
            value: mine ? mine.text : (preferences.crisisResourcesByLanguage[language] ?? ''),
            error: mine?.error ?? null,
          };
        }),
    };
  };

  /** Runs a save; a refused one (bad input) shows the page again with the typed text kept. */
  const save = async (
    req: Request,
    res: Response,
    form: 'consent' | 'crisis',
    language: string,
    text: string,
    action: (t: ReturnType<typeof pageT>) => Promise<string>,
  ): Promise<void> => {
    try {
      req.session.flash = await action(pageT(res));
      res.redirect(303, `/admin/languages#${form}-${language}`);
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'bad_request') throw error;
      const message = Object.values(formErrorsFor(res, error))[0] ?? errorTextFor(res, error);
      res.status(400).render('admin/languages', await page({ form, language, text, error: message }));
    }
  };

  router.get(
    '/admin/languages',
    endpoint({}, async (_input, _req, res) => {
      res.render('admin/languages', await page());
    }),
  );

  /** A changed text in one language is a new version: clients reading Haven in it sign again. */
  router.post(
    '/admin/languages/consent',
    endpoint({ body: CONSENT_FIELDS }, async ({ body }, req, res) => {
      const language = body.language ?? '';
      const text = body.body ?? '';
      await save(req, res, 'consent', language, text, async (t) => {
        const before = (await clinical.intake.consentTexts()).find((c) => c.language === language)?.consent;
        const saved = await clinical.intake.setConsentText(actorOf(req), text, language);
        return saved.version === before?.version
          ? t('translations:languages.consentUnchanged', { language: labelOf(language) })
          : t('translations:languages.consentPublished', {
              language: labelOf(language),
              version: saved.version,
            });
      });
    }),
  );

  router.post(
    '/admin/languages/crisis',
    endpoint({ body: CRISIS_FIELDS }, async ({ body }, req, res) => {
      const language = body.language ?? '';
      const text = body.text ?? '';
      await save(req, res, 'crisis', language, text, async (t) => {
        await admin.preferences.setCrisisResources(actorOf(req), { language, text });
        if (text.trim()) return t('translations:languages.crisisSaved', { language: labelOf(language) });
        // With no clinic text at all, an empty language gets Haven's sentence in that language.
        return admin.preferences.crisisResources === null
          ? t('translations:languages.crisisRemovedHaven', { language: labelOf(language) })
          : t('translations:languages.crisisRemoved', {
              language: labelOf(language),
              default: labelOf(admin.preferences.defaultLanguage),
            });
      });
    }),
  );

  return router;
}
