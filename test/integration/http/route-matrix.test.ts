import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfFrom, forgetUsedCodes, signIn, type SignedInSession } from '../../support/accounts';
import { declaredFields } from '../../../server/http/routes/endpoint';
import { routeTable } from '../../support/route-table';
import type { TestHaven } from '../../support/test-haven';
import {
  CALLERS,
  ROWS,
  type Caller,
  type MatrixFixtures,
  type MatrixRow,
  type SignedInCaller,
  newGuestToken,
} from './route-matrix.expectations';
import { startMatrixHaven, type MatrixHaven } from './route-matrix.fixtures';
import { BAD_KINDS, bodyFor, pathValue, queryPairs, queryParsed, refuses, WriteWatch } from './bad-input';

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
    const routes = routeTable(t.haven.http).map((r) => r.name);
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

  let guestAgent: request.Agent | null = null;

  /** A signed-in agent for the caller, signing in again if a previous row ended its session. */
  async function agentFor(caller: Caller): Promise<request.Agent> {
    if (caller === 'guest') {
      // The guest's pass lives in their web session; a row that ended it (sign-out) needs a new link.
      if (!guestAgent || (await guestAgent.get('/guest/room')).status !== 200) {
        guestAgent = request.agent(t.haven.http);
        const token = await newGuestToken(fx);
        const page = await guestAgent.get(`/guest/${token}`).expect(200);
        await guestAgent
          .post(`/guest/${token}`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text) })
          .expect(303);
      }
      tokens.guest = csrfFrom((await guestAgent.get('/sign-in').expect(200)).text);
      return guestAgent;
    }
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

  async function call(row: MatrixRow, caller: Caller): Promise<request.Response> {
    const [method, pattern] = row.route.split(' ') as [string, string];
    const url = resolve(row.url, pattern);
    const agent = await agentFor(caller);
    if (method === 'GET') return agent.get(url);
    const body = { _csrf: tokens[caller], ...resolve(row.body, {}) };
    const req = agent[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](url);
    return req.type('form').send(body);
  }

  /** Cache-Control of every answer to a signed-in caller, from the status walk (for the no-store walk). */
  const cacheControl: Array<{ route: string; caller: Caller; status: number; header: string }> = [];

  it('answers every route with the expected status for every caller', async () => {
    const problems: string[] = [];
    for (const row of ROWS) {
      for (const caller of CALLERS) {
        const res = await call(row, caller);
        if (caller !== 'anonymous') {
          const header = String(res.headers['cache-control'] ?? '');
          cacheControl.push({ route: row.route, caller, status: res.status, header });
        }
        const expected = row.expect[caller];
        const ok = Array.isArray(expected) ? expected.includes(res.status) : res.status === expected;
        if (!ok) problems.push(`${row.route} as ${caller}: got ${res.status}, expected ${String(expected)}`);
      }
    }
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  });

  it('answers a signed-in caller with Cache-Control: no-store on every route not declared cacheable', () => {
    assert.equal(cacheControl.length, ROWS.length * (CALLERS.length - 1), 'the status walk ran first');
    const declarations = new Map(routeTable(t.haven.http).map((r) => [r.name, r.declarations[0]]));
    const problems = cacheControl
      .filter((c) => !declarations.get(c.route)?.cacheable && !/\bno-store\b/.test(c.header))
      .map((c) => `${c.route} as ${c.caller} (${c.status}): Cache-Control "${c.header}"`);
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  });

  /**
   * A caller the route lets through to its handler (so the declaration, not a role guard, answers):
   * the first whose expected status is neither a refusal nor the visitor's sign-in redirect.
   */
  function throughGuard(row: MatrixRow): Caller {
    const order: Caller[] = ['clientA', 'therapist', 'admin', 'peer', 'clientB', 'guest', 'anonymous'];
    const statuses = (c: Caller) => [row.expect[c]].flat();
    const passes = (c: Caller) =>
      statuses(c).every((s) => s !== 401 && s !== 403) &&
      !((c === 'anonymous' || c === 'guest') && statuses(c).includes(302));
    return order.find(passes) ?? 'admin';
  }

  it('refuses a NUL byte, an over-long value, an array and a __proto__ key in every declared parameter: no 5xx, nothing written', async () => {
    const table = new Map(routeTable(t.haven.http).map((r) => [r.name, r]));
    const watch = new WriteWatch(t.haven.sequelize);
    const problems: string[] = [];
    let sent = 0;
    for (const row of ROWS) {
      const declaration = table.get(row.route)?.declarations[0];
      if (!declaration) {
        problems.push(`${row.route}: no declaration`);
        continue;
      }
      const [method, pattern] = row.route.split(' ') as [string, string];
      const [path, search = ''] = resolve(row.url, pattern).split('?') as [string, string?];
      const caller = throughGuard(row);
      const agent = await agentFor(caller);
      const csrf = tokens[caller];
      const send = async (
        what: string,
        url: string,
        body: { type: 'form' | 'json'; text: string } | null,
        refused: number | null,
      ): Promise<void> => {
        sent += 1;
        const verb = method.toLowerCase() as 'get' | 'post' | 'delete';
        const { result: res, writes } = await watch.during(async () => {
          const req = agent[verb](url).set('Accept', 'text/html');
          if (verb === 'get') return req;
          const payload = body ?? {
            type: 'form' as const,
            text: new URLSearchParams({ _csrf: csrf }).toString(),
          };
          return req.type(payload.type).send(payload.text);
        });
        const where = `${row.route} ${what} as ${caller}`;
        if (res.status >= 500) problems.push(`${where}: ${res.status}`);
        else if (refused !== null && res.status !== refused)
          problems.push(`${where}: ${res.status}, expected ${refused}`);
        // A refused request writes nothing. (A value the route's schema accepts, like a `__proto__`
        // query key it drops, is answered as a valid request, which may record that it was read.)
        if (res.status >= 400 && writes.length > 0) problems.push(`${where}: wrote ${writes.join(' | ')}`);
      };

      // Path parameters: each bad value in one segment, the fixture's values in the others.
      const segments = pattern.split('/');
      const concrete = path.split('/');
      for (const [name, schema] of Object.entries(declaration.params ?? {})) {
        const at = segments.indexOf(`:${name}`);
        for (const kind of BAD_KINDS) {
          const value = pathValue(kind);
          const url = concrete.map((s, i) => (i === at ? encodeURIComponent(value) : s)).join('/');
          await send(
            `:${name}=${kind}`,
            url + (search ? `?${search}` : ''),
            null,
            refuses(schema, value) ? 404 : null,
          );
        }
      }
      // Query fields.
      for (const [name, schema] of Object.entries(declaredFields(declaration.query))) {
        for (const kind of BAD_KINDS) {
          const query = new URLSearchParams(search);
          for (const [k, v] of queryPairs(name, kind)) query.append(k, v);
          const parsed = queryParsed(kind);
          const refused = kind === 'nul' || (parsed !== undefined && refuses(schema, parsed)) ? 400 : null;
          await send(`?${name}=${kind}`, `${path}?${query.toString()}`, null, refused);
        }
      }
      // Body fields (urlencoded, or JSON for the __proto__ object).
      if (method !== 'GET') {
        for (const [name, schema] of Object.entries(declaredFields(declaration.body))) {
          for (const kind of BAD_KINDS) {
            const body = bodyFor(name, kind, csrf);
            const refused = kind === 'nul' || refuses(schema, body.parsed) ? 400 : null;
            await send(`body ${name}=${kind}`, resolve(row.url, pattern), body, refused);
          }
        }
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    assert.ok(sent > 500, `the walk sent only ${sent} requests`);
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  });
});
