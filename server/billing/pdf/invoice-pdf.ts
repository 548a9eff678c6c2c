import type { BillingPerson } from '../billing.types';
import { longDay } from '../days';
import { invoiceLabel, type InvoiceView } from '../invoices.service';
import { formatMoney } from '../money';
import { PdfPage, type PdfBrand } from './pdf-layout';

/** An invoice: who it is for, its number and dates, each charge, and what is paid and due. */
export function invoicePdf(
  brand: PdfBrand,
  client: BillingPerson,
  view: InvoiceView,
  legalName: string | null,
): Promise<Buffer> {
  const { invoice, charges, standing } = view;
  const money = (m: number) => formatMoney(m, invoice.currency);
  const page = new PdfPage(brand, `Invoice ${invoiceLabel(invoice.number)}`);
  page.fields([
    ['Bill to', legalName ?? client.displayName],
    ['Invoice number', invoiceLabel(invoice.number)],
    ['Date', longDay(invoice.issuedOn)],
    ['Payment due by', longDay(invoice.dueOn)],
  ]);
  page.heading('Charges');
  page.table(
    [
      { heading: 'Date of service', width: 90 },
      { heading: 'Service', width: 210 },
      { heading: 'Units', width: 40, align: 'right' },
      { heading: 'Fee', width: 80, align: 'right' },
      { heading: 'Amount', width: 80, align: 'right' },
    ],
    [...charges]
      .sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : 1))
      .map((c) => [
        longDay(c.dateOfService),
        `${c.serviceCode} ${c.serviceDescription}`,
        String(c.units),
        money(c.unitFeeMinor),
        money(c.amountMinor),
      ]),
  );
  page.totals([
    ['Total', money(standing.totalMinor)],
    ['Paid', money(standing.paidMinor - standing.refundedMinor)],
    ...(standing.writtenOffMinor ? ([['Written off', money(standing.writtenOffMinor)]] as const) : []),
    ['Amount due', money(standing.dueMinor)],
  ]);
  return page.finish(
    `${brand.clinicName} · ${invoiceLabel(invoice.number)} · Amounts in ${invoice.currency}`,
  );
}
