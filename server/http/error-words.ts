import type { Response } from 'express';
import { errorText, formErrors, problemText, type TFunction } from '../i18n';
import type { AppError, Problem } from '../shared/errors';

/**
 * How the web writes a service's refusal in the reader's language. Services throw codes and name
 * their sentences as resource keys (`Phrase`), because only the transport knows who reads the
 * answer; server/i18n/problem-text.ts turns the keys into words, and these bind it to a page's
 * reader, so every page, flash and JSON answer says it the same way.
 */

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

/** Problems by field (a service's answer that is not an error, such as a search's) for the reader of this response. */
export function problemsTextFor(
  res: Response,
  problems: Readonly<Record<string, Problem>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, problemTextFor(res, p)]));
}
