import { existsSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Sequelize } from 'sequelize';
import type { DatabaseConfig } from '../config';
import { createMigrator, migrateToLatest } from '../db';
import type { Logger } from '../shared/logger';
import type { BackupService } from './backup.service';
import type { BackupResult } from './backup.types';

export interface MigrateWithBackupOptions {
  readonly sequelize: Sequelize;
  readonly database: DatabaseConfig;
  readonly backups: BackupService;
  readonly logger: Logger;
  /** Tests substitute a failing run; production applies the real migrations. */
  readonly runMigrations?: () => Promise<string[]>;
}

/**
 * Applies pending migrations at start-up, with a safety net for upgrades: when migrations are
 * pending on a database that already holds data, a backup is taken first; if a migration then
 * fails on SQLite, the database is put back exactly as it was (the half-migrated file is kept
 * beside it) and start-up stops with the reason. A fresh install has nothing to protect.
 */
export async function migrateWithBackup(options: MigrateWithBackupOptions): Promise<string[]> {
  const { sequelize, database, backups, logger } = options;
  // Checked before the first query: asking the migrator anything creates the SQLite file.
  const fileExisted =
    database.dialect !== 'sqlite' ||
    (database.storage !== ':memory:' && existsSync(database.storage) && statSync(database.storage).size > 0);
  const run = options.runMigrations ?? (() => migrateToLatest(sequelize, logger));

  let backup: BackupResult | undefined;
  if (fileExisted) {
    const migrator = createMigrator(sequelize);
    const [pending, executed] = await Promise.all([migrator.pending(), migrator.executed()]);
    if (pending.length > 0 && executed.length > 0) {
      logger.info({ pending: pending.map((m) => m.name) }, 'migrations pending: backing up first');
      backup = await backups.backup('pre-migration');
    }
  }

  try {
    return await run();
  } catch (error) {
    if (!backup || database.dialect !== 'sqlite') throw error;
    await sequelize.close();
    const restored = await backups.restore(backup.file);
    // The half-migrated file holds nothing the backup lacks (no request was served in between), and
    // a container restarting on the same failure would otherwise leave one full copy per attempt.
    if (restored.previousMovedTo) {
      for (const suffix of ['', '-wal', '-shm'])
        await unlink(restored.previousMovedTo + suffix).catch(() => undefined);
    }
    logger.error(
      { err: error, backup: backup.file },
      'migration failed; the database was put back as it was before the upgrade',
    );
    throw new Error(
      `a migration failed (${(error as Error).message}); the database was restored from ${backup.file}, ` +
        'exactly as it was before the upgrade',
    );
  }
}
