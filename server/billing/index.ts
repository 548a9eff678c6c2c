import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import { PollingLoop } from '../shared/polling-loop';
import { AccountsService } from './accounts.service';
import { BillingAccess } from './billing-access';
import { BillingMailer, type OutboxPort } from './billing-mail';
import { defineBillingModels } from './billing.model';
import { BillingRepository } from './billing.repository';
import type {
  AppointmentSource,
  BillingWords,
  BrandSource,
  CareSource,
  DiagnosisSource,
  LicenceSource,
  PeopleSource,
  PlaceSource,
} from './billing.types';
import { CatalogService } from './catalog.service';
import { ChargesService } from './charges.service';
import { DocumentsService } from './documents.service';
import { InvoicesService } from './invoices.service';
import { PaymentsService } from './payments.service';
import { BillingSubjectRecords } from './subject-records';

export type * from './billing.types';
export { ENGLISH_READER, PAYMENT_KINDS, PAYMENT_METHODS, INVOICING_MODES } from './billing.types';
export * as billingPolicy from './billing.policy';
export { formatMoney, toDecimal, minorDigits, CURRENCIES } from './money';
export { isValidNpi, npiProblem } from './npi';
export { invoiceLabel, type InvoiceView } from './invoices.service';
export { AGE_BUCKETS, type AgedRow } from './ledger';
export type { AccountView, AccountSummary } from './accounts.service';
export type { TypeMapping } from './catalog.service';
export type { BillingDocument } from './documents.service';
export type { PaymentProvider, ProviderEvent, CheckoutRequest } from './payment-provider';
export type { ReceivablesRow } from './payments.service';
export { longDay } from './days';
export { BillingSubjectRecords, type BillingExport } from './subject-records';

/** Billing's public API (issue 19). */
export interface Billing {
  readonly catalog: CatalogService;
  readonly accounts: AccountsService;
  readonly charges: ChargesService;
  readonly invoices: InvoicesService;
  readonly payments: PaymentsService;
  readonly documents: DocumentsService;
  /** A client's billing for their record export (data rights). */
  readonly subjectRecords: BillingSubjectRecords;
  /**
   * Scheduling says an appointment was completed, missed or cancelled: make its charge (once).
   * Failures are logged; the sweep tries again.
   */
  appointmentSettled(appointmentId: string): void;
  /** Loads the starting services (first start); call before serving requests. */
  prepare(): Promise<void>;
  /** The sweep for missed charges and the monthly invoice run (hourly). */
  start(): void;
  stop(): Promise<void>;
}

export interface BillingDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly outbox: OutboxPort;
  readonly publicUrl: string;
  /** The words of documents and emails per language (the clinic's string overrides included). */
  readonly words: BillingWords;
  readonly ports: {
    readonly appointments: AppointmentSource;
    readonly care: CareSource;
    readonly people: PeopleSource;
    readonly places: PlaceSource | null;
    /** Care planning's diagnoses; without it charges carry no diagnosis pointers. */
    readonly diagnoses: DiagnosisSource | null;
    readonly licences: LicenceSource;
    readonly brand: BrandSource;
  };
  /** How often the background pass runs (default hourly). */
  readonly pollMs?: number;
}

export function createBilling(deps: BillingDeps): Billing {
  const { sequelize, clock, ports } = deps;
  const logger = deps.logger.child({ component: 'billing' });
  const repo = new BillingRepository(sequelize, defineBillingModels(sequelize), deps.cipher);
  const access = new BillingAccess({ care: ports.care, people: ports.people, audit: deps.audit });
  const timeZone = async () => (await ports.brand.brand()).timeZone;
  const catalog = new CatalogService({ sequelize, repo, access, clock, appointments: ports.appointments });
  const charges = new ChargesService({
    sequelize,
    repo,
    access,
    clock,
    catalog,
    appointments: ports.appointments,
    places: ports.places,
    diagnoses: ports.diagnoses,
    logger,
    timeZone,
  });
  const invoices = new InvoicesService({
    sequelize,
    repo,
    access,
    clock,
    people: ports.people,
    mailer: new BillingMailer(deps.outbox, deps.publicUrl, deps.words),
    clinic: async () => {
      const b = await ports.brand.brand();
      return { clinicName: b.clinicName, timeZone: b.timeZone };
    },
    logger,
  });
  const payments = new PaymentsService({ sequelize, repo, access, clock, people: ports.people, timeZone });
  const documents = new DocumentsService({
    repo,
    access,
    clock,
    people: ports.people,
    invoices,
    brand: ports.brand,
    licences: ports.licences,
    words: deps.words,
  });
  const loop = new PollingLoop({
    pass: async () => {
      await charges.sweep();
      await invoices.monthlyRun();
    },
    intervalMs: deps.pollMs ?? 3_600_000,
    onError: (error) => logger.error({ err: error }, 'billing pass failed'),
  });
  return {
    catalog,
    accounts: new AccountsService({ sequelize, repo, access, clock, people: ports.people, care: ports.care }),
    charges,
    invoices,
    payments,
    documents,
    subjectRecords: new BillingSubjectRecords(repo),
    appointmentSettled(appointmentId) {
      charges.chargeAppointment(appointmentId).catch((error: unknown) => {
        logger.warn({ err: error, appointmentId }, 'charge not made now; the sweep will try again');
      });
    },
    prepare: () => catalog.ensureStartingServices(),
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
