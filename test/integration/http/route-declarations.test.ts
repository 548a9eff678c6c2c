import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { sessionKeySchema } from '../../../server/accounts';
import type { Fields, FieldsOrObject } from '../../../server/http/routes/endpoint';
import { pathParams, routeTable, type RegisteredRoute } from '../../support/route-table';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * Every route states its input (`endpoint()` in server/http/routes/endpoint.ts): exactly one
 * declaration, naming each of its path parameters, so a malformed id is refused before any query
 * and the bad-input walk (route-matrix.test.ts) knows every field to try.
 */
/** The fields of a declared query or body, whether given as fields or as a whole zod object. */
function fieldsOf(declared: FieldsOrObject | undefined): Fields {
  if (!declared) return {};
  const shape = (declared as { shape?: unknown }).shape;
  return (typeof shape === 'object' && shape !== null ? shape : declared) as Fields;
}

/** A name that refers to a record: `id`, or anything ending in `Id` (`userId`, `threadId`, …). */
const NAMES_A_RECORD = /^(id|.*Id)$/;

/**
 * The ids that are not record ids, each with its own strict format: a session is named on the
 * sessions page by a hash of its session id (`sessionKeyOf`), never by the session id itself.
 */
const OTHER_ID_FORMATS: Readonly<Record<string, z.ZodType>> = {
  'POST /account/sessions/:id/sign-out params.id': sessionKeySchema,
};

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

  it('declares every parameter or field that names a record (id, …Id) as a record id', () => {
    // A route could otherwise declare `noteId: fields.text()` and send a malformed id to a query.
    const problems: string[] = [];
    for (const route of routes) {
      const declaration = route.declarations[0];
      if (!declaration) continue;
      const parts: Array<[string, Fields]> = [
        ['params', declaration.params ?? {}],
        ['query', fieldsOf(declaration.query)],
        ['body', fieldsOf(declaration.body)],
      ];
      for (const [part, fields] of parts) {
        for (const [name, schema] of Object.entries(fields)) {
          if (!NAMES_A_RECORD.test(name)) continue;
          const other = OTHER_ID_FORMATS[`${route.name} ${part}.${name}`];
          if (other) {
            if (schema !== other) problems.push(`${route.name}: ${part}.${name} is not its declared format`);
            continue;
          }
          const check = (value: unknown) => (schema as z.ZodType).safeParse(value).success;
          if (!check(randomUUID()) || check('not-an-id') || check(`${randomUUID()}x`)) {
            problems.push(`${route.name}: ${part}.${name} is not declared as an id`);
          }
        }
      }
    }
    assert.deepEqual(problems, [], `use fields.id / optionalId / idList:\n  ${problems.join('\n  ')}`);
  });
});
