import assert from 'node:assert/strict';
import { createDatabase, createMigrator } from '../../../server/db';
import { MIGRATIONS } from '../../../server/db/migrations';
import { AppError } from '../../../server/shared/errors';
import { FakeClock } from '../../../server/shared/clock';
import {
  itKeepsRowsAcrossFeatureMigrations,
  itRoundTripsEveryMigration,
} from '../../support/migration-round-trip';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven, type TestHavenOptions } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

/**
 * The database-facing suites on a real PostgreSQL (test/support/postgres.ts starts one per run).
 * Haven is built through the real composition root with DATABASE_URL pointing at a fresh database,
 * so what runs here is what a clinic on PostgreSQL runs. Skipped, with one line saying so, only when
 * the PostgreSQL server binaries are not installed.
 */
describe('on PostgreSQL', function () {
  const databases: PostgresDatabase[] = [];
  const havens: TestHaven[] = [];

  before(async function () {
    databases.push(await postgresDatabaseOrSkip(this));
  });

  after(async () => {
    for (const haven of havens.splice(0)) await haven.stop();
    for (const database of databases.splice(0)) await database.drop();
  });

  /** A Haven on its own fresh PostgreSQL database. */
  async function havenOnPostgres(
    context: Mocha.Context,
    options: Omit<TestHavenOptions, 'env'> & {
      env?: Record<string, string>;
    } = {},
  ): Promise<TestHaven> {
    const database = await postgresDatabaseOrSkip(context);
    databases.push(database);
    const haven = await startTestHaven({ ...options, env: { ...options.env, DATABASE_URL: database.url } });
    havens.push(haven);
    return haven;
  }

  describe('migrations: up, down to zero, up again', () => {
    let t: TestHaven;
    before(async function () {
      t = await havenOnPostgres(this);
      assert.equal(t.haven.sequelize.getDialect(), 'postgres');
    });

    itRoundTripsEveryMigration(() => t.haven.sequelize);
    itKeepsRowsAcrossFeatureMigrations(() => t.haven.sequelize);

    it('answers concurrent questions on a fresh database (the migrations table is created once)', async function () {
      const database = await postgresDatabaseOrSkip(this);
      databases.push(database);
      const sequelize = createDatabase({ dialect: 'postgres', url: database.url });
      try {
        const migrator = createMigrator(sequelize);
        const [pending, executed] = await Promise.all([migrator.pending(), migrator.executed()]);
        assert.deepEqual([pending.length, executed.length], [MIGRATIONS.length, 0]);
      } finally {
        await sequelize.close();
      }
    });
  });

  describe('audit trail', () => {
    let t: TestHaven;
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const sql = (query: string) => t.haven.sequelize.query(query);
    // Someone with raw database access would switch the append-only trigger off first.
    const disableGuard = () => sql('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');

    beforeEach(async function () {
      t = await havenOnPostgres(this, { clock });
      for (let i = 1; i <= 5; i++) {
        clock.advance(1000);
        await t.haven.audit.record({
          actorId: `user-${i}`,
          action: 'note.read',
          targetType: 'note',
          targetId: `note-${i}`,
          subjectId: 'client-a',
          ip: '127.0.0.1',
          details: { reason: i === 3 ? 'break-glass' : null, minutes: i },
        });
      }
    });

    it('appends a hash chain that verifies clean, and remembers the check', async () => {
      const result = await t.haven.audit.verify();
      assert.deepEqual([result.ok, result.rowsChecked, result.lastSeq, result.problem], [true, 5, 5, null]);
      // A second check reads the first one's checkpoint (BIGINT and DATE columns coming back from pg).
      const again = await t.haven.audit.verify();
      assert.equal(again.ok, true, again.problem ?? '');
      const last = await t.haven.audit.lastVerification();
      assert.equal(last?.ok, true);
      assert.ok(last?.at instanceof Date);
    });

    it('refuses UPDATE and DELETE with the append-only trigger', async () => {
      await assert.rejects(sql("UPDATE audit_events SET action = 'x' WHERE seq = 2"), /append-only/);
      await assert.rejects(sql('DELETE FROM audit_events WHERE seq = 2'), /append-only/);
      assert.equal((await t.haven.audit.verify()).ok, true);
    });

    it('detects an edited row', async () => {
      await disableGuard();
      await sql("UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 3");
      const result = await t.haven.audit.verify();
      assert.deepEqual([result.ok, result.badSeq], [false, 3]);
      assert.match(result.problem ?? '', /row 3 was altered/);
    });

    it('detects a deleted row', async () => {
      await disableGuard();
      await sql('DELETE FROM audit_events WHERE seq = 2');
      const result = await t.haven.audit.verify();
      assert.deepEqual([result.ok, result.badSeq], [false, 2]);
      assert.match(result.problem ?? '', /row 2 is missing/);
    });

    it('detects reordered rows', async () => {
      await disableGuard();
      await sql('UPDATE audit_events SET seq = -2 WHERE seq = 2');
      await sql('UPDATE audit_events SET seq = 2 WHERE seq = 4');
      await sql('UPDATE audit_events SET seq = 4 WHERE seq = -2');
      const result = await t.haven.audit.verify();
      assert.deepEqual([result.ok, result.badSeq], [false, 2]);
    });

    it('detects rows cut from the end since the last good check', async () => {
      assert.ok((await t.haven.audit.verify()).ok);
      await disableGuard();
      await sql('DELETE FROM audit_events WHERE seq >= 4');
      const result = await t.haven.audit.verify();
      assert.equal(result.ok, false);
      assert.match(result.problem ?? '', /rows up to 5 existed/);
    });

    it('serialises concurrent appends (advisory lock), with and without a caller transaction', async () => {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2 === 0
            ? t.haven.audit.record({ actorId: null, action: 'test.concurrent', targetId: String(i) })
            : t.haven.sequelize.transaction((transaction) =>
                t.haven.audit.record(
                  { actorId: null, action: 'test.concurrent', targetId: String(i) },
                  transaction,
                ),
              ),
        ),
      );
      const result = await t.haven.audit.verify();
      assert.equal(result.ok, true, result.problem ?? '');
      assert.equal(result.rowsChecked, 35);
    });

    it('commits and rolls back with the caller’s transaction', async () => {
      await assert.rejects(
        t.haven.sequelize.transaction(async (transaction) => {
          await t.haven.audit.record({ actorId: 'x', action: 'note.write' }, transaction);
          throw new Error('the note write failed');
        }),
        /note write failed/,
      );
      assert.equal((await t.haven.audit.verify()).rowsChecked, 5);
    });
  });

  describe('mail outbox', () => {
    let t: TestHaven;
    let sink: SmtpSink;
    before(async function () {
      sink = await SmtpSink.start('accept');
      t = await havenOnPostgres(this, { env: { SMTP_URL: sink.url } });
    });
    after(() => sink?.stop());

    const email = (key: string) => ({
      to: 'client@example.test',
      subject: 'Your appointment is confirmed',
      text: 'See you soon.',
      idempotencyKey: key,
    });
    const keys = async () => (await t.haven.mail.outbox.list()).map((m) => m.idempotencyKey).sort();

    it('a rolled-back transaction leaves no email; a committed one leaves exactly its email', async () => {
      await assert.rejects(
        t.haven.sequelize.transaction(async (transaction) => {
          await t.haven.mail.outbox.enqueue(email('booking:1'), transaction);
          throw new Error('booking failed');
        }),
        /booking failed/,
      );
      assert.deepEqual(await keys(), []);
      await t.haven.sequelize.transaction((transaction) =>
        t.haven.mail.outbox.enqueue(email('booking:2'), transaction),
      );
      assert.deepEqual(await keys(), ['booking:2']);
      const [row] = await t.haven.mail.outbox.list();
      assert.equal(row?.status, 'queued');
      assert.equal(row?.attempts, 0);
      assert.ok(row?.createdAt instanceof Date && row.nextAttemptAt instanceof Date);
    });

    it('keeps one row per idempotency key, also when two transactions race for it', async () => {
      assert.equal(await t.haven.mail.outbox.enqueue(email('reminder:a:24h')), true);
      assert.equal(await t.haven.mail.outbox.enqueue(email('reminder:a:24h')), false);
      // Both transactions miss each other's uncommitted row; the unique key must not abort either.
      await Promise.all(
        [1, 2, 3].map(() =>
          t.haven.sequelize.transaction((transaction) =>
            t.haven.mail.outbox.enqueue(email('reminder:b:24h'), transaction),
          ),
        ),
      );
      assert.deepEqual(await keys(), ['booking:2', 'reminder:a:24h', 'reminder:b:24h']);
    });

    it('the sender claims, delivers and marks every row sent', async () => {
      const sender = t.haven.mail.sender;
      assert.ok(sender);
      assert.equal(await sender.drainOnce(), 3);
      assert.deepEqual(await t.haven.mail.outbox.counts(), { queued: 0, sending: 0, sent: 3, failed: 0 });
      assert.equal(sink.received.length, 3);
      assert.equal(await sender.drainOnce(), 0);
    });
  });

  describe('users', () => {
    let t: TestHaven;
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    before(async function () {
      t = await havenOnPostgres(this, { clock });
    });
    afterEach(() => clock.advance(60_000));

    it('creates a user with roles and reads it back with the right types', async () => {
      const created = await t.haven.accounts.createUser(
        {
          email: ' Ana@Example.org ',
          displayName: 'Ana',
          password: 'correct horse battery',
          roles: ['therapist', 'admin'],
        },
        null,
      );
      const read = await t.haven.accounts.byId(created.id);
      assert.ok(read);
      assert.equal(read.email, 'ana@example.org');
      assert.equal(read.displayName, 'Ana');
      assert.deepEqual([...read.roles].sort(), ['admin', 'therapist']);
      assert.equal(read.isDemo, false);
      assert.ok(read.createdAt instanceof Date && !Number.isNaN(read.createdAt.getTime()));
      assert.equal(await t.haven.accounts.byId('no-such-user'), null);
    });

    it('counts demo users apart (BOOLEAN filter) and lists everyone', async () => {
      await t.haven.accounts.createUser(
        { email: 'demo@example.org', displayName: 'Demo', roles: ['client'], isDemo: true },
        null,
      );
      assert.equal(await t.haven.accounts.countUsers(), 2);
      assert.equal(await t.haven.accounts.countRealUsers(), 1);
      assert.deepEqual(
        (await t.haven.accounts.list()).map((u) => [u.email, u.isDemo]),
        [
          ['ana@example.org', false],
          ['demo@example.org', true],
        ],
      );
    });

    it('refuses a second account with the same address, and audits each creation', async () => {
      await assert.rejects(
        t.haven.accounts.createUser(
          { email: 'ANA@example.org', displayName: 'Other', roles: ['client'] },
          null,
        ),
        (error: unknown) => error instanceof AppError && error.code === 'accounts.email_taken',
      );
      assert.equal(await t.haven.accounts.countUsers(), 2);
      assert.equal((await auditActions(t.haven, { action: 'user.created' })).length, 2);
      assert.equal((await t.haven.audit.verify()).ok, true);
    });
  });
});
