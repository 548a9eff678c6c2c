import type { Sequelize } from 'sequelize';

/**
 * How Haven drives Sequelize's SQLite dialect: its `Query` class, replaced by a subclass whose
 * `run` differs from the original in two ways, and in nothing else.
 *
 * 1. Column types are cached. To turn SQLite's text back into Dates, booleans and JSON, the
 *    dialect asks `PRAGMA table_info` for the table after FROM before *every* SELECT: half of all
 *    statements Haven sent were that question, each one a trip through libuv's thread pool. Haven's
 *    schema only changes through migrations, so the answer is kept per table and dropped whenever a
 *    statement changes the schema (CREATE, ALTER or DROP) or a transaction rolls back (which could
 *    undo one).
 * 2. The caller's stack is formatted only when a query fails. The dialect read `new Error().stack`
 *    for every query (formatting a stack is costly) just in case it had to attach it to an error.
 *
 * Results are parsed exactly as before: the same tables are described (only the one after FROM, or
 * `options.tableNames`), and the dialect's own `_handleQueryResponse` does the parsing.
 * Queries are never logged (they can carry health information), so the dialect's debug channel
 * gets nothing either.
 */
export function driveSqliteQueries(sequelize: Sequelize): void {
  const dialect = (sequelize as unknown as { dialect: { Query: QueryClass } }).dialect;
  const Base = dialect.Query;
  for (const method of REQUIRED_INTERNALS) {
    if (typeof (Base.prototype as unknown as Record<string, unknown>)[method] !== 'function') {
      throw new Error(
        `sequelize's sqlite Query has no ${method}(): server/db/sqlite-query.ts must be revisited for this sequelize version`,
      );
    }
  }
  const columnTypes = new ColumnTypeCache();

  class CachedColumnTypesQuery extends Base {
    override run(sql: string, parameters?: unknown): Promise<unknown> {
      const connection = this.connection;
      this.sql = sql;
      const method = this.getDatabaseMethod();
      const complete = this._logQuery(sql, noDebug, parameters);
      if (SCHEMA_CHANGE.test(sql)) columnTypes.clear();
      // Captured here (cheap), formatted only if the query fails (costly).
      const origin = new Error();
      const tables = method === 'all' ? tablesDescribedFor(sql, this.options) : [];
      const handleResponse = this._handleQueryResponse.bind(this);
      return new Promise((resolve, reject) => {
        const execute = (types: TableTypes): void => {
          if (sql.startsWith('-- ')) return resolve(undefined);
          // A function, not an arrow: the driver passes the statement (lastID, changes) as `this`.
          connection[method](sql, driverParameters(parameters), function (this: unknown, error, results) {
            try {
              complete();
              resolve(handleResponse(this, types, error, results, error ? origin.stack : undefined));
            } catch (failure) {
              reject(failure);
            }
          });
        };
        connection.serialize(() => {
          const known = columnTypes.lookup(tables);
          if (known) return execute(known);
          void columnTypes.describe(connection, tables).then(execute);
        });
      });
    }
  }
  dialect.Query = CachedColumnTypesQuery;
}

/** What the subclass relies on; checked at start-up so a sequelize upgrade fails loudly. */
const REQUIRED_INTERNALS = ['run', 'getDatabaseMethod', '_logQuery', '_handleQueryResponse'] as const;

const SCHEMA_CHANGE = /^\s*(?:CREATE|ALTER|DROP|ROLLBACK)\b/i;

/** Column name → declared type (e.g. DATETIME), per table name. */
type TableTypes = Record<string, Record<string, string>>;

type DriverCallback = (this: unknown, error: Error | null, results: unknown) => void;

interface SqliteConnection {
  serialize(callback: () => void): void;
  all(sql: string, parameters: unknown, callback: DriverCallback): void;
  all(sql: string, callback: (error: Error | null, rows: { name: string; type: string }[]) => void): void;
  run(sql: string, parameters: unknown, callback: DriverCallback): void;
}

interface QueryInternals {
  connection: SqliteConnection;
  sql: string;
  options: { tableNames?: readonly string[] } | undefined;
  getDatabaseMethod(): 'all' | 'run';
  _logQuery(sql: string, debug: (message: string) => void, parameters: unknown): () => void;
  _handleQueryResponse(
    metaData: unknown,
    columnTypes: TableTypes,
    error: Error | null,
    results: unknown,
    errorStack: string | undefined,
  ): unknown;
  run(sql: string, parameters?: unknown): Promise<unknown>;
}

type QueryClass = new (...args: never[]) => QueryInternals;

const noDebug = (): void => undefined;

/** The tables the dialect describes for a SELECT: `options.tableNames`, else the one after FROM. */
function tablesDescribedFor(sql: string, options: QueryInternals['options']): string[] {
  const named = options?.tableNames ?? [/FROM `(.*?)`/i.exec(sql)?.[1]];
  return named
    .filter((name): name is string => typeof name === 'string' && name !== 'sqlite_master')
    .map((name) => name.replace(/`/g, ''));
}

/** The driver wants an array or a null-prototype object of bind values, bigints as text. */
function driverParameters(parameters: unknown): unknown {
  const text = (value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
  if (!parameters) return [];
  if (Array.isArray(parameters)) return parameters.map(text);
  if (typeof parameters === 'object' && Object.getPrototypeOf(parameters) === Object.prototype) {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parameters)) copy[key] = text(value);
    return copy;
  }
  return parameters;
}

class ColumnTypeCache {
  readonly #tables = new Map<string, Record<string, string>>();
  /** Bumped by every clear(), so an answer read before a schema change is not kept after it. */
  #generation = 0;

  clear(): void {
    this.#tables.clear();
    this.#generation += 1;
  }

  /** The types of all `tables`, or null when one of them is not known yet. */
  lookup(tables: readonly string[]): TableTypes | null {
    const types: TableTypes = {};
    for (const table of tables) {
      const columns = this.#tables.get(table);
      if (!columns) return null;
      types[table] = columns;
    }
    return types;
  }

  /** Asks SQLite for the tables' columns, keeps the answers and returns them. */
  async describe(connection: SqliteConnection, tables: readonly string[]): Promise<TableTypes> {
    const generation = this.#generation;
    const types: TableTypes = {};
    await Promise.all(
      tables.map(
        (table) =>
          new Promise<void>((resolve) => {
            types[table] = {};
            connection.all(`PRAGMA table_info(\`${table}\`)`, (error, rows) => {
              // As the dialect does: a failed or empty answer parses nothing (and is not kept).
              if (!error && rows.length > 0) {
                const columns: Record<string, string> = {};
                for (const row of rows) columns[row.name] = row.type;
                types[table] = columns;
                if (generation === this.#generation) this.#tables.set(table, columns);
              }
              resolve();
            });
          }),
      ),
    );
    return types;
  }
}
