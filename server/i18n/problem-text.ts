import type { TFunction } from 'i18next';
import type { AppError, Problem } from '../shared/errors';
import { formatBytes } from '../shared/file-size';
import { isLanguageCode, languageOf, SOURCE_LANGUAGE } from './languages';

/**
 * One problem a service named (a Phrase: resource key and values) in the words of `t`'s language;
 * English a service has not moved to a resource file yet stays as it is. Numbers in the values are
 * written the language's way ("١٢" in Arabic), except `count`, which i18next needs as a number to
 * choose the plural form, and `bytes`, a file size written with its unit ("2 MB", "2 Mo", "٢ م.ب"),
 * since a service that names a size limit does not know its reader's language. An `amount` next
 * to a `currency` is money: a decimal string ("12.50", exact, as billing keeps it) written as the
 * language writes that currency ("12,50 $US").
 */
export function problemText(t: TFunction, problem: Problem): string {
  if (typeof problem === 'string') return problem;
  const lng = (t as unknown as { lng?: string }).lng;
  const locale = languageOf(isLanguageCode(lng) ? lng : SOURCE_LANGUAGE).locale;
  const numbers = new Intl.NumberFormat(locale);
  const currency = problem.values?.currency;
  const written = (k: string, v: string | number): string | number =>
    k === 'amount' && typeof currency === 'string'
      ? moneyText(locale, currency, v)
      : typeof v !== 'number' || k === 'count'
        ? v
        : k === 'bytes'
          ? formatBytes(v, locale)
          : numbers.format(v);
  const values = Object.fromEntries(Object.entries(problem.values ?? {}).map(([k, v]) => [k, written(k, v)]));
  return t(problem.key, values) as string;
}

/** A decimal amount as money in `locale` (Intl formats a decimal string exactly, with no float between). */
function moneyText(locale: string, currency: string, amount: string | number): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(String(amount) as unknown as number);
}

/** The status's own title in the reader's language ("Page not found"). */
export function statusTitle(t: TFunction, status: number): string {
  return t(`errors:status.${status}`, { defaultValue: t('errors:status.other') }) as string;
}

/**
 * What went wrong, for a flash, a form's top line or the error page: the service's sentence when it
 * named one, else the code's own sentence (`errors:code.<code>`) when there is one, else the
 * status's title. `english` says whether the reader reads English: only then is an old English
 * message shown; another reader gets the code's or the status's words rather than English.
 */
export function errorText(t: TFunction, error: AppError, english: boolean): string {
  if (error.phrase) return problemText(t, error.phrase);
  if (english && error.message !== error.code) return error.message;
  const fallback = statusTitle(t, error.status);
  return t(`errors:code.${error.code}`, { defaultValue: fallback }) as string;
}

/** A form's problems by field in the reader's words, or the whole error under `form`. */
export function formErrors(t: TFunction, error: AppError, english: boolean): Record<string, string> {
  if (!error.details) return { form: errorText(t, error, english) };
  return Object.fromEntries(Object.entries(error.details).map(([field, p]) => [field, problemText(t, p)]));
}
