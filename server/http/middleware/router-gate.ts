import type { RequestHandler } from 'express';

/** What this file reads of express 5's router layers (the `router` package's Layer and Route). */
interface Layer {
  readonly route?: { readonly path: unknown };
  readonly handle?: unknown;
  readonly rawPath?: unknown;
  /** Mounted at `/` without a path (`router.use(fn)`): runs for every path. */
  readonly slash?: boolean;
}

/** A router (or anything mounted like one) exposes its layers as `stack`. */
type Routed = RequestHandler & { readonly stack: readonly Layer[] };

/** A first path segment written as plain text: no parameter, wildcard, group or escape. */
const LITERAL_NAME = /^[A-Za-z0-9._~-]*$/;

function stackOf(handle: unknown): readonly Layer[] | null {
  const stack = (handle as { stack?: unknown } | null | undefined)?.stack;
  return typeof handle === 'function' && Array.isArray(stack) ? (stack as Layer[]) : null;
}

/** The first segment of a route or mount path, lower-cased; null unless it is plain text. */
function literalFirstName(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  const end = path.indexOf('/', 1);
  const name = end === -1 ? path.slice(1) : path.slice(1, end);
  return LITERAL_NAME.test(name) ? name.toLowerCase() : null;
}

/**
 * The lower-cased first path segments a router's layers can match (nested routers included), or
 * null when some layer can match a path whatever its first segment (a middleware mounted without a
 * path, a parameter or pattern in the first segment, a RegExp path).
 */
export function firstNamesOf(stack: readonly Layer[]): Set<string> | null {
  const names = new Set<string>();
  for (const layer of stack) {
    if (layer.slash) {
      const nested = stackOf(layer.handle);
      const inner = nested && firstNamesOf(nested);
      if (!inner) return null;
      for (const name of inner) names.add(name);
      continue;
    }
    for (const path of [layer.route ? layer.route.path : layer.rawPath].flat(Infinity)) {
      const name = literalFirstName(path);
      if (name === null) return null;
      names.add(name);
    }
  }
  return names;
}

/** The last path asked about and its answer: every gate of one request asks about the same path. */
let lastPath = '';
let lastName = '';

/** The request path's first segment, lower-cased (what a literal first segment is matched against). */
function requestFirstName(path: string): string {
  if (path !== lastPath) {
    const end = path.indexOf('/', 1);
    lastName = (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    lastPath = path;
  }
  return lastName;
}

/**
 * Runs `router` only for requests whose first path segment one of its routes or mounts names.
 *
 * Every feature router is mounted at `/`, so before this express walked each of ~20 routers, and
 * matched the path against every route in them, until one answered: a few hundred regular
 * expressions per page (issue 21). A router whose every layer starts with a plain-text segment
 * (`/messages/:id`, `/account/two-factor`) cannot match a path whose first segment is none of
 * those, so skipping it changes nothing: the same route answers, in the same order. Matching is
 * case-insensitive like express's default (a case-sensitive router only gets walked more often).
 * A router with any layer that can match more (a middleware without a path, `/:param`, a RegExp)
 * is always walked, as before. The names are read at the first request, when every route is in
 * place; `stack` stays visible, so tools that list the app's routes still find them.
 */
export function onlyWhereItCanMatch(router: Routed): Routed {
  let names: Set<string> | null | undefined;
  const gated: RequestHandler = (req, res, next) => {
    if (names === undefined) names = firstNamesOf(router.stack);
    if (names === null || names.has(requestFirstName(req.path))) return router(req, res, next);
    next();
  };
  return Object.assign(gated, { stack: router.stack });
}
