import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { BackupRefusedError, BackupService } from '../../../server/backup';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

describe('appliance: backups of a PostgreSQL install (pg_dump / pg_restore)', function () {
  this.timeout(120_000);
  let db: PostgresDatabase;
  let test: TestHaven;

  before(async function () {
    db = await postgresDatabaseOrSkip(this);
    test = await startTestHaven({ env: { DATABASE_URL: db.url } });
  });
  after(async () => {
    await test?.stop();
    await db?.drop();
  });

  it('dumps online, encrypts, refuses a damaged archive, and restores the contents as they were', async () => {
    const { sequelize } = test.haven;
    await sequelize.query('CREATE TABLE backup_probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await sequelize.query("INSERT INTO backup_probe VALUES (1, 'before backup'), (2, 'before backup')");
    const service = new BackupService({
      database: test.config.database,
      backup: {
        dir: join(test.dataDir, 'backups'),
        retention: 3,
        passphrase: 'a long passphrase here',
        intervalHours: 0,
      },
      dataDir: test.dataDir,
    });
    const result = await service.backup('manual');
    assert.match(result.file, /\.pgdump\.enc$/);
    assert.ok(readFileSync(result.file).subarray(0, 8).equals(Buffer.from('HAVENBAK')));

    // Later changes, which the restore must undo.
    await sequelize.query("INSERT INTO backup_probe VALUES (3, 'after backup')");
    await sequelize.query("UPDATE backup_probe SET v = 'changed' WHERE id = 1");

    const damaged = join(test.dataDir, 'damaged.pgdump');
    writeFileSync(damaged, Buffer.from('PGDMP this is not really an archive'));
    const unencrypted = new BackupService({
      database: test.config.database,
      backup: { ...service.config, passphrase: undefined },
      dataDir: test.dataDir,
    });
    await assert.rejects(unencrypted.restore(damaged), /pg_restore cannot read the archive/);
    const truncated = join(test.dataDir, 'truncated.pgdump.enc');
    copyFileSync(result.file, truncated);
    writeFileSync(truncated, readFileSync(truncated).subarray(0, 100));
    await assert.rejects(service.restore(truncated), BackupRefusedError);
    const untouched = await sequelize.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM backup_probe', {
      type: QueryTypes.SELECT,
    });
    assert.equal(untouched[0]?.n, 3, 'a refused restore changes nothing');

    await service.restore(result.file);
    const rows = await sequelize.query<{ id: number; v: string }>(
      'SELECT id, v FROM backup_probe ORDER BY id',
      {
        type: QueryTypes.SELECT,
      },
    );
    assert.deepEqual(rows, [
      { id: 1, v: 'before backup' },
      { id: 2, v: 'before backup' },
    ]);
    const migrations = await sequelize.query<{ n: number }>(
      'SELECT COUNT(*)::int AS n FROM schema_migrations',
      {
        type: QueryTypes.SELECT,
      },
    );
    assert.ok((migrations[0]?.n ?? 0) > 0);
  });
});
