import type { NextFunction, Request, Response } from 'express';
import { isAppError } from '../../shared/errors';

/** The posted form as plain strings (anything else is dropped), so a handler reads only named fields. */
export function form(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Form values to re-render after a bad submit: everything except passwords, codes and the CSRF token. */
export function keepValues(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!/password|code|_csrf/i.test(key)) out[key] = value;
  }
  return out;
}

/**
 * Re-renders a form with errors next to fields when `error` is an AppError with field details (400);
 * anything else goes to the error handler.
 */
export function renderFormError(
  res: Response,
  next: NextFunction,
  error: unknown,
  view: string,
  locals: Record<string, unknown>,
): void {
  if (isAppError(error) && error.kind === 'bad_request') {
    res.status(error.status).render(view, {
      ...locals,
      errors: error.details ?? { form: error.message },
    });
    return;
  }
  next(error);
}

export function clientIp(req: Request): string | null {
  return req.ip ?? null;
}
