import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { FakeClock } from '../../../server/shared/clock';
import type { AppError } from '../../../server/shared/errors';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { makeBookable } from '../../support/practice';
import { actor, individualType, treat, weekdayHours } from './scheduling-fixtures';

/**
 * The double-booking race on PostgreSQL, where transactions really run side by side (a pool of 10)
 * and the application's availability check passes for many of them at once: only the slot-claim
 * primary key can pick the winner.
 */
describe('scheduling on PostgreSQL: 20 parallel bookings of one slot', function () {
  this.timeout(120_000);
  let database: PostgresDatabase;
  let t: TestHaven;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    t = await startTestHaven({
      clock: new FakeClock('2026-03-02T12:00:00Z'),
      env: { DATABASE_URL: database.url },
    });
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('clients racing for one slot, and a therapist racing overlapping bookings: one appointment each time', async () => {
    const admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/Paris' });
    const therapist = await createUser(t.haven, { roles: ['therapist'], timeZone: 'America/New_York' });
    await weekdayHours(t.haven, therapist, 'America/New_York');
    await makeBookable(t.haven, therapist, admin);
    const type = await individualType(t.haven, admin);
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createUser(t.haven, { roles: ['client'], timeZone: 'Asia/Kolkata', displayName: `Racer ${i}` }),
      ),
    );
    const codes = (results: PromiseSettledResult<unknown>[]) =>
      results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => (r.reason as AppError).code);

    const start = '2026-03-10T13:00:00.000Z';
    const byClients = await Promise.allSettled(
      clients.map((c) =>
        t.haven.scheduling.booking.bookAsClient(actor(c), {
          therapistId: therapist.id,
          typeId: type.id,
          start,
        }),
      ),
    );
    assert.equal(byClients.filter((r) => r.status === 'fulfilled').length, 1);
    for (const code of codes(byClients)) {
      assert.ok(['appointment.slot_taken', 'appointment.slot_unavailable'].includes(code), code);
    }

    await treat(t.haven, therapist, ...clients);
    const byTherapist = await Promise.allSettled(
      clients.map((c, i) =>
        t.haven.scheduling.booking.bookForClient(actor(therapist), {
          typeId: type.id,
          clientIds: [c.id],
          start: i % 2 === 0 ? '2026-03-11T15:00:00.000Z' : '2026-03-11T15:20:00.000Z',
        }),
      ),
    );
    assert.equal(byTherapist.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(codes(byTherapist).every((c) => c === 'appointment.slot_taken'));
    const rows = await t.haven.sequelize.query('SELECT id FROM appointments', { type: QueryTypes.SELECT });
    assert.equal(rows.length, 2);
  });
});
