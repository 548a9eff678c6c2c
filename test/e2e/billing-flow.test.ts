import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createScheduling, createSchedulingCore, peopleFromAccounts } from '../../server/scheduling';
import { FakeClock } from '../../server/shared/clock';
import { createLogger } from '../../server/shared/logger';
import { launchChromium } from '../support/browser';
import { watchForProblems } from '../support/browser-steps';
import { horizontalOverflow } from '../support/page-checks';
import { signInCookie } from '../support/live-session';
import { startTestHaven, type TestHaven } from '../support/test-haven';
import {
  billingActor,
  billingClinic,
  CLINIC_NPI,
  inkOnFirstPage,
  pdfText,
  THERAPIST_NPI,
  type BillingClinic,
} from '../integration/billing/billing-fixtures';
import { actor } from '../integration/scheduling/scheduling-fixtures';
import type { TestPerson } from '../support/accounts';
import { mailWordsOf } from '../../server/i18n';

const SCREENS = process.env.BILLING_SCREENS_DIR;

/**
 * In Chromium: an attended session → a charge at the client's sliding-scale price → the therapist
 * issues the invoice → the client (on a phone) sees it and downloads the PDF → the admin records a
 * partial payment → the client's balance updates; a superbill is refused naming the missing NPI
 * until the therapist adds one, and downloads once the clinic's NPI, the client's date of birth, the
 * therapist's licence and a diagnosis (read into the charge) are there.
 */
