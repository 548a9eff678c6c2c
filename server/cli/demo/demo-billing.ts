import type { Haven } from '../../app';
import type { BillingActor } from '../../billing';
import type { DemoPerson } from './demo-people';

const as = (p: DemoPerson): BillingActor => ({ id: p.user.id, roles: p.user.roles, ip: null });

/** Demo standard fees (USD) by service code. */
const FEES: Readonly<Record<string, string>> = {
  '90791': '200',
  '90832': '90',
  '90834': '140',
  '90837': '180',
  '90846': '150',
  '90847': '160',
  '90853': '60',
  '90839': '220',
  '90840': '110',
  'LATE-CANCEL': '50',
  'NO-SHOW': '75',
};

/**
 * Billing for the demo clinic: fees, two fee programs (a sliding-scale band and pro bono), Maya's
 * NPI and credentials, Riley on the sliding scale with the past sessions charged (diagnoses from the care-planning demo), one
 * invoice and a partial payment, so every billing page has something to show. Runs after the scheduling seed.
 */
export async function seedDemoBilling(haven: Haven, people: ReadonlyMap<string, DemoPerson>): Promise<void> {
  const get = (key: string): DemoPerson => {
    const p = people.get(key);
    if (!p) throw new Error(`demo person ${key} is missing`);
    return p;
  };
  const [admin, maya, riley] = ['admin', 'therapist1', 'client1'].map(get) as [
    DemoPerson,
    DemoPerson,
    DemoPerson,
  ];
  const { catalog, accounts, charges, invoices, payments } = haven.billing;

  const services = await catalog.services();
  for (const s of services) {
    const fee = FEES[s.code];
    if (fee === undefined) continue;
    await catalog.saveService(as(admin), s.id, {
      code: s.code,
      description: s.description,
      durationMinutes: s.durationMinutes === null ? '' : String(s.durationMinutes),
      fee,
      role: s.role,
      active: 'on',
    });
  }
  const byCode = new Map(services.map((s) => [s.code, s.id]));
  const price = (code: string) => `price_${byCode.get(code) ?? ''}`;
  const band = await catalog.saveProgram(as(admin), null, {
    name: 'Sliding scale: band B',
    description: 'Household income between 25,000 and 50,000 a year',
    [price('90791')]: '100',
    [price('90832')]: '45',
    [price('90834')]: '70',
    [price('90837')]: '90',
  });
  await catalog.saveProgram(as(admin), null, {
    name: 'Pro bono',
    description: 'No fee, agreed case by case',
    ...Object.fromEntries(services.map((s) => [`price_${s.id}`, '0'])),
  });
  await catalog.saveSettings(as(admin), {
    currency: 'USD',
    telehealthModifier: 'on',
    invoicing: 'on_demand',
    paymentTermsDays: '30',
    chargeLateCancel: 'on',
    chargeNoShow: 'on',
    clinicNpi: '1987654328',
    taxNumber: '12-3456789',
    address: '100 Demo Street, Springfield, IL 62701',
  });
  await catalog.saveProvider(as(maya), { npi: '1234567893', credentials: 'PsyD' });
  await accounts.setProgram(as(admin), riley.user.id, band.id);
  await accounts.saveDetails(as(riley), riley.user.id, {
    legalName: 'Riley Chen',
    dateOfBirth: '1992-04-17',
    address: '12 Elm Street, Springfield, IL 62702',
  });

  // Riley's diagnoses come from the care-planning demo (seeded before this), recorded before the
  // sessions are completed below, so each charge points to them and Riley's superbill can be made.
  const now = Date.now();

  // Riley's past sessions were held: completing them makes their charges (once each).
  const mayaActor = { id: maya.user.id, roles: maya.user.roles, ip: null };
  for (const a of await haven.scheduling.booking.listFor(mayaActor, 'past')) {
    if (a.status !== 'confirmed' || a.end.getTime() > now) continue;
    await haven.scheduling.booking.complete(mayaActor, a.id);
    await charges.chargeAppointment(a.id);
  }
  const account = await accounts.view(as(admin), riley.user.id);
  if (account.balance.uninvoicedMinor === 0) return;
  const invoice = await invoices.issue(as(maya), riley.user.id);
  await payments.record(as(admin), invoice.id, {
    kind: 'payment',
    method: 'card_elsewhere',
    amount: '70',
    receivedOn: invoice.issuedOn,
    reference: 'Terminal receipt 0042',
  });
}
