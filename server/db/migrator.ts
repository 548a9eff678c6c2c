import { QueryTypes, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../shared/logger';
import { dialectOf } from './database';
import type { MigrationContext } from './migration-context';
import { MIGRATIONS } from './migrations';

/**
 * On SQLite, Sequelize's removeColumn/changeColumn/renameColumn rebuild the table (copy it, DROP the
 * original, rename the copy). With foreign keys on, that DROP deletes every row pointing at the table
 * through ON DELETE CASCADE: dropping a column from `users` would silently empty `user_roles`. So, as
 * SQLite's ALTER TABLE documentation advises, foreign keys are off while a migration runs (on the
 * non-transaction connection migrations use; the pragma is per connection) and checked afterwards.
 */
async function withSqliteForeignKeysDeferred(
  ctx: MigrationContext,
  work: () => Promise<void>,
): Promise<void> {
  if (ctx.dialect !== 'sqlite') return work();
  await ctx.sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await work();
    const broken = await ctx.sequelize.query<{ table: string; parent: string }>('PRAGMA foreign_key_check', {
      type: QueryTypes.SELECT,
    });
    if (broken.length > 0) {
      const first = broken[0];
      throw new Error(
        `the migration left ${broken.length} row(s) pointing at missing rows (first: ${first?.table} -> ${first?.parent})`,
      );
    }
  } finally {
    await ctx.sequelize.query('PRAGMA foreign_keys = ON');
  }
}

/**
 * umzug's SequelizeStorage runs `CREATE TABLE IF NOT EXISTS schema_migrations` before every read or
 * write of that table. On a fresh PostgreSQL database two of those at once (`Promise.all([m.pending(),
 * m.executed()])`) race in the catalog and one fails with a unique violation on pg_type; so each
 * migrator creates the table once and every caller waits for that.
 */
class MigrationsTable extends SequelizeStorage {
  #created: Promise<void> | null = null;

  protected override syncModel(): Promise<void> {
    this.#created ??= super.syncModel().catch((error: unknown) => {
      this.#created = null;
      throw error;
    });
    return this.#created;
  }
}

/** Schema changes go only through these migrations (never `sequelize.sync()`). */
export function createMigrator(sequelize: Sequelize, logger?: Logger): Umzug<MigrationContext> {
  const context: MigrationContext = {
    queryInterface: sequelize.getQueryInterface(),
    sequelize,
    dialect: dialectOf(sequelize),
  };
  return new Umzug<MigrationContext>({
    migrations: MIGRATIONS.map((m) => ({
      name: m.name,
      up: ({ context: ctx }) => withSqliteForeignKeysDeferred(ctx, () => m.up(ctx)),
      down: ({ context: ctx }) => withSqliteForeignKeysDeferred(ctx, () => m.down(ctx)),
    })),
    context,
    storage: new MigrationsTable({ sequelize, tableName: 'schema_migrations' }),
    logger: logger
      ? {
          info: (m) => logger.info(m, 'migration'),
          warn: (m) => logger.warn(m, 'migration'),
          error: (m) => logger.error(m, 'migration'),
          debug: (m) => logger.debug(m, 'migration'),
        }
      : undefined,
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  const applied = await createMigrator(sequelize, logger).up();
  return applied.map((m) => m.name);
}
