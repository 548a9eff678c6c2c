import type { BillingPerson } from '../billing.types';
import { invoiceLabel } from '../invoices.service';
import type { Statement } from '../ledger';
import { dayFor, moneyFor, pageOptions, type DocumentWords } from './document-words';
import { PdfPage, type PdfBrand } from './pdf-layout';

/** A statement: the opening balance, every invoice and payment in the range, the closing balance. */
export function statementPdf(
  brand: PdfBrand,
  client: BillingPerson,
  legalName: string | null,
  statement: Statement,
  currency: string,
  issuedOn: string,
  words: DocumentWords,
): Promise<Buffer> {
  const { t } = words;
  const money = moneyFor(words, currency);
  const day = dayFor(words);
  const period = t('billing:pdf.periodRange', { from: day(statement.from), to: day(statement.to) });
  const page = new PdfPage(brand, t('billing:pdf.statementTitle'), pageOptions(words));
  page.fields([
    [t('billing:pdf.statementFor'), legalName ?? client.displayName],
    [t('billing:pdf.date'), day(issuedOn)],
    [t('billing:pdf.period'), period],
    [t('billing:pdf.openingBalance'), money(statement.openingMinor)],
  ]);
  page.heading(t('billing:pdf.activity'));
  page.table(
    [
      { heading: t('billing:pdf.date'), width: 90 },
      { heading: t('billing:pdf.description'), width: 260 },
      { heading: t('billing:pdf.amount'), width: 90, align: 'end' },
      { heading: t('billing:pdf.balanceEffect'), width: 90, align: 'end' },
    ],
    statement.lines.map((l) => {
      const invoice = invoiceLabel(l.invoiceNumber);
      const kind = t(`billing:kind.${l.kind}`);
      return [
        day(l.on),
        l.kind === 'invoice'
          ? t('billing:invoiceLabel', { label: invoice })
          : l.method
            ? t('billing:pdf.paymentByOn', { kind, method: t(`billing:method.${l.method}`), invoice })
            : t('billing:pdf.paymentOn', { kind, invoice }),
        money(l.amountMinor),
        (l.effectMinor > 0 ? '+' : '') + money(l.effectMinor),
      ];
    }),
  );
  page.totals([
    [t('billing:pdf.openingBalance'), money(statement.openingMinor)],
    [t('billing:pdf.closingBalance'), money(statement.closingMinor)],
  ]);
  return page.finish(
    `${brand.clinicName} · ${t('billing:pdf.statementFooter', { from: day(statement.from), to: day(statement.to) })} · ${t('billing:pdf.amountsIn', { currency })}`,
  );
}
