import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../shared/logger';
import { dialectOf } from './database';
import type { MigrationContext } from './migration-context';
import { MIGRATIONS } from './migrations';

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
      up: ({ context: ctx }) => m.up(ctx),
      down: ({ context: ctx }) => m.down(ctx),
    })),
    context,
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
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
