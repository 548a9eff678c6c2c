import { isLanguageCode, languageOf, SOURCE_LANGUAGE, type LanguageCode } from './languages';

/** Everything that can name the language of one page. */
export interface LanguageSignals {
  /** The signed-in person's profile setting (null for a visitor). */
  readonly profile: string | null;
  /** The switcher's cookie (a visitor's choice on this browser). */
  readonly cookie: string | null;
  /**
   * An invited guest's language, chosen by the therapist who invited them (issue 20): their link and
   * room pages open in it. Below the switcher, so a guest can still choose another on their browser.
   */
  readonly invited?: string | null;
  /** The browser's Accept-Language header. */
  readonly acceptLanguage: string | undefined;
  /** The languages the clinic offers (admin setting); nothing outside it is ever chosen. */
  readonly offered: readonly string[];
  /** The clinic's default language (admin setting). */
  readonly clinicDefault: string;
}

interface WantedTag {
  readonly tag: string;
  readonly q: number;
  readonly i: number;
}

/** Accept-Language → its tags, best first (quality values honoured, `*` and malformed tags dropped). */
export function acceptedTags(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, i): WantedTag => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((w) => w.tag !== '*' && w.q > 0 && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(w.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((w) => w.tag);
}

const baseOf = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/**
 * The language of one page: the person's profile, then the switcher's cookie, then an invited guest's
 * language, then the browser's Accept-Language, then the clinic's default, each only if the clinic
 * offers it. A clinic that
 * offers nothing valid still gets English (never an empty page).
 */
export function chooseLanguage(signals: LanguageSignals): LanguageCode {
  const offered = signals.offered.filter(isLanguageCode);
  const offers = (code: string | null | undefined): code is LanguageCode =>
    isLanguageCode(code) && offered.includes(code);
  if (offers(signals.profile)) return signals.profile;
  if (offers(signals.cookie)) return signals.cookie;
  if (offers(signals.invited)) return signals.invited;
  for (const tag of acceptedTags(signals.acceptLanguage)) {
    const base = baseOf(tag);
    if (offers(base)) return base;
  }
  if (offers(signals.clinicDefault)) return signals.clinicDefault;
  return offered[0] ?? SOURCE_LANGUAGE;
}

/**
 * The Intl locale for dates and numbers in `code`: the browser's own regional variant of that
 * language when it names one (en-US writes 9:32 AM, fr-CA writes 2026-12-03, ar-MA Latin digits),
 * else the language's default (languages.ts says why Arabic defaults to Arabic-Indic digits).
 */
export function localeFor(code: LanguageCode, acceptLanguage: string | undefined): string {
  for (const tag of acceptedTags(acceptLanguage)) {
    if (baseOf(tag) !== code || !tag.includes('-')) continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported && supported.includes('-')) return supported;
    } catch {
      // A malformed tag: try the next one.
    }
  }
  return languageOf(code).locale;
}
