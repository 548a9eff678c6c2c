import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import {
  chooseLanguage,
  LANGUAGES,
  languageOf,
  localeFor,
  type Language,
  type LanguageCode,
  type TFunction,
  type Translator,
} from '../../i18n';
import { formatBytes } from '../../shared/file-size';
import { escapeHtml } from '../../shared/html';
import { keptPerKey } from '../../shared/kept-per-key';

/** The switcher's cookie: a visitor's language on this browser (a signed-in person's is their profile). */
export const LANGUAGE_COOKIE = 'haven.lang';

/** The clinic's language settings, read per request (the admin console may change them while Haven runs). */
export interface LanguageSettings {
  offered(): readonly string[];
  clinicDefault(): string;
}

/** Every language, English first: what a tool without the admin console offers. */
export const ALL_LANGUAGES: LanguageSettings = {
  offered: () => LANGUAGES.map((l) => l.code),
  clinicDefault: () => 'en',
};

export function cookieValue(req: Request, name: string): string | null {
  return cookieIn(req.get('cookie'), name);
}

function cookieIn(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The language of a request express does not see (a socket's handshake, after the session and
 * passport middlewares), chosen exactly as a page's is: profile, switcher cookie, Accept-Language,
 * the clinic's default.
 */
export function handshakeLanguage(req: IncomingMessage, settings: LanguageSettings): LanguageCode {
  const { user } = req as IncomingMessage & { user?: { language?: string | null } };
  return chooseLanguage({
    profile: user?.language ?? null,
    cookie: cookieIn(req.headers.cookie, LANGUAGE_COOKIE),
    acceptLanguage: req.headers['accept-language'],
    offered: settings.offered(),
    clinicDefault: settings.clinicDefault(),
  });
}

/** A locale's number and list formatters, each built on its first use. */
interface LocaleFormatters {
  numbers?: Intl.NumberFormat;
  percents?: Intl.NumberFormat;
  lists?: Intl.ListFormat;
  names?: Intl.ListFormat;
}

/**
 * Kept per locale: an Intl constructor costs more than a page's translations, and building three per
 * request was a measurable share of every page (issue 21). The locale comes from Accept-Language, so
 * only the first few distinct ones are kept (kept-per-key.ts); any other gets its own set for that request.
 */
const formattersFor = keptPerKey(
  64,
  (locale: string) => locale,
  (): LocaleFormatters => ({}),
);

/**
 * What every view gets to write in one language: `t` (and `tHtml`), `lang` and `dir` for <html>, `number(n)`, `percent(fraction)`,
 * `fileSize(bytes)`, `wordList(words)`, `nameList(names)`, the switcher's languages, and `clientStrings(ns)` for a page's bundle. The view engine gives
 * English ones to a page rendered outside a request's middleware (an early error page, a tool).
 */
export function languageViewLocals(
  translator: Translator,
  lang: LanguageCode,
  locale: string,
  switcherLanguages: readonly Language[],
): Record<string, unknown> {
  const f = formattersFor(locale);
  const t = translator.fixedT(lang);
  return {
    t,
    // For a string that carries its own markup (`Signed in as <strong>{{email}}</strong>`), written
    // with `<%- tHtml(…) %>`: the values are escaped, the translation's markup is kept.
    tHtml: (key: string, values: Readonly<Record<string, unknown>> = {}): string =>
      t(
        key,
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k === 'count' ? v : escapeHtml(v)])),
      ),
    lang,
    dir: languageOf(lang).dir,
    switcherLanguages,
    number: (n: number): string => (f.numbers ??= new Intl.NumberFormat(locale)).format(n),
    // A share as a percentage in the reader's digits and sign ("42 %", "٤٢٪"): 0.42 → 42%.
    percent: (fraction: number): string =>
      (f.percents ??= new Intl.NumberFormat(locale, { style: 'percent' })).format(fraction),
    // A file's size in the reader's digits and units ("1,5 Mo"); the app-wide English one is the fallback.
    fileSize: (bytes: number): string => formatBytes(bytes, locale),
    // A short list of words ("Anxiety, Grief") with the language's own separators ("القلق، والحزن").
    wordList: (items: readonly string[]): string =>
      (f.lists ??= new Intl.ListFormat(locale, { type: 'unit', style: 'short' })).format(items),
    // People named together ("Sam and Alex", "Sam y Alex", "سام وأليكس").
    nameList: (items: readonly string[]): string =>
      (f.names ??= new Intl.ListFormat(locale, { type: 'conjunction' })).format(items),
    // In a <script type="application/json">: `<` escaped so no string can close the tag.
    clientStrings: (namespace: string): string =>
      JSON.stringify(translator.strings(lang, namespace)).replace(/</g, '\\u003c'),
  };
}

/**
 * Chooses this page's language (profile > switcher cookie > an invited guest's language >
 * Accept-Language > clinic default, only offered ones: server/i18n/negotiation.ts) and gives every view what it needs to write in it
 * (languageViewLocals). Sets `req.language` and `req.locale` (the Intl locale dates and numbers use). After the
 * accounts pipeline: it reads `req.user`.
 */
export function languageLocals(translator: Translator, settings: LanguageSettings): RequestHandler {
  return (req, res, next) => {
    const acceptLanguage = req.get('accept-language');
    const offered = settings.offered();
    const lang: LanguageCode = chooseLanguage({
      profile: req.user?.language ?? null,
      cookie: cookieValue(req, LANGUAGE_COOKIE),
      // A guest's link page (guest-language.ts), else the pass of a guest whose link was used. The
      // first run, before sessions are read, has neither.
      invited:
        req.invitedLanguage ??
        (req.session as Partial<typeof req.session> | undefined)?.guest?.language ??
        null,
      acceptLanguage,
      offered,
      clinicDefault: settings.clinicDefault(),
    });
    req.language = lang;
    req.locale = localeFor(lang, acceptLanguage);
    Object.assign(
      res.locals,
      languageViewLocals(
        translator,
        lang,
        req.locale,
        LANGUAGES.filter((l) => offered.includes(l.code) || l.code === lang),
      ),
    );
    // For an email to someone with no profile yet (an invitation): the clinic's language.
    res.locals.clinicLanguage = settings.clinicDefault();
    // Where the switcher sends the reader back to (the same page, query included).
    res.locals.currentUrl = req.originalUrl.length <= 1000 ? req.originalUrl : req.path;
    next();
  };
}

/** The clinic's default language, for writing to someone who has no profile yet (an invitation). */
export function clinicLanguageOf(res: Response): string {
  return typeof res.locals.clinicLanguage === 'string' ? res.locals.clinicLanguage : 'en';
}

/** The page's `t` for a route (a title, a flash message): the same one its views get. */
export function pageT(res: Response): TFunction {
  return res.locals.t as TFunction;
}
