import assert from 'node:assert/strict';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../server/db';
import { MIGRATIONS } from '../../server/db/migrations';
import { migration as lastFoundationMigration } from '../../server/db/migrations/20261126-0003-audit';
import { schemaSnapshot, type SchemaSnapshot } from './schema-snapshot';

/** Tables the foundation creates; features add their own and keep these. */
export const FOUNDATION_TABLES = [
  'audit_checkpoints',
  'audit_events',
  'outbox_messages',
  'user_roles',
  'users',
];

/**
 * The migration suite, for whichever dialect `sequelize()` is on. It walks whatever MIGRATIONS holds
 * (every engineer's migrations, not a fixed list), expecting a database that createApp has just
 * migrated to the latest version:
 * all up (as start-up left it) → all down to zero → up one at a time → down one at a time, checking
 * after each `down` that the schema is exactly what it was before that migration's `up` → all up again.
 * The `it`s run in order and share the database.
 */
export function itRoundTripsEveryMigration(sequelize: () => Sequelize): void {
  const names = MIGRATIONS.map((m) => m.name);
  let latest: SchemaSnapshot;
  let empty: SchemaSnapshot;
  const steps: SchemaSnapshot[] = [];

  it('has uniquely named migrations in sorted order', () => {
    assert.equal(new Set(names).size, names.length, 'two migrations share a name');
    assert.deepEqual(names, [...names].sort(), 'MIGRATIONS must be listed oldest first');
  });

  it('start-up applied every migration, in order, and created the foundation tables', async () => {
    const migrator = createMigrator(sequelize());
    assert.deepEqual(
      (await migrator.executed()).map((m) => m.name),
      names,
    );
    assert.deepEqual(await migrator.pending(), []);
    latest = await schemaSnapshot(sequelize());
    for (const table of FOUNDATION_TABLES) assert.ok(table in latest.tables, `table ${table} is missing`);
  });

  it('goes down to zero, leaving only the migrations table behind', async () => {
    const migrator = createMigrator(sequelize());
    await migrator.down({ to: 0 });
    assert.deepEqual(await migrator.executed(), []);
    empty = await schemaSnapshot(sequelize());
    assert.deepEqual(empty, { tables: {}, other: [] }, 'some down() left schema objects behind');
  });

  it('goes up one migration at a time to the same schema start-up made', async () => {
    const migrator = createMigrator(sequelize());
    steps.length = 0;
    steps.push({ tables: {}, other: [] });
    for (const name of names) {
      await migrator.up({ step: 1 });
      assert.equal((await migrator.executed()).at(-1)?.name, name);
      steps.push(await schemaSnapshot(sequelize()));
    }
    assert.deepEqual(steps.at(-1), latest);
  });

  it("each migration's down restores exactly the schema from before its up", async () => {
    const migrator = createMigrator(sequelize());
    for (let i = names.length; i >= 1; i -= 1) {
      await migrator.down({ step: 1 });
      assert.deepEqual(
        await schemaSnapshot(sequelize()),
        steps[i - 1],
        `${names[i - 1]}: down() does not undo up()`,
      );
    }
    assert.deepEqual(await migrator.executed(), []);
  });

  it('goes up again to the latest schema', async () => {
    const migrator = createMigrator(sequelize());
    assert.deepEqual(
      (await migrator.up()).map((m) => m.name),
      names,
    );
    assert.deepEqual(await schemaSnapshot(sequelize()), latest);
  });
}

/**
 * Reverting and re-applying every migration after the foundation must not lose the foundation's rows.
 * On SQLite, Sequelize's removeColumn/changeColumn rebuild a table (copy, DROP, rename); if that DROP
 * ran with foreign keys on, ON DELETE CASCADE would silently empty the tables that point at it (every
 * user's roles, when a migration drops a column from `users`).
 */
export function itKeepsRowsAcrossFeatureMigrations(sequelize: () => Sequelize): void {
  it('reverting and re-applying the feature migrations keeps users and their roles', async () => {
    const index = MIGRATIONS.findIndex((m) => m.name === lastFoundationMigration.name);
    assert.ok(index >= 0 && index < MIGRATIONS.length - 1, 'feature migrations follow the foundation');
    const db = sequelize();
    const now = new Date('2026-01-01T00:00:00Z');
    await db.query(
      `INSERT INTO users (id, email, display_name, status, is_demo, created_at, updated_at)
       VALUES ('keep-me', 'keep@example.org', 'Keep', 'active', :no, :now, :now)`,
      { replacements: { no: false, now } },
    );
    await db.query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ('keep-me', 'client', :now)", {
      replacements: { now },
    });
    const migrator = createMigrator(db);
    await migrator.down({ to: MIGRATIONS[index + 1]?.name ?? '' });
    await migrator.up();
    const [roles] = await db.query("SELECT role FROM user_roles WHERE user_id = 'keep-me'");
    const [users] = await db.query("SELECT email FROM users WHERE id = 'keep-me'");
    assert.deepEqual(users, [{ email: 'keep@example.org' }]);
    assert.deepEqual(roles, [{ role: 'client' }], 'the roles were deleted while migrating');
  });
}
