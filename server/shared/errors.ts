import type { ErrorCode } from '../protocol';

/**
 * The one error vocabulary. Services throw `new AppError('outbox.not_found')`; the HTTP error handler
 * and the socket ack mapper turn the code into a status, a friendly page or an ack error. The codes
 * are a typed union (`protocol/error-codes.ts`), shared with the browser and the tests.
 */
export type { ErrorCode } from '../protocol';
export type AppErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_many_requests'
  | 'unavailable';

const STATUS: Record<AppErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  unavailable: 503,
};

export class AppError extends Error {
  /** Stable dotted code, e.g. `appointment.slot_taken`; safe to show and to match in tests. */
  readonly code: ErrorCode;
  readonly kind: AppErrorKind;
  /** Field-level problems for forms (never health data). */
  readonly details: Readonly<Record<string, string>> | undefined;

  constructor(
    code: ErrorCode,
    kind: AppErrorKind = 'bad_request',
    message?: string,
    details?: Record<string, string>,
  ) {
    super(message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
