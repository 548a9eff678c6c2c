import type { Sequelize } from 'sequelize';
import type { ZodType } from 'zod';

/**
 * The bad-input walk's values and bookkeeping: what is sent to each declared parameter, what the
 * route's own schema makes of it, and which SQL writes happened while a request ran.
 */

/** How each kind of bad value is sent, per place. */
export const BAD_KINDS = ['nul', 'long', 'array', 'proto'] as const;
export type BadKind = (typeof BAD_KINDS)[number];

/** Past every declared ceiling (text 2,000; long text 40,000), under the 100 KB body limit. */
const LONG_BODY = 'a'.repeat(60_000);
/** Past every id, token and short-text ceiling, and still inside Node's 16 KB header limit. */
const LONG_URL = 'a'.repeat(4_000);

/** A path segment for the parameter (a path cannot carry an array or an object: their text forms). */
export function pathValue(kind: BadKind): string {
  return { nul: 'a\u0000b', long: LONG_URL, array: 'a,b', proto: '__proto__' }[kind];
}

/** Query-string pairs (before encoding) that put the bad value in `name`. */
export function queryPairs(name: string, kind: BadKind): Array<[string, string]> {
  switch (kind) {
    case 'nul':
      return [[name, 'a\u0000b']];
    case 'long':
      return [[name, LONG_URL]];
    case 'array':
      return [
        [name, 'a'],
        [name, 'b'],
      ];
    case 'proto':
      return [
        [`${name}[__proto__][polluted]`, 'yes'],
        ['__proto__', 'yes'],
        ['constructor[prototype][polluted]', 'yes'],
      ];
  }
}

/** What the query parser hands the schema for `queryPairs(name, kind)`, for `name` itself. */
export function queryParsed(kind: BadKind): unknown {
  return { nul: 'a\u0000b', long: LONG_URL, array: ['a', 'b'], proto: undefined }[kind];
}

/**
 * A request body putting the bad value in `name`: urlencoded for text and arrays (repeated field),
 * raw JSON for the object with a `__proto__` key (a JS object literal would set a prototype instead).
 */
export function bodyFor(
  name: string,
  kind: BadKind,
  csrf: string,
): { type: 'form' | 'json'; text: string; parsed: unknown } {
  if (kind === 'proto') {
    const text = `{"_csrf":${JSON.stringify(csrf)},"__proto__":{"polluted":"yes"},${JSON.stringify(name)}:{"__proto__":{"polluted":"yes"}}}`;
    return { type: 'json', text, parsed: JSON.parse(`{"__proto__":{"polluted":"yes"}}`) };
  }
  const form = new URLSearchParams({ _csrf: csrf });
  if (kind === 'array') {
    form.append(name, 'a');
    form.append(name, 'b');
    return { type: 'form', text: form.toString(), parsed: ['a', 'b'] };
  }
  const value = kind === 'nul' ? 'a\u0000b' : LONG_BODY;
  form.append(name, value);
  return { type: 'form', text: form.toString(), parsed: value };
}

/** Would the route's own schema for this field refuse the value? (Then the route must say 400/404.) */
export function refuses(schema: ZodType, value: unknown): boolean {
  return !schema.safeParse(value).success;
}

/**
 * Records the SQL statements that change data (INSERT, UPDATE, DELETE, REPLACE) while `during` runs,
 * except in `sessions` (every request may touch its own session row).
 */
export class WriteWatch {
  #recording = false;
  readonly #writes: string[] = [];

  constructor(sequelize: Sequelize) {
    sequelize.addHook('afterQuery', (_options, query) => {
      // The statement run is on the query object (AbstractQuery does not declare it).
      const run = (query as unknown as { sql?: unknown }).sql;
      if (!this.#recording || typeof run !== 'string') return;
      const sql = run.trim();
      if (!/^(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql)) return;
      if (
        /^(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"]?sessions[`"]?\s/i.test(sql)
      )
        return;
      this.#writes.push(sql.slice(0, 120));
    });
  }

  async during<T>(work: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
    this.#writes.length = 0;
    this.#recording = true;
    try {
      const result = await work();
      return { result, writes: [...this.#writes] };
    } finally {
      this.#recording = false;
    }
  }
}
