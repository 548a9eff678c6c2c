import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '../../../server/accounts';
import { invoiceLabel } from '../../../server/billing';
import { FakeClock } from '../../../server/shared/clock';
import { signIn, type SignedInSession } from '../../support/accounts';
import { deliverOutbox, SmtpSink } from '../../support/smtp-sink';
import { makeTempDir } from '../../support/temp-dir';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import {
  attendedSession,
  billingActor,
  billingClinic,
  inkOnFirstPage,
  pdfText,
  type BillingClinic,
} from './billing-fixtures';

/** The PDF a signed-in person downloads from a link on their page (a binary response, buffered). */
async function download(session: SignedInSession, url: string): Promise<Buffer> {
  const res = await session.agent
    .get(url)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200)
    .expect('content-type', 'application/pdf');
  return res.body as Buffer;
}

/** A word drawn on page 1 and where: Debian's pdftotext -bbox (poppler), in the order of the glyphs on paper. */
interface PlacedWord {
  /** Logical text: poppler gives an Arabic word's glyphs from left to right, so it is read back reversed. */
  readonly text: string;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
}

function placedWords(pdf: Buffer): PlacedWord[] {
  const temp = makeTempDir();
  try {
    const file = join(temp.dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const run = spawnSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
    return [
      ...run.stdout.matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g,
      ),
    ].map(([, xMin, yMin, xMax, text]) => ({
      text: /[\u0621-\u064a]/.test(text!) ? [...text!].reverse().join('') : text!,
      xMin: Number(xMin),
      yMin: Number(yMin),
      xMax: Number(xMax),
    }));
  } finally {
    temp.remove();
  }
}

/**
 * Issue 20, the office: a client's billing pages, invoice PDF and "a document is ready" email are in
 * the client's language, with money and days written through Intl in their locale (the currency
 * stays the clinic's). Arabic PDFs are right to left, shaped, with Arabic-Indic digits.
 */
