import type { QueryInterface, Sequelize } from 'sequelize';
import type { Dialect } from './database';

/** What each migration receives. Migrations use `queryInterface` so they run on SQLite and PostgreSQL. */
export interface MigrationContext {
  readonly queryInterface: QueryInterface;
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
}

export interface Migration {
  /** Timestamped, sortable name; never renamed once released. */
  readonly name: string;
  up(context: MigrationContext): Promise<void>;
  down(context: MigrationContext): Promise<void>;
}

/**
 * Drops a column in place (`ALTER TABLE … DROP COLUMN`, SQLite 3.35+ and PostgreSQL). Sequelize's
 * removeColumn rebuilds a SQLite table, which loses its indexes and rewrites column defaults; this
 * leaves the rest of the table exactly as it was. The column must not be part of an index.
 */
export async function dropColumn(
  queryInterface: QueryInterface,
  table: string,
  column: string,
): Promise<void> {
  const quote = (name: string) => queryInterface.quoteIdentifier(name);
  await queryInterface.sequelize.query(`ALTER TABLE ${quote(table)} DROP COLUMN ${quote(column)}`);
}
