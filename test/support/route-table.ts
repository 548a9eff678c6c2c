import type { Express } from 'express';
import { declarationOf, type Declaration } from '../../server/http/routes/endpoint';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** One `METHOD /path` registered on the app, with the declarations its handlers carry. */
export interface RegisteredRoute {
  /** `GET /clinical/notes/:noteId`, as the route × role matrix names it. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** The `endpoint()` declarations among the route's handlers (exactly one when declared). */
  readonly declarations: readonly Declaration[];
}

/** Every route registered on the app, found by walking express 5's router stack. */
export function routeTable(app: Express): RegisteredRoute[] {
  const found = new Map<string, RegisteredRoute>();
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const declarations = layer.route.stack
          .map((l) => declarationOf(l.handle))
          .filter((d): d is Declaration => d !== undefined);
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (!on || method === '_all') continue;
            const full = `${prefix}${String(path)}`;
            const name = `${method.toUpperCase()} ${full}`;
            found.set(name, { name, method: method.toUpperCase(), path: full, declarations });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        if (layer.rawPath !== undefined && typeof layer.rawPath !== 'string') {
          throw new Error(
            `a router is mounted on a non-string path (${String(layer.rawPath)}); the matrix cannot name its routes`,
          );
        }
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The `:name` parameters of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}
