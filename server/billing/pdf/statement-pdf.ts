import type { BillingPerson } from '../billing.types';
import { KIND_LABELS, METHOD_LABELS } from '../billing.types';
import { longDay } from '../days';
import { invoiceLabel } from '../invoices.service';
import type { Statement } from '../ledger';
import { formatMoney } from '../money';
import { PdfPage, type PdfBrand } from './pdf-layout';

/** A statement: the opening balance, every invoice and payment in the range, the closing balance. */
export function statementPdf(
  brand: PdfBrand,
  client: BillingPerson,
  legalName: string | null,
  statement: Statement,
  currency: string,
  issuedOn: string,
): Promise<Buffer> {
  const money = (m: number) => formatMoney(m, currency);
  const page = new PdfPage(brand, 'Statement');
  page.fields([
    ['Statement for', legalName ?? client.displayName],
    ['Date', longDay(issuedOn)],
    ['Period', `${longDay(statement.from)} to ${longDay(statement.to)}`],
    ['Opening balance', money(statement.openingMinor)],
  ]);
  page.heading('Activity');
  page.table(
    [
      { heading: 'Date', width: 90 },
      { heading: 'Description', width: 260 },
      { heading: 'Amount', width: 90, align: 'right' },
      { heading: 'Balance effect', width: 90, align: 'right' },
    ],
    statement.lines.map((l) => [
      longDay(l.on),
      l.kind === 'invoice'
        ? `Invoice ${invoiceLabel(l.invoiceNumber)}`
        : `${KIND_LABELS[l.kind]}${l.method ? ` (${METHOD_LABELS[l.method]})` : ''} on ${invoiceLabel(l.invoiceNumber)}`,
      money(l.amountMinor),
      (l.effectMinor > 0 ? '+' : '') + money(l.effectMinor),
    ]),
  );
  page.totals([
    ['Opening balance', money(statement.openingMinor)],
    ['Closing balance', money(statement.closingMinor)],
  ]);
  return page.finish(
    `${brand.clinicName} · Statement ${statement.from} to ${statement.to} · Amounts in ${currency}`,
  );
}
