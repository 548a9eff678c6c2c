import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  writeSync,
  closeSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createApp } from '../../../server/app';
import { BackupRefusedError, BackupService, listBackups, migrateWithBackup } from '../../../server/backup';
import { SqliteFile } from '../../../server/backup/sqlite-file';
import type { BackupConfig, DatabaseConfig } from '../../../server/config/config.types';
import { createDatabase } from '../../../server/db';
import { createLogger } from '../../../server/shared/logger';
import { makeTempDir } from '../../support/temp-dir';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

const logger = createLogger('silent');
const PASSPHRASE = 'correct horse battery staple';

function sqliteConfig(storage: string): DatabaseConfig {
  return { dialect: 'sqlite', storage, busyTimeoutMs: 5000 };
}

function backupConfig(dir: string, overrides: Partial<BackupConfig> = {}): BackupConfig {
  return { dir, retention: 14, passphrase: undefined, intervalHours: 0, ...overrides };
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function integrity(file: string): Promise<string[]> {
  const db = await SqliteFile.open(file, 'readonly');
  try {
    return (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map(
      (r) => r.integrity_check,
    );
  } finally {
    await db.close();
  }
}

async function probeIds(file: string): Promise<Set<number>> {
  const db = await SqliteFile.open(file, 'readonly');
  try {
    return new Set((await db.all<{ id: number }>('SELECT id FROM backup_probe')).map((r) => r.id));
  } finally {
    await db.close();
  }
}

async function createProbeTable(sequelize: Sequelize, rows: number): Promise<void> {
  await sequelize.query('CREATE TABLE backup_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  // Bulk rows so VACUUM INTO takes long enough for writes to overlap it.
  const filler = 'x'.repeat(800);
  await sequelize.transaction(async (transaction) => {
    for (let i = 0; i < rows; i += 500) {
      const values = Array.from(
        { length: Math.min(500, rows - i) },
        (_, k) => `(${-(i + k + 1)}, '${filler}')`,
      );
      await sequelize.query(`INSERT INTO backup_probe (id, body) VALUES ${values.join(',')}`, {
        transaction,
      });
    }
  });
}

describe('appliance: online backups (SQLite)', function () {
  this.timeout(60_000);
  let test: TestHaven;
  let backupDir: string;

  beforeEach(async () => {
    test = await startTestHaven();
    backupDir = join(test.dataDir, 'backups');
  });
  afterEach(async () => {
    await test.stop();
  });

  for (const passphrase of [undefined, PASSPHRASE]) {
    it(`a backup taken during concurrent writes restores intact with every write acknowledged before it began (${
      passphrase ? 'encrypted' : 'plain'
    })`, async () => {
      const { sequelize } = test.haven;
      await createProbeTable(sequelize, 20_000);
      const service = new BackupService({
        database: test.config.database,
        backup: backupConfig(backupDir, { passphrase }),
        dataDir: test.dataDir,
      });

      const acked: number[] = [];
      let stop = false;
      let writeErrors = 0;
      const writer = (async () => {
        for (let id = 1; !stop; id += 1) {
          try {
            await sequelize.query('INSERT INTO backup_probe (id, body) VALUES (?, ?)', {
              replacements: [id, `write ${id}`],
            });
            acked.push(id);
          } catch {
            writeErrors += 1;
          }
        }
      })();
      while (acked.length < 50) await new Promise((r) => setTimeout(r, 5));

      const ackedBefore = [...acked];
      const result = await service.backup('manual');
      const ackedDuring = acked.length - ackedBefore.length;
      // Keep writing a little after, then stop.
      await new Promise((r) => setTimeout(r, 50));
      stop = true;
      await writer;
      assert.equal(writeErrors, 0, 'the backup must not make the server’s writes fail');
      assert.ok(ackedDuring > 0, 'writes kept being acknowledged while the backup ran (it is online)');
      assert.equal(result.encrypted, passphrase !== undefined);
      if (passphrase) {
        assert.ok(readFileSync(result.file).subarray(0, 8).equals(Buffer.from('HAVENBAK')));
        assert.ok(!readFileSync(result.file).includes(Buffer.from('SQLite format 3')), 'no plaintext');
      }

      // Restore into a separate location and inspect it.
      const target = makeTempDir('haven-restore-');
      try {
        const storage = join(target.dir, 'haven.sqlite');
        const restorer = new BackupService({
          database: sqliteConfig(storage),
          backup: backupConfig(backupDir, { passphrase }),
          dataDir: target.dir,
        });
        await restorer.restore(result.file);
        assert.deepEqual(await integrity(storage), ['ok']);
        const ids = await probeIds(storage);
        const missing = ackedBefore.filter((id) => !ids.has(id));
        assert.deepEqual(missing, [], 'every write acknowledged before the backup began is in it');
        assert.equal([...ids].filter((id) => id < 0).length, 20_000);
      } finally {
        target.remove();
      }
      // Nothing half-written is left lying around.
      assert.deepEqual(
        readdirSync(backupDir).filter((n) => n.includes('partial')),
        [],
      );
      assert.deepEqual(
        readdirSync(test.dataDir).filter((n) => n.includes('partial')),
        [],
      );
    });
  }

  it('refuses to restore a corrupted file and leaves the live database untouched', async () => {
    await createProbeTable(test.haven.sequelize, 2000);
    const service = new BackupService({
      database: test.config.database,
      backup: backupConfig(backupDir),
      dataDir: test.dataDir,
    });
    const { file } = await service.backup('manual');
    await test.haven.close();
    const live = (test.config.database as { storage: string }).storage;
    const before = sha256(live);

    // Damage pages in the middle of the file, keeping the SQLite header intact.
    const corrupted = join(backupDir, 'corrupted.sqlite');
    copyFileSync(file, corrupted);
    const fd = openSync(corrupted, 'r+');
    const size = statSync(corrupted).size;
    for (let offset = 4096; offset < size; offset += 4096 * 7)
      writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, offset);
    closeSync(fd);

    await assert.rejects(service.restore(corrupted), (e: unknown) => {
      assert.ok(e instanceof BackupRefusedError, String(e));
      assert.match(e.message, /integrity_check|cannot open|malformed|not a SQLite/i);
      return true;
    });
    await assert.rejects(service.restore(join(backupDir, 'nope.sqlite')), BackupRefusedError);
    const notSqlite = join(backupDir, 'notes.txt');
    copyFileSync(__filename, notSqlite);
    await assert.rejects(service.restore(notSqlite), /not a SQLite database/);

    assert.equal(sha256(live), before, 'the live database was not touched');
    assert.deepEqual(
      readdirSync(test.dataDir).filter((n) => n.includes('before-restore') || n.includes('partial')),
      [],
    );
  });

  it('refuses an encrypted backup with the wrong passphrase, none, or one altered byte', async () => {
    const service = new BackupService({
      database: test.config.database,
      backup: backupConfig(backupDir, { passphrase: PASSPHRASE }),
      dataDir: test.dataDir,
    });
    const { file } = await service.backup('manual');
    await test.haven.close();
    const live = (test.config.database as { storage: string }).storage;
    const before = sha256(live);

    await assert.rejects(service.restore(file, 'not the passphrase'), /wrong passphrase/);
    const plainService = new BackupService({
      database: test.config.database,
      backup: backupConfig(backupDir),
      dataDir: test.dataDir,
    });
    await assert.rejects(plainService.restore(file), /encrypted: set BACKUP_PASSPHRASE/);

    const altered = join(backupDir, 'altered.sqlite.enc');
    copyFileSync(file, altered);
    const fd = openSync(altered, 'r+');
    const at = Math.floor(statSync(altered).size / 2);
    const byte = Buffer.alloc(1);
    const original = readFileSync(altered)[at] ?? 0;
    byte[0] = original ^ 0x01;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);
    await assert.rejects(service.restore(altered), /altered or damaged/);

    assert.equal(sha256(live), before);
    // A correct restore works and keeps the replaced database beside it.
    const restored = await service.restore(file);
    assert.ok(restored.previousMovedTo && existsSync(restored.previousMovedTo));
    assert.deepEqual(await integrity(live), ['ok']);
  });

  it('keeps only the newest BACKUP_RETENTION backups, and pre-upgrade ones apart', async () => {
    let t = Date.parse('2026-11-01T00:00:00Z');
    const service = new BackupService({
      database: test.config.database,
      backup: backupConfig(backupDir, { retention: 2 }),
      dataDir: test.dataDir,
      now: () => new Date((t += 3_600_000)),
    });
    const taken = [];
    for (let i = 0; i < 4; i += 1) taken.push((await service.backup('scheduled')).file);
    assert.deepEqual(
      (await listBackups(backupDir)).map((e) => e.file),
      [taken[3], taken[2]],
    );
    // A server restarting into a failing migration over and over must not push the scheduled
    // backups out: pre-migration backups are pruned among themselves.
    for (let i = 0; i < 5; i += 1) await service.backup('pre-migration');
    const left = await listBackups(backupDir);
    assert.deepEqual(
      left.filter((e) => e.reason === 'scheduled').map((e) => e.file),
      [taken[3], taken[2]],
    );
    assert.equal(left.filter((e) => e.reason === 'pre-migration').length, 2);
  });
});

describe('appliance: backup before migrations at start-up', function () {
  this.timeout(60_000);

  async function existingDatabase(): Promise<{
    dir: string;
    storage: string;
    remove: () => void;
    last: string;
  }> {
    const test = await startTestHaven();
    const rows = await test.haven.sequelize.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1',
      { type: QueryTypes.SELECT },
    );
    await test.haven.close();
    const storage = (test.config.database as { storage: string }).storage;
    return { dir: test.dataDir, storage, remove: () => test.stop(), last: rows[0]?.name ?? '' };
  }

  it('takes no backup for a fresh database or when nothing is pending', async () => {
    const db = await existingDatabase();
    try {
      const sequelize = createDatabase(sqliteConfig(db.storage));
      const backups = new BackupService({
        database: sqliteConfig(db.storage),
        backup: backupConfig(join(db.dir, 'backups')),
        dataDir: db.dir,
      });
      await migrateWithBackup({ sequelize, database: sqliteConfig(db.storage), backups, logger });
      await sequelize.close();
      assert.deepEqual(await listBackups(join(db.dir, 'backups')), []);
    } finally {
      db.remove();
    }
  });

  it('backs up an existing database before pending migrations run', async () => {
    const db = await existingDatabase();
    try {
      const sequelize = createDatabase(sqliteConfig(db.storage));
      // Make the newest migration pending again; the stand-in run records it as applied.
      await sequelize.query('DELETE FROM schema_migrations WHERE name = ?', { replacements: [db.last] });
      const backups = new BackupService({
        database: sqliteConfig(db.storage),
        backup: backupConfig(join(db.dir, 'backups')),
        dataDir: db.dir,
      });
      const applied = await migrateWithBackup({
        sequelize,
        database: sqliteConfig(db.storage),
        backups,
        logger,
        runMigrations: async () => {
          await sequelize.query('INSERT INTO schema_migrations (name) VALUES (?)', {
            replacements: [db.last],
          });
          return [db.last];
        },
      });
      await sequelize.close();
      assert.deepEqual(applied, [db.last]);
      const list = await listBackups(join(db.dir, 'backups'));
      assert.equal(list.length, 1);
      assert.equal(list[0]?.reason, 'pre-migration');
    } finally {
      db.remove();
    }
  });

  it('puts the database back as it was when a migration fails', async () => {
    const db = await existingDatabase();
    try {
      const sequelize = createDatabase(sqliteConfig(db.storage));
      await sequelize.query('DELETE FROM schema_migrations WHERE name = ?', { replacements: [db.last] });
      await sequelize.query('CREATE TABLE before_upgrade (v TEXT)');
      await sequelize.query("INSERT INTO before_upgrade VALUES ('kept')");
      const backups = new BackupService({
        database: sqliteConfig(db.storage),
        backup: backupConfig(join(db.dir, 'backups')),
        dataDir: db.dir,
      });
      await assert.rejects(
        migrateWithBackup({
          sequelize,
          database: sqliteConfig(db.storage),
          backups,
          logger,
          runMigrations: async () => {
            // A migration that gets halfway, then fails.
            await sequelize.query('DROP TABLE before_upgrade');
            throw new Error('column "x" already exists');
          },
        }),
        /a migration failed \(column "x" already exists\); the database was restored/,
      );
      assert.deepEqual(await integrity(db.storage), ['ok']);
      const check = await SqliteFile.open(db.storage, 'readonly');
      try {
        assert.deepEqual(await check.all('SELECT v FROM before_upgrade'), [{ v: 'kept' }]);
      } finally {
        await check.close();
      }
      assert.deepEqual(
        readdirSync(db.dir).filter((n) => n.includes('before-restore') || n.includes('partial')),
        [],
        'no half-migrated copy is left to pile up if the server restarts into the same failure',
      );
      const list = await listBackups(join(db.dir, 'backups'));
      assert.equal(list[0]?.reason, 'pre-migration', 'the pre-upgrade backup stays available');
    } finally {
      db.remove();
    }
  });
});

