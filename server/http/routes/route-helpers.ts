import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../../accounts';
import { AppError, isAppError } from '../../shared/errors';
import { formErrorsFor } from '../error-words';

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
      errors: formErrorsFor(res, error),
    });
    return;
  }
  next(error);
}

export function clientIp(req: Request): string | null {
  return req.ip ?? null;
}

/**
 * The signed-in person behind a request, as every feature's actor type takes them (rooms, groups,
 * messaging, scheduling, clinical, admin and data rights each read the fields they need), with the
 * client address for the audit trail. Routes behind `requireSignedIn` / `requireRole` always have one.
 */
export interface RequestActor {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly status: 'active' | 'deactivated';
  /** IANA zone for showing times (UTC when the account has none). */
  readonly timeZone: string;
  readonly ip: string | null;
}

export function actorOf(req: Request): RequestActor {
  const user = req.user;
  if (!user) throw new AppError('auth.required', 'unauthenticated');
  return {
    id: user.id,
    displayName: user.displayName,
    roles: user.roles,
    status: user.status,
    timeZone: user.timeZone || 'UTC',
    ip: clientIp(req),
  };
}

/** Reads something optional for a page section; "no access" hides the section instead of failing the page. */
export async function optional<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.code === 'clinical.forbidden') return null;
    throw error;
  }
}

/**
 * The language the reader reads Haven in, as the language middleware chose it (profile, switcher,
 * Accept-Language, clinic default). English when no middleware chose one (a tool, an early error).
 */
export function readerLanguageOf(req: Request): string {
  return req.language ?? 'en';
}