describe('billing in Chromium: from an attended session to a paid-in-part invoice', function () {
  this.timeout(300_000);
  let t: TestHaven;
  let server: Server;
  let browser: Browser;
  let base: string;
  let c: BillingClinic;
  let appointmentId: string;

  before(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestHaven({ env: { PUBLIC_URL: base } });
    server.on('request', t.haven.http);
    c = await billingClinic(t.haven);
    // Yesterday's session: booked through a scheduling built on a clock two days back (bookings in
    // the past are refused), then ended the way the room's "End for everyone" ends it.
    const pastClock = new FakeClock(new Date(Date.now() - 2 * 86_400_000));
    const past = createScheduling(
      createSchedulingCore({ sequelize: t.haven.sequelize, audit: t.haven.audit, clock: pastClock }),
      {
        sequelize: t.haven.sequelize,
        audit: t.haven.audit,
        outbox: t.haven.mail.outbox,
        cipher: t.haven.cipher,
        clock: pastClock,
        logger: createLogger('silent'),
        people: peopleFromAccounts(t.haven.accounts),
        settings: t.haven.config.scheduling,
        publicUrl: t.haven.config.http.publicUrl,
        clinicName: t.haven.config.clinic.name,
        words: mailWordsOf(t.haven.translator),
      },
    );
    const start = new Date(Date.now() - 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    appointmentId = (
      await past.booking.bookForClient(actor(c.therapist), {
        typeId: c.typeId,
        clientIds: [c.clientA.id],
        start: start.toISOString(),
      })
    ).id;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.stop();
  });

  async function as(
    person: TestPerson,
    width: number,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const cookie = await signInCookie({ baseUrl: base, haven: t.haven }, person);
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: base }]);
    const page = await context.newPage();
    return { context, page, problems: watchForProblems(page) };
  }

  const shot = async (page: Page, name: string) => {
    if (SCREENS) await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
  };

  it('charges, invoices, lets the client download it, takes a partial payment, refuses a superbill without an NPI, then makes it', async () => {
    await t.haven.scheduling.completeFromRoom(appointmentId, actor(c.therapist));
    await t.haven.scheduling.completeFromRoom(appointmentId, actor(c.therapist)); // a second "end"

    // The therapist finds the client's account from the header and issues the invoice.
    const therapist = await as(c.people.therapist, 1280);
    await therapist.page.goto(`${base}/`);
    await therapist.page.getByRole('link', { name: 'Billing' }).first().click();
    await therapist.page.getByRole('link', { name: 'Asha Client' }).click();
    const charges = therapist.page.getByRole('region', { name: 'Charges' });
    await charges.getByText('90834').waitFor();
    assert.equal(await charges.locator('tbody tr').count(), 1, 'one charge for one session ended twice');
    assert.match((await charges.locator('tbody tr').textContent()) ?? '', /\$60\.00/);
    await shot(therapist.page, 'e2e-therapist-account@1280');
    await therapist.page.getByRole('button', { name: 'Issue an invoice for the uninvoiced charges' }).click();
    await therapist.page.getByRole('heading', { name: /Invoice INV-\d{6}/ }).waitFor();
    const invoiceUrl = therapist.page.url();
    assert.deepEqual(therapist.problems, []);

    // The client, on a phone, sees the invoice and downloads the PDF.
    const client = await as(c.people.clientA, 390);
    await client.page.goto(`${base}/`);
    await client.page.getByText('Menu').click();
    await client.page.getByRole('link', { name: 'Billing' }).last().click();
    await client.page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    assert.match((await client.page.getByTestId('due').textContent()) ?? '', /\$60\.00/);
    await shot(client.page, 'e2e-client-billing@390');
    const [download] = await Promise.all([
      client.page.waitForEvent('download'),
      client.page
        .getByRole('link', { name: /Download/ })
        .first()
        .click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    const text = await pdfText(pdf);
    assert.match(text, /Asha Client/);
    assert.match(text, /\$60\.00/);
    const fit = await horizontalOverflow(client.page);
    assert.ok(fit.scrollWidth <= fit.innerWidth, `the billing page sticks out: ${fit.culprits.join('; ')}`);

    // The admin records a partial payment on the invoice.
    const admin = await as(c.people.admin, 1280);
    await admin.page.goto(invoiceUrl);
    await admin.page.getByLabel('What').selectOption('payment');
    await admin.page.getByLabel('How the money moved').selectOption('cash');
    await admin.page.getByLabel(/^Amount/).fill('20');
    await admin.page.getByLabel('Date', { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await admin.page.getByRole('button', { name: 'Record' }).click();
    await admin.page.getByText('Recorded.').waitFor();
    assert.match((await admin.page.getByTestId('invoice-due').textContent()) ?? '', /\$40\.00/);
    await shot(admin.page, 'e2e-admin-invoice@1280');
    assert.deepEqual(admin.problems, []);

    // The client's balance follows.
    await client.page.reload();
    assert.match((await client.page.getByTestId('balance').textContent()) ?? '', /\$40\.00/);

    // A superbill without the therapist's NPI is refused, naming it.
    const today = new Date().toISOString().slice(0, 10);
    await client.page.getByLabel('From').last().fill('2020-01-01');
    await client.page.getByLabel('To').last().fill(today);
    await client.page.getByRole('button', { name: 'Download the superbill' }).click();
    await client.page.getByRole('heading', { name: 'Superbill not made' }).waitFor();
    assert.match((await client.page.getByRole('alert').textContent()) ?? '', /an NPI for Theo Therapist/);
    await shot(client.page, 'e2e-superbill-refused@390');
    // The refusal is a 400 page, which Chromium notes in the console; nothing else may appear.
    assert.deepEqual(
      client.problems.filter((p) => !/status of 400/.test(p)),
      [],
    );

    // The therapist adds an NPI (a mistyped one is refused first); the NPI is no longer missing.
    await therapist.page.goto(`${base}/billing`);
    await therapist.page.getByRole('link', { name: /Your billing profile/ }).click();
    await therapist.page.getByLabel('NPI (10 digits)').fill('1234567890');
    await therapist.page.getByLabel('Credentials').fill('LCSW');
    await therapist.page.getByRole('button', { name: 'Save' }).click();
    await therapist.page.getByText(/fails its check digit/).waitFor();
    await therapist.page.getByLabel('NPI (10 digits)').fill(THERAPIST_NPI);
    await therapist.page.getByRole('button', { name: 'Save' }).click();
    await therapist.page.getByText('Billing profile saved.').waitFor();
    await assert.rejects(
      t.haven.billing.documents.superbill(billingActor(c.clientA), c.clientA.id, {
        from: '2020-01-01',
        to: today,
      }),
      (e: unknown) => e instanceof Error && !/NPI for Theo/.test(e.message),
    );

    // The rest a superbill needs. The admin enters the clinic's NPI; the client their date of birth.
    await admin.page.goto(`${base}/admin/billing`);
    await admin.page.getByLabel('Clinic NPI (type 2)').fill(CLINIC_NPI);
    await admin.page.getByRole('button', { name: 'Save settings' }).click();
    await admin.page.getByText('Billing settings saved.').waitFor();
    await client.page.goto(`${base}/billing`);
    await client.page.getByLabel('Legal name').fill('Asha Client');
    await client.page.getByLabel('Date of birth').fill('1990-04-12');
    await client.page.getByRole('button', { name: 'Save details' }).click();
    await client.page.getByText('Billing details saved.').waitFor();
    // The therapist's licence (their practice profile) and a diagnosis recorded after the session
    // (care planning, issue 18), which the therapist reads into the charge from its page.
    await t.haven.directory.saveOwnProfile(c.therapist, {
      licenceType: 'LCSW',
      licenceNumber: 'NY-04417',
      licenceJurisdiction: 'New York',
    });
    await t.haven.carePlanning.diagnoses.add(c.therapist, c.clientA.id, {
      code: 'F41.1',
      rank: 'primary',
      onsetOn: '2020-01-01',
    });
    await therapist.page.goto(`${base}/billing/clients/${c.clientA.id}`);
    await therapist.page.getByRole('link', { name: /Details the charge of/ }).click();
    await therapist.page.getByText('Diagnoses: none yet').waitFor();
    await therapist.page.getByRole('button', { name: /Read the diagnoses in force/ }).click();
    await therapist.page.getByText('Diagnoses on this charge: F41.1.').waitFor();
    await shot(therapist.page, 'e2e-charge-diagnoses@1280');
    // The mistyped NPI above was a 400 page, which Chromium notes; nothing else may appear.
    assert.deepEqual(
      therapist.problems.filter((p) => !/status of 400/.test(p)),
      [],
    );

    // Now the client's superbill downloads, with every field an insurer asks for.
    await client.page.reload();
    await client.page.getByLabel('From').last().fill('2020-01-01');
    await client.page.getByLabel('To').last().fill(today);
    const [superbill] = await Promise.all([
      client.page.waitForEvent('download'),
      client.page.getByRole('button', { name: 'Download the superbill' }).click(),
    ]);
    const superbillPdf = readFileSync((await superbill.path())!);
    const sb = await pdfText(superbillPdf);
    for (const needle of [
      'Asha Client',
      // Documents are written in the reader's locale: this browser's (Chromium's default, en-US).
      'April 12, 1990',
      'Theo Therapist',
      'LCSW',
      'NY-04417',
      THERAPIST_NPI,
      CLINIC_NPI,
      '12-3456789',
      '90834',
      '95',
      'F41.1',
      '$60.00',
      '$20.00',
    ]) {
      assert.ok(sb.includes(needle), `the superbill has ${needle}:\n${sb}`);
    }
    assert.ok(inkOnFirstPage(superbillPdf, 'e2e-superbill-page1') > 0.005, 'superbill page 1 is not blank');
    await Promise.all([therapist.context.close(), client.context.close(), admin.context.close()]);
  });
});
