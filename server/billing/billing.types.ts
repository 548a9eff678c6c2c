import type { Transaction } from 'sequelize';
import type { Minor } from './money';

/** What a service is for: a session, or the fee the clinic's policy charges for a late cancel or a no-show. */
export const SERVICE_ROLES = ['session', 'late_cancel', 'no_show', 'other'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/** A billable service (a CPT code or a clinic-defined item) with the clinic's standard fee. */
export interface Service {
  readonly id: string;
  readonly code: string;
  readonly kind: 'cpt' | 'clinic';
  readonly description: string;
  readonly durationMinutes: number | null;
  readonly feeMinor: Minor;
  readonly role: ServiceRole;
  readonly active: boolean;
}

/** A sliding-scale fee program: its own price per service (a missing price means the standard fee). */
export interface FeeProgram {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly active: boolean;
  /** service id → price in minor units. */
  readonly prices: Readonly<Record<string, Minor>>;
}

export const INVOICING_MODES = ['on_demand', 'monthly'] as const;
export type InvoicingMode = (typeof INVOICING_MODES)[number];

/** The clinic's billing settings (admin console). */
export interface BillingSettings {
  /** ISO 4217. */
  readonly currency: string;
  /** Telehealth sessions carry modifier 95 (video) / 93 (audio only). */
  readonly telehealthModifier: boolean;
  readonly invoicing: InvoicingMode;
  /** Days from an invoice's date to its due date. */
  readonly paymentTermsDays: number;
  /** Late cancellations and no-shows make the LATE-CANCEL / NO-SHOW service's fee. */
  readonly chargeLateCancel: boolean;
  readonly chargeNoShow: boolean;
  /** The clinic's (type 2, organisation) NPI and tax id, for superbills. */
  readonly clinicNpi: string | null;
  readonly taxId: string | null;
  /** Postal address printed on documents. */
  readonly address: string;
  /** The program every client starts on (null: standard fees). */
  readonly defaultProgramId: string | null;
}

/** A client's billing details (sealed): for superbills and documents. */
export interface ClientDetails {
  readonly legalName: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly address: string;
}

/** A client's billing account: their program, a therapist's override and its reason. */
export interface ClientAccount {
  readonly clientId: string;
  readonly programId: string | null;
  readonly overrideProgramId: string | null;
  readonly overrideReason: string | null;
  readonly overrideBy: string | null;
  readonly overrideAt: Date | null;
  readonly details: ClientDetails | null;
}

/** Why a charge exists. */
export const CHARGE_ORIGINS = ['session', 'late_cancel', 'no_show', 'manual'] as const;
export type ChargeOrigin = (typeof CHARGE_ORIGINS)[number];

/** Place of service for telehealth (CMS): 10 = in the client's home, 02 = somewhere else. */
export type PlaceOfService = '10' | '02';

/** A diagnosis a charge points to (ICD-10-CM), copied from the care plan on the date of service. */
export interface DiagnosisPointer {
  readonly code: string;
  readonly description: string;
}

export interface Charge {
  readonly id: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly appointmentId: string | null;
  readonly origin: ChargeOrigin;
  readonly serviceId: string;
  readonly serviceCode: string;
  readonly serviceDescription: string;
  /** YYYY-MM-DD in the clinic's time zone. */
  readonly dateOfService: string;
  readonly units: number;
  readonly unitFeeMinor: Minor;
  readonly amountMinor: Minor;
  readonly placeOfService: PlaceOfService;
  /** Whether the client's own location check chose the place of service. */
  readonly placeConfirmed: boolean;
  readonly modifiers: readonly string[];
  readonly diagnoses: readonly DiagnosisPointer[];
  readonly programId: string | null;
  readonly invoiceId: string | null;
  readonly adjusted: boolean;
  readonly createdAt: Date;
}

export interface Invoice {
  readonly id: string;
  /** Gapless, never repeated (billing_counters). */
  readonly number: number;
  readonly clientId: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly totalMinor: Minor;
  readonly currency: string;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export const PAYMENT_KINDS = ['payment', 'refund', 'write_off'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
/** How money arrived (a card taken elsewhere: a terminal not connected to Haven). */
export const PAYMENT_METHODS = ['cash', 'cheque', 'card_elsewhere', 'bank_transfer', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment, refund or write-off, always against one invoice. */
export interface Payment {
  readonly id: string;
  readonly clientId: string;
  readonly invoiceId: string;
  readonly kind: PaymentKind;
  readonly method: PaymentMethod | null;
  readonly amountMinor: Minor;
  readonly receivedOn: string;
  readonly reference: string | null;
  readonly reason: string | null;
  readonly recordedBy: string | null;
  readonly createdAt: Date;
}

/** What an invoice stands at: total, and what payments, refunds and write-offs did to it. */
export interface InvoiceStanding {
  readonly totalMinor: Minor;
  readonly paidMinor: Minor;
  readonly refundedMinor: Minor;
  readonly writtenOffMinor: Minor;
  /** total − paid + refunded − written off. */
  readonly dueMinor: Minor;
}

/** A client's account in numbers. */
export interface Balance {
  readonly chargedMinor: Minor;
  readonly uninvoicedMinor: Minor;
  readonly paidMinor: Minor;
  readonly refundedMinor: Minor;
  readonly writtenOffMinor: Minor;
  /** charged − paid + refunded − written off. */
  readonly balanceMinor: Minor;
  /** What invoices ask for now (balance less what is not yet invoiced). */
  readonly dueMinor: Minor;
}

/** A provider's billing identity (therapist). */
export interface ProviderProfile {
  readonly therapistId: string;
  readonly npi: string | null;
  /** e.g. "LCSW", "PhD, LPC". */
  readonly credentials: string;
}

/** Who is acting. */
export interface BillingActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly ip?: string | null;
}

/** ---- Ports: what billing reads from other features (wired in composition/features.ts). ---- */

/** An appointment as billing needs it (scheduling). */
export interface BillableAppointment {
  readonly id: string;
  readonly therapistId: string;
  readonly clientIds: readonly string[];
  readonly typeId: string;
  readonly start: Date;
  readonly status: string;
  readonly format: 'video' | 'audio' | 'chat';
  readonly lateCancellation: boolean;
}

export interface AppointmentSource {
  appointment(id: string): Promise<BillableAppointment | null>;
  /** Completed, no-show and late-cancelled appointments starting in [from, to). */
  billableBetween(from: Date, to: Date): Promise<BillableAppointment[]>;
  types(): Promise<
    Array<{ id: string; name: string; durationMinutes: number; kind: 'individual' | 'couples' | 'group' }>
  >;
}

/** Care assignments (clinical). */
export interface CareSource {
  treatingTherapistIds(clientId: string): Promise<string[]>;
  clientsOf(therapistId: string): Promise<string[]>;
}

/** The client's own answer, in the per-session check, to "are you at home?" (clinical). */
export interface PlaceSource {
  atHomeFor(clientId: string, appointmentId: string): Promise<boolean | null>;
}

/** Diagnoses in force on a date (care planning); the read is audited there. */
export interface DiagnosisSource {
  inForceOn(
    therapist: BillingActor,
    clientId: string,
    day: string,
    purpose: string,
  ): Promise<Array<{ code: string; description: string; rank: 'primary' | 'secondary' }>>;
}

export interface BillingPerson {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly timeZone: string;
  /** Their language (profile): billing emails are written in it. */
  readonly language: string;
}

export interface PeopleSource {
  byId(id: string): Promise<BillingPerson | null>;
  /** Every client (admins' lists). */
  clients(): Promise<BillingPerson[]>;
}

/** Licence facts from the directory. */
export interface LicenceSource {
  licenceOf(
    therapistId: string,
  ): Promise<{ type: string | null; number: string | null; jurisdiction: string | null } | null>;
}

/** The clinic's look, for PDFs (admin console). */
export interface BrandSource {
  brand(): Promise<{
    clinicName: string;
    primary: string;
    text: string;
    logo: Buffer | null;
    timeZone: string;
  }>;
}

/** One language's words: `t('billing:pdf.total')`, `t('billing:pdf.periodRange', { from, to })`. */
export type BillingTranslate = (key: string, values?: Readonly<Record<string, string | number>>) => string;

/** The words of a language (a code Haven does not ship reads English), clinic overrides included. */
export type BillingWords = (language: string) => BillingTranslate;

/**
 * Who a document is written for: the language of the page they asked from, the Intl locale its
 * numbers, money and days are written in (`ar-u-nu-arab`, `es`), and its writing direction.
 */
export interface DocumentReader {
  readonly language: string;
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
}

/** English, left to right: a document asked for outside a page (a tool, a test). */
export const ENGLISH_READER: DocumentReader = { language: 'en', locale: 'en-GB', dir: 'ltr' };

/** Runs `fn` inside the caller's transaction (or its own). */
export type InTransaction = <T>(fn: (tx: Transaction) => Promise<T>) => Promise<T>;
