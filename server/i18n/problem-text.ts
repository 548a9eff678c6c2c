import type { TFunction } from 'i18next';
import type { Problem } from '../shared/errors';
import { isLanguageCode, languageOf, SOURCE_LANGUAGE } from './languages';

/**
 * One problem a service named (a Phrase: resource key and values) in the words of `t`'s language;
 * English a service has not moved to a resource file yet stays as it is. Numbers in the values are
 * written the language's way ("١٢" in Arabic), except `count`, which i18next needs as a number to
 * choose the plural form.
 */
export function problemText(t: TFunction, problem: Problem): string {
  if (typeof problem === 'string') return problem;
  const lng = (t as unknown as { lng?: string }).lng;
  const numbers = new Intl.NumberFormat(languageOf(isLanguageCode(lng) ? lng : SOURCE_LANGUAGE).locale);
  const values = Object.fromEntries(
    Object.entries(problem.values ?? {}).map(([k, v]) => [
      k,
      typeof v === 'number' && k !== 'count' ? numbers.format(v) : v,
    ]),
  );
  return t(problem.key, values) as string;
}
