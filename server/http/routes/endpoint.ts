import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, issueProblems, phrase, type Problem } from '../../shared/errors';

/** Field name → zod schema. */
export type Fields = Record<string, z.ZodType>;
/** A query or body: its fields (undeclared ones are dropped), or a whole zod object (its own rules, e.g. strict). */
export type FieldsOrObject = Fields | z.ZodObject;

/**
 * What a route states about its input: every path parameter with its format, and the query and
 * form/JSON fields its handler reads. Read by `endpoint()` on every request and by the tests that
 * walk the route table (the bad-input walk sends malformed values to each declared field).
 */
export interface Declaration<
  P extends Fields = Fields,
  Q extends FieldsOrObject = FieldsOrObject,
  B extends FieldsOrObject = FieldsOrObject,
> {
  /** Every `:name` in the path. A value that does not match its format names nothing: 404. */
  readonly params?: P;
  /** Query fields the handler reads; others are dropped. A malformed value: 400. */
  readonly query?: Q;
  /** Form or JSON fields the handler reads; others (and `_csrf`) are dropped. A malformed value: 400. */
  readonly body?: B;
  /**
   * The handler sets its own `Cache-Control` (a photo, a calendar file): the signed-in default of
   * `no-store` does not apply. Health information is never cacheable.
   */
  readonly cacheable?: true;
}

type Parsed<F extends FieldsOrObject | undefined> = F extends z.ZodObject
  ? z.output<F>
  : F extends Fields
    ? z.output<z.ZodObject<F>>
    : Record<never, never>;

/** The declared input, parsed: only declared fields, each of its declared type. */
export interface Input<D extends Declaration> {
  readonly params: Parsed<D['params']>;
  readonly query: Parsed<D['query']>;
  readonly body: Parsed<D['body']>;
}

export type EndpointHandler<D extends Declaration> = (
  input: Input<D>,
  req: Request,
  res: Response,
  next: NextFunction,
) => void | Promise<void>;

/** A route handler that carries its declaration (for the tests that walk the route table). */
export type DeclaredHandler = RequestHandler & { readonly declaration: Declaration };

// Like any other missing page: the reader gets the 404 title, in their language.
const NOT_FOUND = () => new AppError('http.not_found', 'not_found');

const fieldProblems = (error: z.ZodError): Record<string, Problem> => issueProblems(error.issues);

/**
 * Declares a route's input and runs its handler with the parsed result. Path parameters are
 * checked first (a malformed id is a 404 before any query is made), then the query and the body
 * (400, naming the fields). `req.query` and `req.body` are replaced by their parsed form too, so
 * nothing undeclared reaches a service through them.
 *
 *     router.get('/clinical/notes/:noteId', therapist,
 *       endpoint({ params: { noteId: fields.id } }, async ({ params }, req, res) => { … }));
 */
export function endpoint<const D extends Declaration>(
  declaration: D,
  handler: EndpointHandler<D>,
): DeclaredHandler {
  const params = z.object(declaration.params ?? {}).strict();
  const query = objectOf(declaration.query);
  const body = objectOf(declaration.body);
  const run: RequestHandler = (req, res, next) => {
    const p = params.safeParse({ ...req.params });
    if (!p.success) return next(NOT_FOUND());
    const q = query.safeParse(req.query ?? {});
    if (!q.success) {
      return next(
        new AppError(
          'http.bad_query',
          'bad_request',
          phrase('errors:code.http.bad_query'),
          fieldProblems(q.error),
        ),
      );
    }
    const b = body.safeParse(withoutCsrf(req.body));
    if (!b.success) {
      return next(
        new AppError(
          'http.bad_input',
          'bad_request',
          phrase('errors:code.http.bad_input'),
          fieldProblems(b.error),
        ),
      );
    }
    // express 5 makes `req.query` a getter: define it over, so later readers see the parsed form.
    Object.defineProperty(req, 'query', {
      value: q.data,
      configurable: true,
      enumerable: true,
      writable: true,
    });
    req.body = b.data;
    const input = { params: p.data, query: q.data, body: b.data } as unknown as Input<D>;
    try {
      const result = handler(input, req, res, next);
      if (result instanceof Promise) result.catch(next);
    } catch (error) {
      next(error);
    }
  };
  return Object.assign(run, { declaration: declaration as Declaration });
}

/** The CSRF token was checked before the route; it is not the handler's input. */
function withoutCsrf(body: unknown): unknown {
  if (body === undefined || body === null) return {};
  // An array or a bare value is left for the object schema to refuse.
  if (typeof body !== 'object' || Array.isArray(body)) return body;
  const { _csrf: _token, ...rest } = body as Record<string, unknown>;
  return rest;
}

function objectOf(fields: FieldsOrObject | undefined): z.ZodObject {
  if (fields instanceof z.ZodObject) return fields;
  return z.object(fields ?? {});
}

/** The fields of a declared query or body, by name. */
export function declaredFields(fields: FieldsOrObject | undefined): Fields {
  return objectOf(fields).shape;
}

/** The declaration a route handler carries, if it is an `endpoint()`. */
export function declarationOf(handler: unknown): Declaration | undefined {
  if (typeof handler !== 'function') return undefined;
  const declaration = (handler as Partial<DeclaredHandler>).declaration;
  return declaration && typeof declaration === 'object' ? declaration : undefined;
}
