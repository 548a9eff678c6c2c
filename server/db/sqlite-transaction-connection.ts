import type { Sequelize } from 'sequelize';

/**
 * Keeps SQLite's transaction connection open between transactions instead of opening a new one
 * for each.
 *
 * Why: Sequelize's SQLite dialect opens a fresh database connection for every transaction (keyed by
 * the transaction's id) and closes it after COMMIT or ROLLBACK. Every audited page view (reading
 * health information writes an audit row in a transaction) paid for opening the file, mapping the
 * WAL index, running the connection's pragmas (server/db/sqlite-driver.ts), parsing the schema
 * again, and closing. Transactions already take turns (sqlite-transaction-gate.ts: one at a time per
 * process), so one spare connection is enough: a transaction that ended cleanly hands its
 * connection back here and the next transaction starts on it. The connection is in autocommit mode
 * again by then (COMMIT or ROLLBACK succeeded; after a failed one Sequelize destroys the connection
 * instead of releasing it, and it never comes back here). Its pragmas (WAL, synchronous=FULL,
 * foreign_keys, busy_timeout) are per connection and stay set.
 */
export function reuseTransactionConnections(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: SqliteConnectionManager }).connectionManager;
  for (const method of ['getConnection', 'releaseConnection', '_onProcessExit'] as const) {
    if (typeof manager[method] !== 'function' || typeof manager.connections !== 'object') {
      throw new Error(
        `sequelize's sqlite ConnectionManager has no ${method}() or connections: server/db/sqlite-transaction-connection.ts must be revisited for this sequelize version`,
      );
    }
  }
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  const onProcessExit = manager._onProcessExit.bind(manager);
  let spare: SqliteConnection | null = null;

  manager.getConnection = async (options?: { uuid?: string }): Promise<SqliteConnection> => {
    const uuid = options?.uuid;
    if (spare && uuid && uuid !== DEFAULT_UUID && !manager.connections[uuid]) {
      const connection = spare;
      spare = null;
      // Where the dialect looks a transaction's connection up by its id.
      manager.connections[uuid] = connection;
      return connection;
    }
    return getConnection(options);
  };

  manager.releaseConnection = (connection: SqliteConnection, force?: boolean): void => {
    const uuid = connection.uuid;
    const transactional = uuid !== undefined && uuid !== DEFAULT_UUID && connection.filename !== ':memory:';
    if (transactional && !spare && connection.open !== false) {
      delete manager.connections[uuid];
      spare = connection;
      return;
    }
    releaseConnection(connection, force);
  };

  manager._onProcessExit = async (): Promise<void> => {
    const closing = spare;
    spare = null;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    await onProcessExit();
  };
}

const DEFAULT_UUID = 'default';

interface SqliteConnection {
  uuid?: string;
  readonly filename: string;
  /** node-sqlite3 sets this false once the database is closed. */
  readonly open?: boolean;
  close(callback: (error: Error | null) => void): void;
}

interface SqliteConnectionManager {
  connections: Record<string, SqliteConnection>;
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): void;
  _onProcessExit(): Promise<void>;
}
