import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { csrfFrom, forgetUsedCodes, signIn, type SignedInSession } from '../../support/accounts';
import type { TestHaven } from '../../support/test-haven';
import {
  CALLERS,
  ROWS,
  type Caller,
  type MatrixFixtures,
  type MatrixRow,
  type SignedInCaller,
} from './route-matrix.expectations';
import { startMatrixHaven, type MatrixHaven } from './route-matrix.fixtures';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every `METHOD /path` registered on the app, found by walking express 5's router stack. */
export function registeredRoutes(app: Express): string[] {
  const found = new Set<string>();
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.add(`${method.toUpperCase()} ${prefix}${String(path)}`);
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
  return [...found].sort();
}

describe('route × role matrix', function () {
  this.timeout(300_000);
  let t: TestHaven;
  let fx: MatrixFixtures;
  let people: MatrixHaven['people'];
  const sessions = {} as Record<SignedInCaller, SignedInSession>;
  const tokens = {} as Record<Caller, string>;

  before(async () => {
    ({ t, people, fx } = await startMatrixHaven());
  });
  after(async () => t?.stop());

  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const routes = registeredRoutes(t.haven.http);
    const rows = new Set(ROWS.map((r) => r.route));
    const missing = routes.filter((r) => !rows.has(r));
    const stale = [...rows].filter((r) => !routes.includes(r));
    assert.deepEqual(
      missing,
      [],
      `routes without a row in route-matrix.expectations.ts:\n  ${missing.join('\n  ')}`,
    );
    assert.deepEqual(stale, [], `rows for routes that are not registered:\n  ${stale.join('\n  ')}`);
    const twice = ROWS.map((r) => r.route).filter((route, i, all) => all.indexOf(route) !== i);
    assert.deepEqual(twice, [], `routes with two rows:\n  ${twice.join('\n  ')}`);
  });

  /** A signed-in agent for the caller, signing in again if a previous row ended its session. */
  async function agentFor(caller: Caller): Promise<request.Agent> {
    if (caller === 'anonymous') {
      const agent = request.agent(t.haven.http);
      tokens.anonymous = csrfFrom((await agent.get('/sign-in').expect(200)).text);
      return agent;
    }
    const current = sessions[caller];
    if (current) {
      const probe = await current.agent.get('/account/two-factor');
      if (probe.status === 200) {
        tokens[caller] = csrfFrom(probe.text);
        return current.agent;
      }
    }
    await forgetUsedCodes(t.haven, people[caller].user.id);
    sessions[caller] = await signIn(t.haven, people[caller]);
    tokens[caller] = await sessions[caller].csrf();
    return sessions[caller].agent;
  }

  function resolve<T>(value: T | ((f: MatrixFixtures) => T) | undefined, fallback: T): T {
    if (value === undefined) return fallback;
    return typeof value === 'function' ? (value as (f: MatrixFixtures) => T)(fx) : value;
  }

  async function call(row: MatrixRow, caller: Caller): Promise<number> {
    const [method, pattern] = row.route.split(' ') as [string, string];
    const url = resolve(row.url, pattern);
    const agent = await agentFor(caller);
    if (method === 'GET') return (await agent.get(url)).status;
    const body = { _csrf: tokens[caller], ...resolve(row.body, {}) };
    const req = agent[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](url);
    return (await req.type('form').send(body)).status;
  }

  it('answers every route with the expected status for every caller', async () => {
    const problems: string[] = [];
    for (const row of ROWS) {
      for (const caller of CALLERS) {
        const status = await call(row, caller);
        const expected = row.expect[caller];
        const ok = Array.isArray(expected) ? expected.includes(status) : status === expected;
        if (!ok) problems.push(`${row.route} as ${caller}: got ${status}, expected ${String(expected)}`);
      }
    }
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  });
});
