import assert from 'node:assert/strict';
import { seedDemoBilling } from '../../../server/cli/demo/demo-billing';
import { seedDemoCarePlanning } from '../../../server/cli/demo/demo-care-planning';
import { seedDemoClinical } from '../../../server/cli/demo/demo-clinical';
import { seedDemoPeople } from '../../../server/cli/demo/demo-people';
import { seedDemoScheduling } from '../../../server/cli/demo/demo-scheduling';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The demo clinic (npm run seed:demo) has services with fees, two fee programs, charges, an invoice and a payment. */
describe('demo seed: billing', function () {
  this.timeout(120_000);
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven();
  });
  after(async () => t?.stop());

  it('prices the services, adds a sliding scale and pro bono, charges Riley’s past sessions (with the diagnosis), invoices them, records a partial payment, and can make the superbill', async () => {
    const { haven } = t;
    const people = await seedDemoPeople(haven);
    await seedDemoClinical(haven, people);
    await seedDemoCarePlanning(haven, people); // Riley's diagnoses, as `npm run seed:demo` orders it
    await seedDemoScheduling(haven, people);
    await seedDemoBilling(haven, people);
    const admin = people.get('admin')!.user;
    const riley = people.get('client1')!.user;
    const programs = await haven.billing.catalog.programs();
    assert.deepEqual(programs.map((p) => p.name).sort(), ['Pro bono', 'Sliding scale: band B']);
    const fee = (await haven.billing.catalog.services()).find((s) => s.code === '90834')!.feeMinor;
    assert.equal(fee, 14000);
    const view = await haven.billing.accounts.view({ id: admin.id, roles: admin.roles }, riley.id);
    assert.ok(view.charges.length >= 1, 'charges for past sessions');
    assert.ok(
      view.charges.every((c) => c.amountMinor === 7000 && c.serviceCode === '90834'),
      'at band B prices',
    );
    assert.equal(view.invoices.length, 1);
    assert.equal(view.payments.length, 1);
    assert.equal(view.balance.balanceMinor, view.balance.chargedMinor - 7000);
    assert.ok(
      view.charges.every((c) => c.diagnoses[0]?.code === 'F41.1'),
      'each charge points to Riley’s diagnoses, the primary one first',
    );
    const first = view.charges.map((c) => c.dateOfService).sort()[0]!;
    const superbill = await haven.billing.documents.superbill(
      { id: riley.id, roles: riley.roles },
      riley.id,
      {
        from: first,
        to: new Date().toISOString().slice(0, 10),
      },
    );
    assert.ok(superbill.pdf.length > 1000, 'the demo has everything a superbill needs');
  });
});
