import assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

describe('SQLite connections', () => {
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven({ env: { SQLITE_BUSY_TIMEOUT_MS: '4321' } });
  });
  after(() => t.stop());

  async function pragmas(options: object = {}) {
    const q = async (name: string) =>
      Object.values(
        (
          await t.haven.sequelize.query(`PRAGMA ${name}`, { type: QueryTypes.SELECT, ...options })
        )[0] as object,
      )[0];
    return {
      journal: await q('journal_mode'),
      synchronous: await q('synchronous'),
      foreignKeys: await q('foreign_keys'),
      busyTimeout: await q('busy_timeout'),
    };
  }
  const expected = { journal: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 4321 };

  it('the default connection runs WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    assert.deepEqual(await pragmas(), expected);
  });

  it('so does the separate connection Sequelize opens for each transaction', async () => {
    await t.haven.sequelize.transaction(async (transaction) => {
      assert.deepEqual(await pragmas({ transaction }), expected);
    });
  });

  it('keeps the transaction connection for the next transaction, after a commit and after a rollback', async () => {
    const sequelize = t.haven.sequelize;
    const connectionOf = (transaction: unknown) => (transaction as { connection: object }).connection;
    const first = await sequelize.transaction(async (transaction) => connectionOf(transaction));
    const second = await sequelize.transaction(async (transaction) => {
      assert.deepEqual(await pragmas({ transaction }), expected);
      return connectionOf(transaction);
    });
    assert.equal(second, first, 'the committed transaction handed its connection on');
    await assert.rejects(
      sequelize.transaction(async (transaction) => {
        await sequelize.query("INSERT INTO audit_events (seq) VALUES ('not a row')", { transaction });
      }),
    );
    const third = await sequelize.transaction(async (transaction) => {
      // Not left inside the rolled-back transaction: this one begins and commits normally.
      assert.deepEqual(await pragmas({ transaction }), expected);
      return connectionOf(transaction);
    });
    assert.equal(third, first, 'a rolled-back transaction hands it on too');
    assert.notEqual(third, (await sequelize.connectionManager.getConnection({ type: 'read' })) as object);
  });

  it('enforces foreign keys', async () => {
    await assert.rejects(
      t.haven.sequelize.query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ('nobody', 'client', '2026-01-01')",
      ),
      /FOREIGN KEY/,
    );
  });

  it('queues concurrent writers instead of failing with SQLITE_BUSY', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.haven.audit.record({ actorId: null, action: 'test.concurrent', targetId: String(i) }),
      ),
    );
    const result = await t.haven.audit.verify();
    assert.ok(result.ok, result.problem ?? '');
    assert.ok(result.rowsChecked >= 20);
  });
});

describe('SQLite files on disk', () => {
  it('haven.sqlite and its -wal and -shm files are readable by the owner only (0600)', async () => {
    const t = await startTestHaven();
    try {
      await t.haven.audit.record({ actorId: null, action: 'test.file_mode', targetId: 'x' });
      const db = join(t.dataDir, 'haven.sqlite');
      for (const file of [db, `${db}-wal`, `${db}-shm`]) {
        assert.equal(statSync(file).mode & 0o777, 0o600, file);
      }
    } finally {
      await t.stop();
    }
  });

  it('an existing database left readable by others is tightened at start-up', async () => {
    const first = await startTestHaven();
    const db = join(first.dataDir, 'haven.sqlite');
    await first.haven.close();
    chmodSync(db, 0o644);
    const again = await startTestHaven({ env: { DATABASE_URL: `sqlite:${db}` } });
    try {
      assert.equal(statSync(db).mode & 0o777, 0o600);
    } finally {
      await again.stop();
      await first.stop();
    }
  });
});
