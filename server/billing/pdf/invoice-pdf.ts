import type { BillingPerson } from '../billing.types';
import { invoiceLabel, type InvoiceView } from '../invoices.service';
import { dayFor, moneyFor, pageOptions, type DocumentWords } from './document-words';
import { PdfPage, type PdfBrand } from './pdf-layout';

/** An invoice: who it is for, its number and dates, each charge, and what is paid and due. */
export function invoicePdf(
  brand: PdfBrand,
  client: BillingPerson,
  view: InvoiceView,
  legalName: string | null,
  words: DocumentWords,
): Promise<Buffer> {
  const { invoice, charges, standing } = view;
  const { t } = words;
  const money = moneyFor(words, invoice.currency);
  const day = dayFor(words);
  const number = new Intl.NumberFormat(words.reader.locale);
  const label = invoiceLabel(invoice.number);
  const page = new PdfPage(brand, t('billing:pdf.invoiceTitle', { label }), pageOptions(words));
  page.fields([
    [t('billing:pdf.billTo'), legalName ?? client.displayName],
    [t('billing:pdf.invoiceNumber'), label],
    [t('billing:pdf.date'), day(invoice.issuedOn)],
    [t('billing:pdf.dueBy'), day(invoice.dueOn)],
  ]);
  page.heading(t('billing:pdf.charges'));
  page.table(
    [
      { heading: t('billing:pdf.dateOfService'), width: 90 },
      { heading: t('billing:pdf.service'), width: 200 },
      { heading: t('billing:pdf.units'), width: 50, align: 'end' },
      { heading: t('billing:pdf.fee'), width: 80, align: 'end' },
      { heading: t('billing:pdf.amount'), width: 80, align: 'end' },
    ],
    [...charges]
      .sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : 1))
      .map((c) => [
        day(c.dateOfService),
        // The service's code and the clinic's own description of it, as the clinic wrote it.
        `${c.serviceCode} ${c.serviceDescription}`,
        number.format(c.units),
        money(c.unitFeeMinor),
        money(c.amountMinor),
      ]),
  );
  page.totals([
    [t('billing:pdf.total'), money(standing.totalMinor)],
    [t('billing:pdf.paid'), money(standing.paidMinor - standing.refundedMinor)],
    ...(standing.writtenOffMinor
      ? ([[t('billing:pdf.writtenOff'), money(standing.writtenOffMinor)]] as const)
      : []),
    [t('billing:pdf.amountDue'), money(standing.dueMinor)],
  ]);
  return page.finish(
    `${brand.clinicName} · ${label} · ${t('billing:pdf.amountsIn', { currency: invoice.currency })}`,
  );
}
