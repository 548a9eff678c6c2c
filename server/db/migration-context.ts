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