describe('appliance: the real start path (createApp) on an upgrade whose migration fails', function () {
  this.timeout(60_000);

  it('backs up first, fails start-up with the reason, and leaves the database as it was', async () => {
    const test = await startTestHaven();
    const storage = (test.config.database as { storage: string }).storage;
    try {
      // Pretend the newest migration is new in this version while its tables already exist: running
      // it for real then fails half-way, as a broken upgrade would.
      const [last] = await test.haven.sequelize.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1',
        { type: QueryTypes.SELECT },
      );
      await test.haven.sequelize.query('DELETE FROM schema_migrations WHERE name = ?', {
        replacements: [last?.name],
      });
      await test.haven.close();

      await assert.rejects(
        createApp({ config: test.config, logger }),
        /a migration failed .*the database was restored from .*pre-migration/,
      );
      assert.deepEqual(await integrity(storage), ['ok']);
      const db = await SqliteFile.open(storage, 'readonly');
      try {
        const rows = await db.all<{ name: string }>('SELECT name FROM schema_migrations WHERE name = ?', [
          last?.name,
        ]);
        assert.deepEqual(rows, [], 'the migration table is as it was before the attempt');
      } finally {
        await db.close();
      }
      const backups = await listBackups(test.config.backup.dir);
      assert.equal(backups.length, 1);
      assert.equal(backups[0]?.reason, 'pre-migration');
    } finally {
      await test.stop().catch(() => undefined);
    }
  });
});
