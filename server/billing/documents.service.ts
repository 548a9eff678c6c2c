import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import type { BillingAccess } from './billing-access';
import type { BillingRepository } from './billing.repository';
import { parseOrThrow, rangeSchema } from './billing.schemas';
import {
  ENGLISH_READER,
  type BillingActor,
  type BillingWords,
  type BrandSource,
  type DocumentReader,
  type LicenceSource,
  type PeopleSource,
} from './billing.types';
import { dayIn, longDay } from './days';
import type { InvoicesService } from './invoices.service';
import { invoiceLabel } from './invoices.service';
import { paidPerCharge, statementOf } from './ledger';
import { isValidNpi } from './npi';
import type { DocumentWords } from './pdf/document-words';
import { invoicePdf } from './pdf/invoice-pdf';
import type { PdfBrand } from './pdf/pdf-layout';
import { statementPdf } from './pdf/statement-pdf';
import { superbillPdf, type SuperbillProvider } from './pdf/superbill-pdf';

/** A finished document: its bytes and a file name that names no service or amount. */
export interface BillingDocument {
  readonly filename: string;
  readonly pdf: Buffer;
}

/**
 * Invoices, statements and superbills as PDFs, in the clinic's colours with its logo. Each export
 * is checked by the same access rule as the account page and audited. A superbill is refused, with
 * one message naming everything missing, until it has all an insurer asks for. Each is written for
 * its reader (the language and locale of the page they asked from); amounts stay in the clinic's
 * currency.
 */
export class DocumentsService {
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #people: PeopleSource;
  readonly #invoices: InvoicesService;
  readonly #brand: BrandSource;
  readonly #licences: LicenceSource;
  readonly #words: BillingWords;

  constructor(deps: {
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    people: PeopleSource;
    invoices: InvoicesService;
    brand: BrandSource;
    licences: LicenceSource;
    words: BillingWords;
  }) {
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#people = deps.people;
    this.#invoices = deps.invoices;
    this.#brand = deps.brand;
    this.#licences = deps.licences;
    this.#words = deps.words;
  }

  #wordsFor(reader: DocumentReader): DocumentWords {
    return { t: this.#words(reader.language), reader };
  }

