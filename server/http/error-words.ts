import type { Response } from 'express';
import { problemText, type TFunction } from '../i18n';
import type { AppError, Problem } from '../shared/errors';

/**
 * How a transport writes a service's refusal in the reader's language. Services throw codes and
 * name their sentences as resource keys (`Phrase`), because only the transport knows who reads the
 * answer; these three functions are the one place the keys become words, so every page, flash and
 * JSON answer says it the same way.
 */

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

/** The page's reader (set by languageLocals on every request): their `t` and whether they read English. */
function readerOf(res: Response): { t: TFunction; english: boolean } {
  return { t: res.locals.t as TFunction, english: res.locals.lang === 'en' };
}

/** `errorText` for the reader of this response (a flash, a line above a form). */
export function errorTextFor(res: Response, error: AppError): string {
  const { t, english } = readerOf(res);
  return errorText(t, error, english);
}

/** `formErrors` for the reader of this response: what a form shows next to its fields. */
export function formErrorsFor(res: Response, error: AppError): Record<string, string> {
  const { t, english } = readerOf(res);
  return formErrors(t, error, english);
}

/** One problem for the reader of this response. */
export function problemTextFor(res: Response, problem: Problem): string {
  return problemText(res.locals.t as TFunction, problem);
}
