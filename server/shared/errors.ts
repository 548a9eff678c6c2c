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

/**
 * Words a person reads, as a key in the resource files (`server/i18n/locales/<lng>/errors.json`,
 * e.g. `errors:field.email`) and the values it interpolates. Services do not know the reader's
 * language; the transport that shows the words does (the page's `t`), so a service names the
 * sentence and the transport writes it (server/http/error-words.ts).
 */
export interface Phrase {
  readonly key: string;
  readonly values?: Readonly<Record<string, string | number>>;
}

/** A problem shown to a person: a Phrase (translated), or English not yet moved to a resource file. */
export type Problem = string | Phrase;

/** `phrase('errors:field.atMost', { max: 120 })`. */
export function phrase(key: string, values?: Readonly<Record<string, string | number>>): Phrase {
  return values ? { key, values } : { key };
}

/** A resource key written where only a string fits (a zod message): `errors:field.email`. */
const KEY_LIKE = /^[a-z][a-zA-Z-]*:[a-zA-Z0-9_.-]+$/;

/** A zod message or a Problem as a Problem: a key-shaped string becomes a Phrase with `values`. */
export function problemOf(message: Problem, values?: Readonly<Record<string, string | number>>): Problem {
  return typeof message === 'string' && KEY_LIKE.test(message) ? phrase(message, values) : message;
}

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
  /** Field-level problems for forms (never health data), translated by the transport. */
  readonly details: Readonly<Record<string, Problem>> | undefined;
  /**
   * The sentence for the person, when the service names one (else the transport says what the
   * code or the status means). `message` keeps the key, for logs and for code that matches it.
   */
  readonly phrase: Phrase | undefined;

  constructor(
    code: ErrorCode,
    kind: AppErrorKind = 'bad_request',
    message?: Problem,
    details?: Readonly<Record<string, Problem>>,
  ) {
    super(message === undefined ? code : typeof message === 'string' ? message : message.key);
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.phrase = typeof message === 'object' ? message : undefined;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** What a zod issue carries that a Problem needs (structural, so shared/ stays free of zod). */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly maximum?: unknown;
  readonly minimum?: unknown;
}

/** A zod issue's message as a Problem; a key gets the limit the issue names as `{{max}}` / `{{min}}`. */
export function issueProblem(issue: IssueLike): Problem {
  const values: Record<string, number> = {};
  if (typeof issue.maximum === 'number') values.max = issue.maximum;
  if (typeof issue.minimum === 'number') values.min = issue.minimum;
  return problemOf(issue.message, values);
}

/** Zod issues → `{ field: problem }` (the first per field), for a form's errors next to its fields. */
export function issueProblems(issues: readonly IssueLike[]): Record<string, Problem> {
  const out: Record<string, Problem> = {};
  for (const issue of issues) out[String(issue.path[0] ?? 'form')] ??= issueProblem(issue);
  return out;
}