  async #pdfBrand(): Promise<{ brand: PdfBrand; timeZone: string }> {
    const [b, settings] = await Promise.all([this.#brand.brand(), this.#repo.settings()]);
    return {
      brand: {
        clinicName: b.clinicName,
        address: settings.address,
        primary: b.primary,
        text: b.text,
        logo: b.logo,
      },
      timeZone: b.timeZone,
    };
  }

  async invoice(
    actor: BillingActor,
    invoiceId: string,
    reader: DocumentReader = ENGLISH_READER,
  ): Promise<BillingDocument> {
    const view = await this.#invoices.view(actor, invoiceId, 'billing.invoice.exported');
    const client = (await this.#people.byId(view.invoice.clientId))!;
    const account = await this.#repo.account(client.id);
    const { brand } = await this.#pdfBrand();
    return {
      filename: `${invoiceLabel(view.invoice.number)}.pdf`,
      pdf: await invoicePdf(brand, client, view, account.details?.legalName ?? null, this.#wordsFor(reader)),
    };
  }

  async statement(
    actor: BillingActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
    reader: DocumentReader = ENGLISH_READER,
  ): Promise<BillingDocument> {
    await this.#access.require(actor, clientId);
    const { from, to } = parseOrThrow(rangeSchema, input, 'billing.range_invalid');
    const client = (await this.#people.byId(clientId))!;
    const [account, invoices, payments, settings] = await Promise.all([
      this.#repo.account(clientId),
      this.#repo.invoicesOf(clientId),
      this.#repo.paymentsOf({ clientId }),
      this.#repo.settings(),
    ]);
    const { brand, timeZone } = await this.#pdfBrand();
    const statement = statementOf(from, to, invoices, payments);
    await this.#access.record(
      actor,
      'billing.statement.exported',
      { type: 'billing_account', id: clientId, clientId },
      undefined,
      { from, to },
    );
    return {
      filename: `statement-${from}-${to}.pdf`,
      pdf: await statementPdf(
        brand,
        client,
        account.details?.legalName ?? null,
        statement,
        settings.currency,
        dayIn(this.#clock.now(), timeZone),
        this.#wordsFor(reader),
      ),
    };
  }

  /** The superbill for [from, to], or a refusal naming everything that is missing. */
  async superbill(
    actor: BillingActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
    reader: DocumentReader = ENGLISH_READER,
  ): Promise<BillingDocument> {
    await this.#access.require(actor, clientId);
    const { from, to } = parseOrThrow(rangeSchema, input, 'billing.range_invalid');
    const [account, settings, all, payments] = await Promise.all([
      this.#repo.account(clientId),
      this.#repo.settings(),
      this.#repo.chargesOf(clientId),
      this.#repo.paymentsOf({ clientId }),
    ]);
    // Insurers reimburse sessions, not the clinic's late-cancel or no-show fees.
    const charges = all.filter(
      (c) => c.origin === 'session' && c.dateOfService >= from && c.dateOfService <= to,
    );
    // The refusal is written for its reader too: the page shows it as it is.
    const { t } = this.#wordsFor(reader);
    const missing: string[] = [];
    if (charges.length === 0) missing.push(t('billing:missing.session'));
    if (!account.details?.legalName) missing.push(t('billing:missing.legalName'));
    if (!account.details?.dateOfBirth) missing.push(t('billing:missing.dateOfBirth'));
    if (!settings.clinicNpi || !isValidNpi(settings.clinicNpi)) missing.push(t('billing:missing.clinicNpi'));
    if (!settings.taxId) missing.push(t('billing:missing.taxId'));
    const providers: SuperbillProvider[] = [];
    for (const therapistId of new Set(charges.map((c) => c.therapistId))) {
      const [person, profile, licence] = await Promise.all([
        this.#people.byId(therapistId),
        this.#repo.provider(therapistId),
        this.#licences.licenceOf(therapistId),
      ]);
      const name = person?.displayName ?? t('billing:missing.formerTherapist');
      if (!profile.npi || !isValidNpi(profile.npi)) missing.push(t('billing:missing.providerNpi', { name }));
      if (!profile.credentials) missing.push(t('billing:missing.credentials', { name }));
      if (!licence?.number) missing.push(t('billing:missing.licence', { name }));
      providers.push({
        id: therapistId,
        name,
        credentials: profile.credentials,
        licence: [licence?.type, licence?.number, licence?.jurisdiction].filter(Boolean).join(' · '),
        npi: profile.npi ?? '',
      });
    }
    const undiagnosed = charges.filter((c) => c.diagnoses.length === 0);
    if (undiagnosed.length) {
      const days = undiagnosed.map((c) => longDay(c.dateOfService, reader.locale));
      missing.push(
        t('billing:missing.diagnosis', { count: undiagnosed.length, days: joinList(days, reader.locale) }),
      );
    }
    // A refusal exports nothing, so it is not audited (refused requests write nothing).
    if (missing.length) {
      throw new AppError(
        'billing.superbill_incomplete',
        'bad_request',
        // The missing things are already in the reader's words; the page writes the sentence.
        phrase('billing:missing.sentence', { list: joinList(missing, reader.locale) }),
      );
    }
    const paid = new Map<string, number>();
    for (const invoiceId of new Set(
      charges.map((c) => c.invoiceId).filter((id): id is string => id !== null),
    )) {
      const onInvoice = all.filter((c) => c.invoiceId === invoiceId);
      for (const [id, amount] of paidPerCharge(
        onInvoice,
        payments.filter((p) => p.invoiceId === invoiceId),
      ))
        paid.set(id, amount);
    }
    const { brand, timeZone } = await this.#pdfBrand();
    await this.#access.record(
      actor,
      'billing.superbill.exported',
      { type: 'billing_account', id: clientId, clientId },
      undefined,
      { from, to },
    );
    return {
      filename: `superbill-${from}-${to}.pdf`,
      pdf: await superbillPdf(
        brand,
        {
          client: account.details!,
          from,
          to,
          issuedOn: dayIn(this.#clock.now(), timeZone),
          currency: settings.currency,
          clinicNpi: settings.clinicNpi!,
          taxId: settings.taxId!,
          providers,
          charges,
          paid,
        },
        this.#wordsFor(reader),
      ),
    };
  }
}

/** "a, b and c" (en-GB), "a, b y c" (es): the reader's own way of joining a list. */
function joinList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
