import {
  AppError,
  issueProblem,
  issueProblems,
  phrase,
  type ErrorCode,
  type IssueLike,
  type Problem,
} from './errors';

/**
 * A form refused with its problems by field: the first problem is the sentence above the form, each
 * field's problem stands next to it. The problems are keys (or Phrases) the transport writes in the
 * reader's language, so a service never words a refusal itself.
 */
export function fieldsRefusal(code: ErrorCode, problems: Readonly<Record<string, Problem>>): AppError {
  return new AppError(
    code,
    'bad_request',
    Object.values(problems)[0] ?? phrase('errors:field.correctForm'),
    problems,
  );
}

/** A form refused over one field: the problem beside that field and as the form's top line. */
export function fieldRefusal(code: ErrorCode, field: string, problem: Problem): AppError {
  return fieldsRefusal(code, { [field]: problem });
}

/** The first of a refused input's problems, for a refusal that says one sentence. */
export function firstProblem(issues: readonly IssueLike[]): Problem {
  return issues[0] ? issueProblem(issues[0]) : phrase('errors:field.correctForm');
}

/** A form its zod schema refused (each field's first issue, the first issue on top). */
export function formRefusal(code: ErrorCode, issues: readonly IssueLike[]): AppError {
  return fieldsRefusal(code, issueProblems(issues));
}
