import type { MailWords, WordValues } from '../mail';
import { isLanguageCode, SOURCE_LANGUAGE } from './languages';
import type { Translator } from './translator';

/**
 * Mail's words (the `email` feature file) in a recipient's language, through the one translator the
 * pages use, so a clinic's string overrides reach emails too. A language Haven does not ship (an
 * old profile value) reads English.
 */
export function mailWordsOf(translator: Translator): MailWords {
  return (language) => {
    const t = translator.fixedT(isLanguageCode(language) ? language : SOURCE_LANGUAGE);
    return (key: string, values?: WordValues) => t(key, { ...values });
  };
}
