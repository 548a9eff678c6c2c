import type { Charge, ClientDetails } from '../billing.types';
import { longDay } from '../days';
import { formatMoney, sum } from '../money';
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
 */
export function superbillPdf(brand: PdfBrand, data: SuperbillData): Promise<Buffer> {
  const money = (m: number) => formatMoney(m, data.currency);
  const page = new PdfPage(brand, 'Superbill');
  page.fields([
    ['Client', data.client.legalName],
    ['Date of birth', longDay(data.client.dateOfBirth)],
    ['Client address', data.client.address],
    ['Period', `${longDay(data.from)} to ${longDay(data.to)}`],
    ['Clinic NPI (type 2)', data.clinicNpi],
    ['Tax id (EIN)', data.taxId],
  ]);
  page.heading('Providers');
  page.table(
    [
      { heading: 'Provider', width: 150 },
      { heading: 'Credentials', width: 90 },
      { heading: 'Licence', width: 170 },
      { heading: 'NPI', width: 90 },
    ],
    data.providers.map((p) => [p.name, p.credentials, p.licence, p.npi]),
  );
  const codes: string[] = [];
  for (const c of data.charges) for (const d of c.diagnoses) if (!codes.includes(d.code)) codes.push(d.code);
  const described = new Map(
    data.charges.flatMap((c) => c.diagnoses.map((d) => [d.code, d.description] as const)),
  );
  page.heading('Diagnoses (ICD-10-CM)');
  page.table(
    [
      { heading: 'Pointer', width: 60 },
      { heading: 'Code', width: 80 },
      { heading: 'Description', width: 360 },
    ],
    codes.slice(0, LETTERS.length).map((code, i) => [LETTERS[i]!, code, described.get(code) ?? '']),
  );
  const npiOf = new Map(data.providers.map((p) => [p.id, p.npi]));
  const lines = [...data.charges].sort((a, b) => (a.dateOfService < b.dateOfService ? -1 : 1));
  page.heading('Services');
  page.table(
    [
      { heading: 'Date', width: 70 },
      { heading: 'POS', width: 35 },
      { heading: 'CPT', width: 45 },
      { heading: 'Mod.', width: 40 },
      { heading: 'Dx ptr', width: 50 },
      { heading: 'Units', width: 35, align: 'right' },
      { heading: 'Fee', width: 70, align: 'right' },
      { heading: 'Paid', width: 70, align: 'right' },
      { heading: 'Provider NPI', width: 85 },
    ],
    lines.map((c) => [
      c.dateOfService,
      c.placeOfService,
      c.serviceCode,
      c.modifiers.join(' '),
      c.diagnoses.map((d) => LETTERS[codes.indexOf(d.code)] ?? '').join(''),
      String(c.units),
      money(c.amountMinor),
      money(data.paid.get(c.id) ?? 0),
      npiOf.get(c.therapistId) ?? '',
    ]),
  );
  page.totals([
    ['Total fees', money(sum(lines.map((c) => c.amountMinor)))],
    ['Total paid', money(sum(lines.map((c) => data.paid.get(c.id) ?? 0)))],
  ]);
  page.paragraph(
    'Place of service: 10 = telehealth in the client’s home; 02 = telehealth somewhere other than the home. ' +
      'Modifier 95: synchronous video; 93: audio only. CPT® is a registered trademark of the American Medical Association.',
  );
  return page.finish(
    `${brand.clinicName} · Superbill issued ${longDay(data.issuedOn)} · Amounts in ${data.currency}`,
  );
}
