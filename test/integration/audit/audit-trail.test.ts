import assert from 'node:assert/strict';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { FakeClock } from '../../../server/shared/clock';

describe('audit trail', () => {
  let t: TestHaven;
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  beforeEach(async () => {
    t = await startTestHaven({ clock });
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      await t.haven.audit.record({
        actorId: `user-${i}`,
        action: 'note.read',
        targetType: 'note',
        targetId: `note-${i}`,
        subjectId: 'client-a',
        ip: '127.0.0.1',
        details: { reason: i === 3 ? 'break-glass' : null },
      });
    }
  });
  afterEach(() => t.stop());

  const sql = (query: string) => t.haven.sequelize.query(query);
  // An attacker with raw database access would first drop the append-only triggers.
  const dropGuards = async () => {
    await sql('DROP TRIGGER audit_events_no_update');
    await sql('DROP TRIGGER audit_events_no_delete');
  };

  it('chains each row to the previous one and verifies clean', async () => {
    const result = await t.haven.audit.verify();
    assert.deepEqual([result.ok, result.rowsChecked, result.lastSeq, result.problem], [true, 5, 5, null]);
    assert.equal((await t.haven.audit.lastVerification())?.ok, true);
  });

  it('refuses UPDATE and DELETE at the database level', async () => {
    // Sequelize wraps the trigger's RAISE in its own error; the database's words are in `parent`.
    const refusedByTrigger = (error: unknown) =>
      /append-only/.test(String((error as { parent?: Error }).parent?.message ?? error));
    await assert.rejects(sql("UPDATE audit_events SET action = 'x' WHERE seq = 2"), refusedByTrigger);
    await assert.rejects(sql('DELETE FROM audit_events WHERE seq = 2'), refusedByTrigger);
  });

  it('detects an edited row', async () => {
    await dropGuards();
    await sql("UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 3");
    const result = await t.haven.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.badSeq, 3);
    assert.match(result.problem ?? '', /row 3 was altered/);
  });

  it('detects a deleted row', async () => {
    await dropGuards();
    await sql('DELETE FROM audit_events WHERE seq = 2');
    const result = await t.haven.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.badSeq, 2);
    assert.match(result.problem ?? '', /row 2 is missing/);
  });

  it('detects reordered rows', async () => {
    await dropGuards();
    // Swap the contents of rows 2 and 4 (keeping each row's own hash, as a careless forger would).
    await sql('UPDATE audit_events SET seq = -2 WHERE seq = 2');
    await sql('UPDATE audit_events SET seq = 2 WHERE seq = 4');
    await sql('UPDATE audit_events SET seq = 4 WHERE seq = -2');
    const result = await t.haven.audit.verify();
    assert.equal(result.ok, false);
    assert.equal(result.badSeq, 2);
  });

  it('detects rows cut from the end since the last good check', async () => {
    assert.ok((await t.haven.audit.verify()).ok);
    await dropGuards();
    await sql('DELETE FROM audit_events WHERE seq >= 4');
    const result = await t.haven.audit.verify();
    assert.equal(result.ok, false);
    assert.match(result.problem ?? '', /rows up to 5 existed/);
  });

  it('commits and rolls back with the caller’s transaction', async () => {
    await assert.rejects(
      t.haven.sequelize.transaction(async (transaction) => {
        await t.haven.audit.record({ actorId: 'x', action: 'note.write' }, transaction);
        throw new Error('the note write failed');
      }),
      /note write failed/,
    );
    const result = await t.haven.audit.verify();
    assert.equal(result.rowsChecked, 5);
  });
});
