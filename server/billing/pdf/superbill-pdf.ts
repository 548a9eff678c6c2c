import type { Charge, ClientDetails } from '../billing.types';
import { sum } from '../money';
import { dayFor, moneyFor, pageOptions, type DocumentWords } from './document-words';
import { PdfPage, type PdfBrand } from './pdf-layout';

/** A provider as the superbill names them. */
export interface SuperbillProvider {
  readonly id: string;
  readonly name: string;
  readonly credentials: string;
  readonly licence: string;
  readonly npi: string;
}

/** Everything a superbill prints; the service checked that nothing required is missing. */
export interface SuperbillData {
  readonly client: ClientDetails;
  readonly from: string;
  readonly to: string;
  readonly issuedOn: string;
  readonly currency: string;
  readonly clinicNpi: string;
  readonly taxId: string;
  readonly providers: readonly SuperbillProvider[];
  readonly charges: readonly Charge[];
  /** charge id → amount paid towards it. */
  readonly paid: ReadonlyMap<string, number>;
}

const LETTERS = 'ABCDEFGHIJKL';

/**
 * A superbill (an itemised receipt a client sends their insurer): client, providers with NPI and
 * licence, the clinic's NPI and tax id, and per session the date, place of service, CPT code,
 * modifiers, diagnosis pointers (ICD-10-CM, lettered as on a claim form), units, fee and amount paid.
 * The words are the reader's; the codes, the services table's dates (YYYY-MM-DD, as on a claim) and
 * the diagnoses' descriptions (as the clinic recorded them) are the same in every language.
 */
export function superbillPdf(brand: PdfBrand, data: SuperbillData, words: DocumentWords): Promise<Buffer> {
  const { t } = words;
  const money = moneyFor(words, data.currency);
  const day = dayFor(words);
  const number = new Intl.NumberFormat(words.reader.locale);
  const page = new PdfPage(brand, t('billing:pdf.superbillTitle'), pageOptions(words));
  page.fields([
    [t('billing:pdf.client'), data.client.legalName],
    [t('billing:account.dateOfBirth'), day(data.client.dateOfBirth)],
    [t('billing:pdf.clientAddress'), data.client.address],
    [t('billing:pdf.period'), t('billing:pdf.periodRange', { from: day(data.from), to: day(data.to) })],
    [t('billing:pdf.clinicNpi'), data.clinicNpi],
    [t('billing:pdf.taxId'), data.taxId],
  ]);
  page.heading(t('billing:pdf.providers'));
  page.table(
    [
      { heading: t('billing:pdf.provider'), width: 150 },
      { heading: t('billing:pdf.credentials'), width: 90 },
      { heading: t('billing:pdf.licence'), width: 170 },
      { heading: t('billing:pdf.npi'), width: 90 },
    ],
    data.providers.map((p) => [p.name, p.credentials, p.licence, p.npi]),
  );
  const codes: string[] = [];
  for (const c of data.charges) for (const d of c.diagnoses) if (!codes.includes(d.code)) codes.push(d.code);
  const described = new Map(
    data.charges.flatMap((c) => c.diagnoses.map((d) => [d.code, d.description] as const)),
  );
  page.heading(t('billing:pdf.diagnoses'));
  page.table(
    [
      { heading: t('billing:pdf.pointer'), width: 60 },
      { heading: t('billing:pdf.code'), width: 80 },
      { heading: t('billing:pdf.description'), width: 360 },
    ],
    codes.slice(0, LETTERS.length).map((code, i) => [LETTERS[i]!, code, described.get(code) ?? '']),
  );
  const npiOf = new Map(data.providers.map((p) => [p.id, p.npi]));
  const lines = [...data.charges].sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : 1));
  page.heading(t('billing:pdf.services'));
  page.table(
    [
      { heading: t('billing:pdf.date'), width: 70 },
      { heading: t('billing:pdf.pos'), width: 35 },
      { heading: t('billing:pdf.cpt'), width: 45 },
      { heading: t('billing:pdf.modifiersShort'), width: 40 },
      { heading: t('billing:pdf.dxPointer'), width: 50 },
      { heading: t('billing:pdf.units'), width: 35, align: 'end' },
      { heading: t('billing:pdf.fee'), width: 70, align: 'end' },
      { heading: t('billing:pdf.paid'), width: 70, align: 'end' },
      { heading: t('billing:pdf.providerNpi'), width: 85 },
    ],
    lines.map((c) => [
      c.dateOfService,
      c.placeOfService,
      c.serviceCode,
      c.modifiers.join(' '),
      c.diagnoses.map((d) => LETTERS[codes.indexOf(d.code)] ?? '').join(''),
      number.format(c.units),
      money(c.amountMinor),
      money(data.paid.get(c.id) ?? 0),
      npiOf.get(c.therapistId) ?? '',
    ]),
  );
  page.totals([
    [t('billing:pdf.totalFees'), money(sum(lines.map((c) => c.amountMinor)))],
    [t('billing:pdf.totalPaid'), money(sum(lines.map((c) => data.paid.get(c.id) ?? 0)))],
  ]);
  page.paragraph(t('billing:pdf.codesNote'));
  return page.finish(
    `${brand.clinicName} · ${t('billing:pdf.superbillFooter', { date: day(data.issuedOn) })} · ${t('billing:pdf.amountsIn', { currency: data.currency })}`,
  );
}
