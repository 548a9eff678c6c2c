import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { FakeClock } from '../../../server/shared/clock';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { attendedSession, clientsWithCharges, billingActor, billingClinic } from './billing-fixtures';

/**
 * Billing on PostgreSQL, where transactions really run side by side (a pool of 10): invoice numbers
 * come from one counter row locked by its UPDATE until commit, and a charge per appointment is kept
 * to one by the unique index whichever path gets there first.
 */
describe('billing on PostgreSQL: invoice numbers and charges under concurrency', function () {
  this.timeout(180_000);
  let database: PostgresDatabase;
  let t: TestHaven;
  let clock: FakeClock;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    clock = new FakeClock('2026-03-02T12:00:00Z');
    t = await startTestHaven({ clock, env: { DATABASE_URL: database.url } });
  });
  after(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('20 invoices issued at once get 20 distinct, gapless numbers; racing charge paths make one charge', async () => {
    const c = await billingClinic(t.haven);
    const id = await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await Promise.all(Array.from({ length: 10 }, () => t.haven.billing.charges.chargeAppointment(id)));
    const [row] = await t.haven.sequelize.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM billing_charges WHERE appointment_id = ?',
      { replacements: [id], type: QueryTypes.SELECT },
    );
    assert.equal(Number(row!.n), 1);

    const clients = await clientsWithCharges(t.haven, clock, c, 20);
    const admin = billingActor(c.admin);
    const issued = await Promise.all(
      clients.map((client) => t.haven.billing.invoices.issue(admin, client.id)),
    );
    const numbers = issued.map((i) => i.number).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // The next one continues the sequence.
    assert.equal((await t.haven.billing.invoices.issue(admin, c.clientA.id)).number, 21);
  });
});
