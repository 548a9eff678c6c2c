import assert from 'node:assert/strict';
import { pathParams, routeTable, type RegisteredRoute } from '../../support/route-table';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * Every route states its input (`endpoint()` in server/http/routes/endpoint.ts): exactly one
 * declaration, naming each of its path parameters, so a malformed id is refused before any query
 * and the bad-input walk (route-matrix.test.ts) knows every field to try.
 */
describe('route declarations', () => {
  let t: TestHaven;
  let routes: RegisteredRoute[];

  before(async () => {
    t = await startTestHaven();
    routes = routeTable(t.haven.http);
  });
  after(async () => t?.stop());

  it('every route carries exactly one declaration', () => {
    const problems = routes
      .filter((r) => r.declarations.length !== 1)
      .map((r) => `${r.name}: ${r.declarations.length} declarations`);
    assert.deepEqual(problems, [], `wrap the handler in endpoint({...}, ...):\n  ${problems.join('\n  ')}`);
  });

  it("declares each path parameter's format, and no parameter the path does not have", () => {
    const problems: string[] = [];
    for (const route of routes) {
      const declared = Object.keys(route.declarations[0]?.params ?? {}).sort();
      const inPath = pathParams(route.path).sort();
      if (declared.join() !== inPath.join()) {
        problems.push(`${route.name}: path has [${inPath.join(', ')}], declared [${declared.join(', ')}]`);
      }
    }
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  });
});
