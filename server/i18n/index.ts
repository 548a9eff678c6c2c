/** Haven in the reader's language: the shipped languages, how one page's language is chosen, and `t`. */
export {
  LANGUAGES,
  LANGUAGE_CODES,
  SOURCE_LANGUAGE,
  isLanguageCode,
  languageOf,
  type Language,
  type LanguageCode,
} from './languages';
export { acceptedTags, chooseLanguage, localeFor, type LanguageSignals } from './negotiation';
export {
  LOCALES_DIR,
  createTranslator,
  readResources,
  type ResourceTree,
  type Resources,
  type Translator,
} from './translator';
export { mailWordsOf } from './mail-words';
export { errorText, formErrors, problemText, statusTitle } from './problem-text';
export type { TFunction } from 'i18next';
