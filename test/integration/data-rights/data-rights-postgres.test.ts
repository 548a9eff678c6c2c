import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { FakeClock } from '../../../server/shared/clock';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { seedDataRightsCast } from './data-rights-fixtures';

/** Export, erasure and the retention purge on a real PostgreSQL (skipped only without its binaries). */
describe('data rights on PostgreSQL', function () {
  this.timeout(90_000);
  let database: PostgresDatabase;
  let t: TestHaven;
  const clock = new FakeClock('2026-03-09T12:00:00Z');

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({ clock, env: { DATABASE_URL: database.url, CLINICAL_RETENTION_YEARS: '1' } });
    assert.equal(t.haven.sequelize.getDialect(), 'postgres');
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('exports, erases, restricts and purges', async () => {
    const cast = await seedDataRightsCast(t.haven, clock);
    const { exports, erasure, retention } = t.haven.dataRights;
    const alice = { id: cast.alice.user.id, roles: cast.alice.user.roles, ip: null };
    const admin = { id: cast.admin.user.id, roles: cast.admin.user.roles, ip: null };

    const data = await exports.collect(alice.id);
    assert.equal(data.appointments.length, 2);
    assert.equal(data.clinical.notes.length, 1);
    assert.equal(data.messaging.messages.length, 2);
    assert.equal(data.chat.length, 2);
    const zip = await exports.export(alice);
    let bytes = 0;
    for await (const chunk of zip.stream) bytes += (chunk as Buffer).length;
    assert.ok(bytes > 1000);

    const request = await erasure.request(alice, 'ERASE MY ACCOUNT');
    await erasure.approve(admin, request.id, 'Client request; identity confirmed.');
    const count = async (sql: string, id: string) =>
      Number(
        (
          await t.haven.sequelize.query<{ n: string }>(sql, { replacements: [id], type: QueryTypes.SELECT })
        )[0]!.n,
      );
    assert.equal(
      await count('SELECT COUNT(*) AS n FROM messages WHERE thread_id = ?', cast.alice.threadId),
      0,
    );
    await assert.rejects(
      t.haven.clinical.notes.read({ id: cast.therapist.user.id, roles: ['therapist'] }, cast.alice.noteId),
      { code: 'clinical.forbidden' },
    );

    clock.advance(366 * 86_400_000);
    assert.equal(await retention.runOnce(), 1);
    assert.equal(await count('SELECT COUNT(*) AS n FROM clinical_notes WHERE client_id = ?', alice.id), 0);
    assert.equal(
      await count('SELECT COUNT(*) AS n FROM clinical_notes WHERE client_id = ?', cast.boris.user.id),
      1,
    );
  });
});
