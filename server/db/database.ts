import { Sequelize, Transaction } from 'sequelize';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../shared/logger';
import { sqliteDriverWithPragmas } from './sqlite-driver';
import { driveSqliteQueries } from './sqlite-query';
import { restrictSqliteFiles } from './sqlite-file-mode';
import { gateTransactions } from './sqlite-transaction-gate';
import { reuseTransactionConnections } from './sqlite-transaction-connection';

export type Dialect = DatabaseConfig['dialect'];

/**
 * Creates the Sequelize instance for SQLite (default) or PostgreSQL. Queries are not logged: SQL
 * parameters can carry health information.
 */
export function createDatabase(config: DatabaseConfig, logger?: Logger): Sequelize {
  const common = {
    logging: false as const,
    define: { underscored: true, timestamps: false },
  };
  if (config.dialect === 'sqlite') {
    restrictSqliteFiles(config.storage);
    const sqlite = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage: config.storage,
      dialectModule: sqliteDriverWithPragmas(config.busyTimeoutMs),
      // A deferred transaction that reads and then writes can hit SQLITE_BUSY without waiting
      // (the busy handler cannot help a lock upgrade). Taking the write lock up front makes
      // concurrent writers queue politely on busy_timeout instead.
      transactionType: Transaction.TYPES.IMMEDIATE,
    });
    gateTransactions(sqlite, config.busyTimeoutMs);
    reuseTransactionConnections(sqlite);
    driveSqliteQueries(sqlite);
    return sqlite;
  }
  return new Sequelize(config.url, {
    ...common,
    dialect: 'postgres',
    pool: { max: 10, min: 0, idle: 10_000 },
    hooks: {
      afterConnect: () => logger?.debug('postgres connection opened'),
    },
  });
}

export function dialectOf(sequelize: Sequelize): Dialect {
  return sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
}

/** Is the database answering? Used by `/readyz`. */
export async function pingDatabase(sequelize: Sequelize): Promise<boolean> {
  try {
    await sequelize.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
