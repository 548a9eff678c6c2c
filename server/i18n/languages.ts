/**
 * The languages Haven ships, complete (every key of every feature file): the only codes a person,
 * a clinic or a request can choose. Adding one: a row here and a folder under `locales/` (README,
 * "Translating Haven"). Node-free and DOM-free: the server, the tests and the browser bundles read it.
 */
export interface Language {
  /** ISO 639-1 code: the folder name under locales/, the `lang` attribute, the stored profile value. */
  readonly code: LanguageCode;
  /** The language's own name (an endonym): recognisable by the person who needs it, in any page language. */
  readonly label: string;
  readonly dir: 'ltr' | 'rtl';
  /**
   * The Intl locale for dates and numbers when the browser names no region of this language.
   * English: en-GB (day before month, 24-hour clock), Haven's format before languages existed.
   * Arabic: Arabic-Indic digits (ar-u-nu-arab), as in Syria, Iraq, Sudan, Yemen, Egypt and the Gulf,
   * where most Arabic-speaking refugees and immigrants a clinic serves come from; ICU's plain `ar`
   * now writes Latin digits. A browser that names a Maghreb region (ar-MA, ar-DZ, ar-TN) gets that
   * region's Latin digits instead (see localeFor).
   * Portuguese: Brazilian (pt-BR), the largest Portuguese-speaking immigrant community.
   */
  readonly locale: string;
}

export const LANGUAGES = [
  { code: 'en', label: 'English', dir: 'ltr', locale: 'en-GB' },
  { code: 'es', label: 'Español', dir: 'ltr', locale: 'es' },
  { code: 'fr', label: 'Français', dir: 'ltr', locale: 'fr' },
  { code: 'ar', label: 'العربية', dir: 'rtl', locale: 'ar-u-nu-arab' },
  { code: 'pt', label: 'Português', dir: 'ltr', locale: 'pt-BR' },
] as const satisfies ReadonlyArray<{ code: string; label: string; dir: 'ltr' | 'rtl'; locale: string }>;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((l) => l.code);

/** English is the source language: every other file is checked against it, and it is the last fallback. */
export const SOURCE_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

export function languageOf(code: LanguageCode): Language {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
}
