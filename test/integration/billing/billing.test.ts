import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { invoiceLabel } from '../../../server/billing';
import { buildCsvFiles } from '../../../server/data-rights/csv-files';
import { FakeClock } from '../../../server/shared/clock';
import { AppError } from '../../../server/shared/errors';
import { createPerson, signIn } from '../../support/accounts';
import { auditActions } from '../../support/audit-trail';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor } from '../scheduling/scheduling-fixtures';
import {
  attendedSession,
  clientsWithCharges,
  billingActor,
  billingClinic,
  bookSession,
  CLINIC_NPI,
  THERAPIST_NPI,
  inkOnFirstPage,
  pdfText,
  type BillingClinic,
} from './billing-fixtures';

const rejects = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

/** Billing's event listener runs after the commit; wait for what it does (bounded, no fixed sleep). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i += 1) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

describe('billing: charges, invoices, payments and documents (SQLite)', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let clock: FakeClock;
  let c: BillingClinic;

  beforeEach(async () => {
    // Monday 2 March 2026 in New York.
    clock = new FakeClock('2026-03-02T12:00:00Z');
    t = await startTestHaven({ clock, env: { SCHEDULING_LATE_CANCEL_HOURS: '24' } });
    c = await billingClinic(t.haven);
  });
  afterEach(() => t.stop());

  const chargesOf = async (clientId: string) =>
    (await t.haven.billing.accounts.view(billingActor(c.admin), clientId)).charges;

  it('an attended session makes one charge at the client’s sliding-scale price; a second "end", a reconnect and the sweep make no other', async () => {
    const id = await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    const [charge] = await until(
      () => chargesOf(c.clientA.id),
      (list) => list.length > 0,
    );
    assert.ok(charge);
    assert.equal(charge.serviceCode, '90834');
    assert.equal(charge.amountMinor, 6000); // Band B's price, not the standard 15000
    assert.equal(charge.programId, c.bandB.id);
    assert.equal(charge.dateOfService, '2026-03-03');
    assert.deepEqual(charge.modifiers, ['95']);
    assert.equal(charge.placeOfService, '02');
    // The room's "End for everyone" again (a reconnecting therapist), the event path and the sweep, at once.
    await Promise.all([
      t.haven.scheduling.completeFromRoom(id, actor(c.therapist)),
      t.haven.billing.charges.chargeAppointment(id),
      t.haven.billing.charges.chargeAppointment(id),
      t.haven.billing.charges.sweep(),
    ]);
    await rejects(t.haven.scheduling.booking.complete(actor(c.therapist), id), 'appointment.wrong_status');
    assert.equal((await chargesOf(c.clientA.id)).length, 1);
    const [row] = await t.haven.sequelize.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM billing_charges WHERE appointment_id = ?',
      { replacements: [id], type: QueryTypes.SELECT },
    );
    assert.equal(Number(row!.n), 1);
  });

  it('a cancelled or rescheduled appointment makes no charge; a late cancel and a no-show make the policy’s fees', async () => {
    const early = await bookSession(t.haven, c, c.clientB, '2026-03-10T15:00:00.000Z');
    await t.haven.scheduling.booking.cancel(actor(c.clientB), early); // a week ahead: not late
    const moved = await bookSession(t.haven, c, c.clientB, '2026-03-11T15:00:00.000Z');
    await t.haven.scheduling.booking.reschedule(actor(c.therapist), moved, {
      start: '2026-03-12T15:00:00.000Z',
    });
    const late = await bookSession(t.haven, c, c.clientB, '2026-03-03T14:00:00.000Z');
    clock.set('2026-03-03T12:00:00Z');
    await t.haven.scheduling.booking.cancel(actor(c.clientB), late); // 2 hours before: late
    const missed = await bookSession(t.haven, c, c.clientB, '2026-03-04T15:00:00.000Z');
    clock.set('2026-03-04T15:30:00Z');
    await t.haven.scheduling.booking.markNoShow(actor(c.therapist), missed);
    await t.haven.billing.charges.sweep();
    const charges = await until(
      () => chargesOf(c.clientB.id),
      (list) => list.length >= 2,
    );
    assert.deepEqual(charges.map((x) => [x.origin, x.serviceCode, x.amountMinor]).sort(), [
      ['late_cancel', 'LATE-CANCEL', 2550],
      ['no_show', 'NO-SHOW', 4000],
    ]);
  });

  it('invoices total their charges, mail only "a document is ready", and payments move the balance; overpaying is refused', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-05T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const therapist = billingActor(c.therapist);
    const invoice = await t.haven.billing.invoices.issue(therapist, c.clientA.id);
    assert.equal(invoice.totalMinor, 12000);
    await rejects(t.haven.billing.invoices.issue(therapist, c.clientA.id), 'billing.nothing_to_invoice');
    const mail = await t.haven.sequelize.query<{
      subject: string;
      text_body: string;
      html_body: string | null;
    }>(
      "SELECT subject, text_body, html_body FROM outbox_messages WHERE to_address = ? AND idempotency_key LIKE 'billing:%'",
      { replacements: [c.clientA.email], type: QueryTypes.SELECT },
    );
    assert.equal(mail.length, 1);
    const body = JSON.stringify(mail[0]);
    assert.match(body, new RegExp(`/billing/invoices/${invoice.id}`));
    for (const leak of [
      /\$/,
      /USD/,
      /120\.00/,
      /60\.00/,
      /90834/,
      /Individual therapy/i,
      /Band B/,
      /INV-/,
      /Theo/,
    ]) {
      assert.doesNotMatch(body, leak, `the email must not contain ${String(leak)}`);
    }

    const admin = billingActor(c.admin);
    await t.haven.billing.payments.record(admin, invoice.id, {
      kind: 'payment',
      method: 'cash',
      amount: '50.10',
      receivedOn: '2026-03-06',
    });
    let view = await t.haven.billing.accounts.view(admin, c.clientA.id);
    assert.equal(view.balance.balanceMinor, 6990);
    await rejects(
      t.haven.billing.payments.record(admin, invoice.id, {
        kind: 'payment',
        method: 'cash',
        amount: '69.91',
        receivedOn: '2026-03-06',
      }),
      'billing.payment_too_large',
    );
    await t.haven.billing.payments.record(admin, invoice.id, {
      kind: 'refund',
      method: 'cash',
      amount: '0.10',
      receivedOn: '2026-03-07',
      reason: 'Paid ten cents too much by mistake',
    });
    await t.haven.billing.payments.record(admin, invoice.id, {
      kind: 'write_off',
      amount: '70.00',
      receivedOn: '2026-03-07',
      reason: 'Hardship agreed with the client',
    });
    view = await t.haven.billing.accounts.view(admin, c.clientA.id);
    assert.equal(view.balance.balanceMinor, 0);
    // The reasons are sealed at rest.
    const raw = JSON.stringify(
      await t.haven.sequelize.query('SELECT * FROM billing_payments', { type: QueryTypes.SELECT }),
    );
    assert.doesNotMatch(raw, /Hardship|mistake/);
    // A therapist cannot record money; a peer supporter sees nothing.
    await rejects(
      t.haven.billing.payments.record(therapist, invoice.id, {
        kind: 'payment',
        method: 'cash',
        amount: '1',
        receivedOn: '2026-03-06',
      }),
      'billing.forbidden',
    );
    await rejects(t.haven.billing.accounts.view(billingActor(c.peer), c.clientA.id), 'billing.not_found');
  });

  it('20 invoices issued at once get 20 distinct numbers with no gap', async () => {
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
  });

  it('client B gets 404 for client A’s invoice page and PDF; peers 403; the treating therapist and A get it; every view is audited', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    const pages = [
      `/billing/invoices/${invoice.id}`,
      `/billing/invoices/${invoice.id}/pdf`,
      `/billing/clients/${c.clientA.id}`,
    ];
    const b = await signIn(t.haven, c.people.clientB);
    for (const url of pages) await b.agent.get(url).expect(404);
    const peer = await signIn(t.haven, c.people.peer);
    for (const url of pages) await peer.agent.get(url).expect(403);
    const stranger = await createPerson(t.haven, { roles: ['therapist'] });
    const s = await signIn(t.haven, stranger);
    for (const url of pages) await s.agent.get(url).expect(404);
    const a = await signIn(t.haven, c.people.clientA);
    const page = await a.agent.get(`/billing/invoices/${invoice.id}`).expect(200);
    assert.match(page.text, new RegExp(invoiceLabel(invoice.number)));
    assert.match(page.headers['cache-control'] ?? '', /no-store/);
    const pdf = await a.agent.get(`/billing/invoices/${invoice.id}/pdf`).buffer(true).expect(200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const mine = await a.agent.get('/billing').expect(200);
    assert.match(mine.text, /\$60\.00/);
    // Days in the reader's format, like every other page (the session was on 3 March 2026), and the
    // statement and superbill forms start on the account's whole period, ready to download.
    assert.match(mine.text, /<td>Tue, 3 Mar 2026<\/td>/);
    assert.doesNotMatch(mine.text, /<td>2026-03-03<\/td>/);
    for (const kind of ['statement', 'superbill']) {
      assert.match(
        mine.text,
        new RegExp(`id="${kind}-from" name="from" type="date" required value="2026-03-03"`),
      );
      assert.match(
        mine.text,
        new RegExp(`id="${kind}-to" name="to" type="date" required value="2026-03-03"`),
      );
    }
    const invoicePage = await a.agent.get(`/billing/invoices/${invoice.id}`).expect(200);
    assert.match(invoicePage.text, /<td>Tue, 3 Mar 2026<\/td>/);
    const actions = await auditActions(t.haven, { subjectId: c.clientA.id });
    for (const expected of ['billing.invoice.viewed', 'billing.invoice.exported', 'billing.account.viewed']) {
      assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
    }
  });

  it('invoice, statement and superbill PDFs carry the required fields and render a non-blank page 1; a superbill names what is missing', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const admin = billingActor(c.admin);
    const invoice = await t.haven.billing.invoices.issue(admin, c.clientA.id);
    await t.haven.billing.payments.record(admin, invoice.id, {
      kind: 'payment',
      method: 'card_elsewhere',
      amount: '20',
      receivedOn: '2026-03-04',
    });
    const doc = await t.haven.billing.documents.invoice(billingActor(c.clientA), invoice.id);
    const text = await pdfText(doc.pdf);
    for (const needle of [
      invoiceLabel(invoice.number),
      '90834',
      '$60.00',
      '$40.00',
      'Asha Client',
      '3 March 2026',
    ]) {
      assert.ok(text.includes(needle), `invoice PDF has ${needle}:\n${text}`);
    }
    assert.ok(inkOnFirstPage(doc.pdf, 'invoice-page1') > 0.005, 'invoice page 1 is not blank');

    const statement = await t.haven.billing.documents.statement(billingActor(c.clientA), c.clientA.id, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const st = await pdfText(statement.pdf);
    for (const needle of ['Statement', '1 March 2026', '31 March 2026', '$60.00', '$20.00', '$40.00']) {
      assert.ok(st.includes(needle), `statement PDF has ${needle}:\n${st}`);
    }
    assert.ok(inkOnFirstPage(statement.pdf, 'statement-page1') > 0.005, 'statement page 1 is not blank');

    const range = { from: '2026-03-01', to: '2026-03-31' };
    await assert.rejects(
      t.haven.billing.documents.superbill(billingActor(c.clientA), c.clientA.id, range),
      (e: unknown) => {
        // The refusal names its sentence as a phrase (the page words it); the list of what is
        // missing is already in the reader's words.
        if (!(e instanceof AppError) || e.phrase?.key !== 'billing:missing.sentence') return false;
        const list = String(e.phrase.values?.list ?? '');
        return /NPI for Theo Therapist/.test(list) && /date of birth/.test(list) && /clinic's NPI/.test(list);
      },
    );
  });
  it('the client’s record export carries their charges, invoices and payments as CSV (amounts as exact decimals), and no one else’s', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await attendedSession(t.haven, clock, c, c.clientB, '2026-03-04T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const admin = billingActor(c.admin);
    const invoice = await t.haven.billing.invoices.issue(admin, c.clientA.id);
    await t.haven.billing.payments.record(admin, invoice.id, {
      kind: 'payment',
      method: 'bank_transfer',
      amount: '0.30',
      receivedOn: '2026-03-05',
    });
    const data = await t.haven.dataRights.exports.collect(c.clientA.id);
    assert.equal(data.billing?.charges.length, 1);
    const files = buildCsvFiles(data);
    const charges = files['billing-charges.csv']!.toString('utf8');
    assert.match(charges, /2026-03-03,90834,.*,1,60\.00,60\.00,USD,02,95,,1/);
    assert.match(files['billing-invoices.csv']!.toString('utf8'), /,1,2026-03-\d\d,2026-04-\d\d,60\.00,USD/);
    assert.match(
      files['billing-payments.csv']!.toString('utf8'),
      /,1,payment,bank_transfer,0\.30,USD,2026-03-05,/,
    );
    assert.doesNotMatch(charges, /2026-03-04/, 'client B’s charge is not in A’s export');
  });
  it('a therapist’s override (with a reason, sealed and audited) sets the price; an adjustment before invoicing is audited, after it refused', async () => {
    const therapist = billingActor(c.therapist);
    const proBono = (await t.haven.billing.catalog.programs()).find((p) => p.name === 'Pro bono')!;
    await rejects(
      t.haven.billing.accounts.override(therapist, c.clientA.id, { programId: proBono.id }),
      'billing.override_invalid',
    );
    await t.haven.billing.accounts.override(therapist, c.clientA.id, {
      programId: proBono.id,
      reason: 'Lost her job in February',
    });
    await rejects(
      t.haven.billing.accounts.override(billingActor(c.clientA), c.clientA.id, { programId: '' }),
      'billing.forbidden',
    );
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const [charge] = await chargesOf(c.clientA.id);
    assert.equal(charge!.amountMinor, 0);
    assert.equal(charge!.programId, proBono.id);
    const raw = JSON.stringify(
      await t.haven.sequelize.query('SELECT * FROM billing_client_accounts', { type: QueryTypes.SELECT }),
    );
    assert.doesNotMatch(raw, /Lost her job/);

    await rejects(
      t.haven.billing.charges.adjust(therapist, charge!.id, {
        serviceId: c.session.id,
        units: '2',
        unitFee: '0.10',
        placeOfService: '10',
        modifiers: '95',
      }),
      'billing.charge_invalid',
    );
    const adjusted = await t.haven.billing.charges.adjust(therapist, charge!.id, {
      serviceId: c.session.id,
      units: '2',
      unitFee: '0.10',
      placeOfService: '10',
      modifiers: '95',
      reason: 'Two short sessions on the same day',
    });
    assert.equal(adjusted.amountMinor, 20);
    assert.equal(adjusted.placeOfService, '10');
    assert.equal(adjusted.adjusted, true);
    const invoice = await t.haven.billing.invoices.issue(therapist, c.clientA.id);
    assert.equal(invoice.totalMinor, 20);
    await rejects(
      t.haven.billing.charges.adjust(therapist, charge!.id, {
        serviceId: c.session.id,
        units: '1',
        unitFee: '1',
        placeOfService: '10',
        reason: 'Too late',
      }),
      'billing.charge_invoiced',
    );
    const actions = await auditActions(t.haven, { subjectId: c.clientA.id });
    for (const a of ['billing.program.overridden', 'billing.charge.adjusted', 'billing.invoice.issued']) {
      assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
    }
  });

  it('place of service comes from the client’s "at home?" answer and diagnoses from the care plan; a later diagnosis reaches even an invoiced charge from its page', async () => {
    const [a, b] = [c.clientA, c.clientB];
    await t.haven.carePlanning.diagnoses.add(c.therapist, a.id, {
      code: 'F32.1',
      rank: 'secondary',
      onsetOn: '2026-01-05',
    });
    await t.haven.carePlanning.diagnoses.add(c.therapist, a.id, {
      code: 'F41.1',
      rank: 'primary',
      onsetOn: '2026-02-01',
    });
    const home = await bookSession(t.haven, c, a, '2026-03-03T15:00:00.000Z');
    const away = await bookSession(t.haven, c, b, '2026-03-03T17:00:00.000Z');
    const unanswered = await bookSession(t.haven, c, b, '2026-03-03T19:00:00.000Z');
    clock.set('2026-03-03T14:55:00Z');
    const check = (client: typeof a, appointmentId: string, atHome?: string) =>
      t.haven.clinical.intake.recordSafetyCheck(
        { id: client.id, roles: client.roles, ip: null },
        { location: '12 Elm Street, Albany', callbackNumber: '+1 518 555 0100', appointmentId, atHome },
      );
    await check(a, home, 'yes');
    await check(b, away, 'no');
    await check(b, unanswered);
    await rejects(check(a, home, 'sometimes'), 'clinical.safety_check_invalid');
    clock.set('2026-03-03T20:00:00Z');
    for (const id of [home, away, unanswered]) {
      await t.haven.scheduling.booking.complete(actor(c.therapist), id);
    }
    await t.haven.billing.charges.sweep();

    const [chargeA] = await chargesOf(a.id);
    assert.equal(chargeA!.placeOfService, '10');
    assert.equal(chargeA!.placeConfirmed, true);
    assert.deepEqual(
      chargeA!.diagnoses.map((d) => d.code),
      ['F41.1', 'F32.1'],
      'primary first',
    );
    const chargesB = await chargesOf(b.id);
    const awayCharge = chargesB.find((ch) => ch.appointmentId === away)!;
    const unansweredCharge = chargesB.find((ch) => ch.appointmentId === unanswered)!;
    assert.equal(awayCharge.placeOfService, '02');
    assert.equal(awayCharge.placeConfirmed, true);
    assert.equal(unansweredCharge.placeOfService, '02');
    assert.equal(unansweredCharge.placeConfirmed, false, 'no answer: elsewhere until the therapist says');
    assert.deepEqual(awayCharge.diagnoses, [], 'B has no diagnosis yet');
    // Billing keeps the yes or no, never where the client was.
    const rows = JSON.stringify(
      await t.haven.sequelize.query('SELECT * FROM billing_charges', { type: QueryTypes.SELECT }),
    );
    assert.doesNotMatch(rows, /Elm Street|F41\.1/, 'diagnoses are sealed, locations never copied');

    // B is invoiced, then diagnosed: the therapist reads the diagnosis into the invoiced charge.
    await t.haven.billing.invoices.issue(billingActor(c.therapist), b.id);
    await t.haven.carePlanning.diagnoses.add(c.therapist, b.id, {
      code: 'F33.1',
      rank: 'primary',
      onsetOn: '2026-03-01',
    });
    await rejects(
      t.haven.billing.charges.refreshDiagnoses(billingActor(c.clientA), awayCharge.id),
      'billing.not_found',
    );
    await assert.rejects(
      t.haven.billing.charges.refreshDiagnoses(billingActor(c.admin), awayCharge.id),
      (e: unknown) => e instanceof AppError && e.code === 'clinical.forbidden',
      'admins do not read diagnoses',
    );
    const refreshed = await t.haven.billing.charges.refreshDiagnoses(
      billingActor(c.therapist),
      awayCharge.id,
    );
    assert.deepEqual(
      refreshed.diagnoses.map((d) => d.code),
      ['F33.1'],
    );
    assert.equal(refreshed.amountMinor, awayCharge.amountMinor);
    assert.ok(refreshed.invoiceId);

    await t.haven.billing.charges.refreshDiagnoses(billingActor(c.therapist), unansweredCharge.id);
    // With the rest in place, B's superbill is made: the PDF carries what an insurer asks for.
    const admin = billingActor(c.admin);
    const settings = await t.haven.billing.catalog.settings();
    await t.haven.billing.catalog.saveSettings(admin, {
      currency: settings.currency,
      invoicing: settings.invoicing,
      paymentTermsDays: String(settings.paymentTermsDays),
      telehealthModifier: 'on',
      clinicNpi: CLINIC_NPI,
      taxNumber: '12-3456789',
      address: '1 Quiet Street, Springfield',
    });
    await t.haven.billing.catalog.saveProvider(billingActor(c.therapist), {
      npi: THERAPIST_NPI,
      credentials: 'LCSW',
    });
    await t.haven.directory.saveOwnProfile(c.therapist, {
      licenceType: 'LCSW',
      licenceNumber: 'NY-04417',
      licenceJurisdiction: 'New York',
    });
    await t.haven.billing.accounts.saveDetails(billingActor(b), b.id, {
      legalName: 'Benjamin Client',
      dateOfBirth: '1985-11-30',
    });
    const superbill = await t.haven.billing.documents.superbill(billingActor(b), b.id, {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const text = await pdfText(superbill.pdf);
    for (const needle of [
      'Benjamin Client',
      '30 November 1985',
      'Theo Therapist',
      'LCSW',
      'NY-04417',
      THERAPIST_NPI,
      CLINIC_NPI,
      '12-3456789',
      '3 March 2026',
      '90834',
      '95',
      'F33.1',
      '02',
    ]) {
      assert.ok(text.includes(needle), `superbill PDF has ${needle}:\n${text}`);
    }
    assert.ok(inkOnFirstPage(superbill.pdf, 'superbill-page1') > 0.005, 'superbill page 1 is not blank');

    const actions = await auditActions(t.haven);
    for (const action of [
      'safety_check.read_for_billing',
      'diagnosis.read_for_date',
      'billing.charge.diagnoses_read',
    ]) {
      assert.ok(actions.includes(action), `${action} is audited`);
    }
  });

  it('the monthly run invoices last month’s charges once; on-demand clinics get none from it', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    clock.set('2026-04-01T12:00:00Z');
    assert.equal(await t.haven.billing.invoices.monthlyRun(), 0, 'the clinic invoices on demand');
    const settings = await t.haven.billing.catalog.settings();
    await t.haven.billing.catalog.saveSettings(billingActor(c.admin), {
      currency: settings.currency,
      invoicing: 'monthly',
      paymentTermsDays: '14',
      taxNumber: '12-3456789',
    });
    assert.equal(await t.haven.billing.invoices.monthlyRun(), 1);
    assert.equal(await t.haven.billing.invoices.monthlyRun(), 0, 'a second pass finds nothing waiting');
    const view = await t.haven.billing.accounts.view(billingActor(c.admin), c.clientA.id);
    assert.equal(view.invoices.length, 1);
    assert.equal(view.invoices[0]!.invoice.dueOn, '2026-04-15');
  });
});