describe('billing in the reader’s language: pages, PDFs and email (loopback SMTP)', function () {
  this.timeout(120_000);
  let sink: SmtpSink;
  let t: TestHaven;
  let clock: FakeClock;
  let c: BillingClinic;

  const setLanguage = async (user: User, language: string) =>
    t.haven.accounts.lifecycle.setLanguage((await t.haven.accounts.byId(user.id))!, language);
  // The invoice's email: the only one linking to /billing/ (booking the session sent others).
  const billingMailTo = (user: User) =>
    sink.receivedBy(user.email).find((m) => /\/billing\//.test(m.parsed.text ?? ''));
  const deliver = () => deliverOutbox(t.haven);

  beforeEach(async () => {
    sink = await SmtpSink.start();
    clock = new FakeClock('2026-03-02T12:00:00Z');
    t = await startTestHaven({
      clock,
      env: { SMTP_URL: sink.url, CLINIC_NAME: 'Harbour Clinic' },
    });
    c = await billingClinic(t.haven);
  });
  afterEach(async () => {
    await t.stop();
    await sink.stop();
  });

  it('a Spanish-reading client is told in Spanish that an invoice is ready, and reads the invoice page and its PDF in Spanish', async () => {
    await setLanguage(c.clientA, 'es');
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    await t.haven.billing.payments.record(billingActor(c.admin), invoice.id, {
      kind: 'payment',
      method: 'card_elsewhere',
      amount: '20',
      receivedOn: '2026-03-04',
    });
    await deliver();

    const mail = billingMailTo(c.clientA);
    assert.ok(mail, 'the client was emailed');
    assert.equal(mail.parsed.subject, 'Tiene un documento nuevo de Harbour Clinic');
    const text = mail.parsed.text ?? '';
    assert.match(text, /Tiene un documento de facturación nuevo\./);
    assert.match(
      text,
      new RegExp(`Inicie sesión para verlo: https?://\\S+/billing/invoices/${invoice.id}\n`),
    );
    assert.doesNotMatch(text, /document is ready|Sign in/, 'no English left');
    // The link's invoice id is a random UUID that may hold "60" by chance (it failed CI once), so
    // the leaks are looked for in the words around the link, not in the link itself.
    const words = `${mail.parsed.subject}\n${text}`.replace(/https?:\/\/\S+/g, '<link>');
    for (const leak of [/\b60\b/, /90834/, /therapy/i, new RegExp(invoiceLabel(invoice.number))]) {
      assert.doesNotMatch(words, leak, 'still no amount, service or number');
    }

    const session = await signIn(t.haven, c.people.clientA);
    const page = await session.agent.get(`/billing/invoices/${invoice.id}`).expect(200);
    assert.match(page.text, /<html lang="es" dir="ltr"/);
    assert.match(
      page.text,
      new RegExp(`<h1 id="invoice-heading">Factura ${invoiceLabel(invoice.number)}</h1>`),
    );
    assert.match(page.text, /Emitida el .* · vence el /);
    assert.match(page.text, /Descargar el PDF/);
    assert.match(page.text, /60,00\s*US\$/, 'money in the Spanish way, in the clinic’s currency');
    assert.match(page.text, /Tarjeta \(cobrada fuera de Haven\)/, 'the payment method in Spanish');
    assert.doesNotMatch(page.text, /Still due|Download PDF|Invoice lines/);

    const account = await session.agent.get('/billing').expect(200);
    assert.match(account.text, /Estados de cuenta y superbills/);
    assert.match(account.text, /Descargar el estado de cuenta/);

    const pdf = await pdfText(await download(session, `/billing/invoices/${invoice.id}/pdf`));
    for (const needle of [
      `Factura ${invoiceLabel(invoice.number)}`,
      'Facturar a',
      'Fecha límite de pago',
      'Fecha del servicio',
      'Importe pendiente',
      '3 de marzo de 2026',
      '60,00 US$',
      '40,00 US$',
      'Importes en USD',
      'Asha Client',
    ]) {
      assert.ok(pdf.toLowerCase().includes(needle.toLowerCase()), `the Spanish PDF has "${needle}":\n${pdf}`);
    }
    assert.doesNotMatch(pdf, /Amount due|Bill to|Date of service|Amounts in/, `no English:\n${pdf}`);

    const statement = await pdfText(
      await download(session, `/billing/clients/${c.clientA.id}/statement?from=2026-03-01&to=2026-03-31`),
    );
    for (const needle of [
      'Estado de cuenta',
      'del 1 de marzo de 2026 al 31 de marzo de 2026',
      'Saldo final',
    ]) {
      assert.ok(statement.includes(needle), `the Spanish statement has "${needle}":\n${statement}`);
    }

    // A superbill that cannot be made yet says what is missing, in Spanish, joined the Spanish way.
    const refused = await session.agent
      .get(`/billing/clients/${c.clientA.id}/superbill?from=2026-03-01&to=2026-03-31`)
      .expect(400);
    assert.match(refused.text, /No se pudo generar el superbill/);
    assert.match(refused.text, /Todavía no se puede generar el superbill\. Falta: /);
    assert.match(refused.text, /la fecha de nacimiento del cliente/);
    assert.match(refused.text, /un NPI para Theo Therapist \(su perfil de facturación\)/);
    assert.doesNotMatch(refused.text, /cannot be made|date of birth/);
  });

  it('an Arabic-reading client gets the email in Arabic and an invoice PDF right to left, shaped, with Arabic-Indic digits', async () => {
    await setLanguage(c.clientA, 'ar');
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    await deliver();
    const mail = billingMailTo(c.clientA);
    assert.equal(mail?.parsed.subject, 'مستند جديد جاهز من Harbour Clinic');
    assert.match(mail.parsed.text ?? '', /سجّل الدخول للاطلاع عليه: https?:\/\/\S+\/billing\/invoices\//);

    const session = await signIn(t.haven, c.people.clientA);
    const page = await session.agent.get(`/billing/invoices/${invoice.id}`).expect(200);
    assert.match(page.text, /<html lang="ar" dir="rtl"/);
    assert.match(page.text, /تنزيل ملف PDF/);
    assert.match(page.text, /٦٠٫٠٠/, 'Arabic-Indic digits on the page');

    const bytes = await download(session, `/billing/invoices/${invoice.id}/pdf`);
    const pdf = await pdfText(bytes);
    // pdf.js reads each drawn word back in logical order; the words are the Arabic ones, the
    // amounts and days in Arabic-Indic digits.
    for (const needle of ['الفاتورة', 'المستحق', 'تاريخ', 'الخدمة', '٢٠٢٦', 'مارس']) {
      assert.ok(pdf.includes(needle), `the Arabic PDF has "${needle}":\n${pdf}`);
    }
    assert.doesNotMatch(pdf, /Amount due|Bill to|Invoice number/, `no English labels:\n${pdf}`);

    // Right to left on paper: the title starts at the right margin with the number to its left; a
    // day reads "٣ مارس ٢٠٢٦" from the right; the amount due sits to the left of its label and its
    // Arabic-Indic digits are not reversed (fontkit alone would print ٠٠٫٠٦).
    const words = placedWords(bytes);
    const word = (text: string, after = -1) => {
      const found = words.find((w) => w.text === text && w.yMin > after);
      assert.ok(found, `"${text}" is on page 1: ${words.map((w) => w.text).join(' ')}`);
      return found;
    };
    const sameLine = (a: PlacedWord, b: PlacedWord) =>
      assert.ok(Math.abs(a.yMin - b.yMin) < 2, `${a.text} / ${b.text} share a line`);
    const title = word('الفاتورة');
    const number = words.find(
      (w) => w.text === invoiceLabel(invoice.number) && Math.abs(w.yMin - title.yMin) < 2,
    );
    assert.ok(title.xMax > 612 - 50 - 2, 'the title ends at the right margin');
    assert.ok(number && number.xMax < title.xMin, 'the invoice number is left of "الفاتورة"');
    const three = word('٣');
    const march = word('مارس');
    const year = word('٢٠٢٦');
    sameLine(three, march);
    sameLine(march, year);
    assert.ok(three.xMin > march.xMax && march.xMin > year.xMax, '٣ مارس ٢٠٢٦ reads from the right');
    const dueLabel = word('المستحق');
    const due = words.find((w) => w.text === '٦٠٫٠٠' && Math.abs(w.yMin - dueLabel.yMin) < 2);
    assert.ok(due, `the amount due ٦٠٫٠٠ is on the line of its label: ${words.map((w) => w.text).join(' ')}`);
    assert.ok(due.xMax < dueLabel.xMin, 'the amount is to the left of its label');
    assert.ok(inkOnFirstPage(bytes, 'invoice-ar-page1') > 0.005, 'the Arabic invoice’s page 1 is not blank');
  });

  it('refuses a payment form in the admin’s language, the limit as money their way; a client’s bad dates in Spanish', async () => {
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    const admin = await signIn(t.haven, c.people.admin);
    const pay = async (amount: string) =>
      admin.agent
        .post(`/billing/invoices/${invoice.id}/payments`)
        .type('form')
        .send({
          _csrf: await admin.csrf(),
          kind: 'payment',
          method: 'cash',
          amount,
          receivedOn: '2026-03-04',
        })
        .expect(400);

    const english = await pay('80');
    assert.match(
      english.text,
      /A payment cannot be more than this invoice still asks for \(US\$60\.00\)\./,
      'the page’s money',
    );

    await setLanguage(c.admin, 'ar');
    const arabic = await pay('80');
    assert.match(arabic.text, /<html lang="ar" dir="rtl"/);
    assert.match(
      arabic.text,
      /لا يمكن أن تتجاوز الدفعة ما تبقّى مستحقًا على هذه الفاتورة \(\u200f?٦٠٫٠٠\s*US\$\)/,
    );
    const unreadable = await pay('ten');
    assert.match(unreadable.text, /اكتب مبلغًا مثل 50\.00\./);
    assert.doesNotMatch(`${arabic.text}${unreadable.text}`, /cannot be more|such as/, 'no English left');
    assert.equal((await t.haven.billing.invoices.view(billingActor(c.admin), invoice.id)).payments.length, 0);

    await setLanguage(c.clientA, 'es');
    const client = await signIn(t.haven, c.people.clientA);
    const refused = await client.agent
      .get(`/billing/clients/${c.clientA.id}/statement?from=2026-03-31&to=2026-03-01`)
      .expect(400);
    assert.match(refused.text, /La fecha final es anterior a la fecha inicial\./);
    assert.doesNotMatch(refused.text, /end date is before/);
  });

  it('the same invoice reads in each person’s own language: the admin’s English PDF next to the client’s Spanish one', async () => {
    await setLanguage(c.clientA, 'es');
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    const english = await pdfText(
      (await t.haven.billing.documents.invoice(billingActor(c.admin), invoice.id)).pdf,
    );
    assert.match(english, /Amount due/);
    assert.match(english, /\$60\.00/);
    assert.doesNotMatch(english, /Importe pendiente/);
  });

  it('a provider’s refund stores no English note: a Spanish client reads it from its kind, method and provider', async () => {
    await setLanguage(c.clientA, 'es');
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    const invoice = await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    const reported = { invoiceId: invoice.id, currency: invoice.currency, on: '2026-03-05' };
    const { payments } = t.haven.billing;
    await payments.recordFromProvider('Example Pay', {
      ...reported,
      kind: 'payment',
      providerRef: 'ep-1',
      amountMinor: 6000,
    });
    const refund = await payments.recordFromProvider('Example Pay', {
      ...reported,
      kind: 'refund',
      providerRef: 'ep-2',
      amountMinor: 2500,
    });
    assert.deepEqual(
      { kind: refund?.kind, method: refund?.method, reference: refund?.reference, reason: refund?.reason },
      { kind: 'refund', method: 'online', reference: 'Example Pay', reason: null },
    );
    const session = await signIn(t.haven, c.people.clientA);
    const page = await session.agent.get(`/billing/invoices/${invoice.id}`).expect(200);
    assert.match(page.text, /<td>Reembolso<\/td><td>Pago con tarjeta en línea<\/td><td>Example Pay<\/td>/);
    assert.doesNotMatch(page.text, /Refunded through|Refund<|Online card/);
  });
});
