import { DataTypes, type Model, type ModelAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** Row shapes exactly as stored (migration 20261203-1901). The repository turns them into plain objects. */
export interface SettingsRow {
  id: string;
  currency: string;
  telehealth_modifier: boolean;
  invoicing: string;
  payment_terms_days: number;
  charge_late_cancel: boolean;
  charge_no_show: boolean;
  clinic_npi: string | null;
  tax_id: string | null;
  address: string;
  default_program_id: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export interface ServiceRow {
  id: string;
  code: string;
  kind: string;
  description: string;
  duration_minutes: number | null;
  fee_minor: number | string;
  role: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface TypeServiceRow {
  appointment_type_id: string;
  service_id: string;
}

export interface ProgramRow {
  id: string;
  name: string;
  description: string;
  active: boolean;
  created_at: Date;
}

export interface ProgramPriceRow {
  program_id: string;
  service_id: string;
  fee_minor: number | string;
}

export interface ProviderRow {
  therapist_id: string;
  npi: string | null;
  credentials: string;
  updated_at: Date;
}

export interface ClientAccountRow {
  client_id: string;
  program_id: string | null;
  override_program_id: string | null;
  override_reason_enc: string | null;
  override_by: string | null;
  override_at: Date | null;
  details_enc: string | null;
  updated_at: Date;
}

export interface CounterRow {
  name: string;
  last_value: number | string;
}

export interface InvoiceRow {
  id: string;
  number: number | string;
  client_id: string;
  issued_on: string;
  due_on: string;
  total_minor: number | string;
  currency: string;
  created_by: string | null;
  created_at: Date;
}

export interface ChargeRow {
  id: string;
  client_id: string;
  therapist_id: string;
  appointment_id: string | null;
  origin: string;
  service_id: string;
  date_of_service: string;
  units: number;
  unit_fee_minor: number | string;
  amount_minor: number | string;
  place_of_service: string;
  place_confirmed: boolean;
  modifiers: string;
  diagnoses_enc: string | null;
  program_id: string | null;
  invoice_id: string | null;
  adjusted_by: string | null;
  adjustment_reason_enc: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentRow {
  id: string;
  client_id: string;
  invoice_id: string;
  kind: string;
  method: string | null;
  amount_minor: number | string;
  received_on: string;
  reference: string | null;
  reason_enc: string | null;
  provider_ref: string | null;
  recorded_by: string | null;
  created_at: Date;
}

type M<R extends object> = ModelStatic<Model<R, R>>;

export interface BillingModels {
  readonly settings: M<SettingsRow>;
  readonly services: M<ServiceRow>;
  readonly typeServices: M<TypeServiceRow>;
  readonly programs: M<ProgramRow>;
  readonly prices: M<ProgramPriceRow>;
  readonly providers: M<ProviderRow>;
  readonly accounts: M<ClientAccountRow>;
  readonly counters: M<CounterRow>;
  readonly invoices: M<InvoiceRow>;
  readonly charges: M<ChargeRow>;
  readonly payments: M<PaymentRow>;
}

// Factories, not shared objects: Sequelize annotates attribute objects in place while defining a model.
const key = () => ({ type: DataTypes.STRING(36), primaryKey: true });
const str = (n: number) => ({ type: DataTypes.STRING(n), allowNull: false });
const maybe = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
const money = () => ({ type: DataTypes.BIGINT, allowNull: false });
const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false });
const date = () => ({ type: DataTypes.DATE, allowNull: false });
const maybeDate = () => ({ type: DataTypes.DATE, allowNull: true });
const sealed = () => ({ type: DataTypes.TEXT, allowNull: true });

export function defineBillingModels(sequelize: Sequelize): BillingModels {
  const define = <R extends object>(name: string, table: string, attributes: Record<string, object>): M<R> =>
    sequelize.define<Model<R, R>>(name, attributes as ModelAttributes<Model<R, R>, R>, { tableName: table });
  return {
    settings: define<SettingsRow>('BillingSettings', 'billing_settings', {
      id: { type: DataTypes.STRING(20), primaryKey: true },
      currency: str(3),
      telehealth_modifier: flag(),
      invoicing: str(12),
      payment_terms_days: { type: DataTypes.INTEGER, allowNull: false },
      charge_late_cancel: flag(),
      charge_no_show: flag(),
      clinic_npi: maybe(10),
      tax_id: maybe(20),
      address: { type: DataTypes.TEXT, allowNull: false },
      default_program_id: maybe(36),
      updated_at: date(),
      updated_by: maybe(36),
    }),
    services: define<ServiceRow>('BillingService', 'billing_services', {
      id: key(),
      code: str(20),
      kind: str(8),
      description: str(200),
      duration_minutes: { type: DataTypes.INTEGER, allowNull: true },
      fee_minor: money(),
      role: str(12),
      active: flag(),
      created_at: date(),
      updated_at: date(),
    }),
    typeServices: define<TypeServiceRow>('BillingTypeService', 'billing_type_services', {
      appointment_type_id: key(),
      service_id: str(36),
    }),
    programs: define<ProgramRow>('BillingFeeProgram', 'billing_fee_programs', {
      id: key(),
      name: str(80),
      description: str(400),
      active: flag(),
      created_at: date(),
    }),
    prices: define<ProgramPriceRow>('BillingProgramPrice', 'billing_program_prices', {
      program_id: key(),
      service_id: key(),
      fee_minor: money(),
    }),
    providers: define<ProviderRow>('BillingProviderProfile', 'billing_provider_profiles', {
      therapist_id: key(),
      npi: maybe(10),
      credentials: str(80),
      updated_at: date(),
    }),
    accounts: define<ClientAccountRow>('BillingClientAccount', 'billing_client_accounts', {
      client_id: key(),
      program_id: maybe(36),
      override_program_id: maybe(36),
      override_reason_enc: sealed(),
      override_by: maybe(36),
      override_at: maybeDate(),
      details_enc: sealed(),
      updated_at: date(),
    }),
    counters: define<CounterRow>('BillingCounter', 'billing_counters', {
      name: { type: DataTypes.STRING(40), primaryKey: true },
      last_value: money(),
    }),
    invoices: define<InvoiceRow>('BillingInvoice', 'billing_invoices', {
      id: key(),
      number: money(),
      client_id: str(36),
      issued_on: str(10),
      due_on: str(10),
      total_minor: money(),
      currency: str(3),
      created_by: maybe(36),
      created_at: date(),
    }),
    charges: define<ChargeRow>('BillingCharge', 'billing_charges', {
      id: key(),
      client_id: str(36),
      therapist_id: str(36),
      appointment_id: maybe(36),
      origin: str(12),
      service_id: str(36),
      date_of_service: str(10),
      units: { type: DataTypes.INTEGER, allowNull: false },
      unit_fee_minor: money(),
      amount_minor: money(),
      place_of_service: str(2),
      place_confirmed: flag(),
      modifiers: str(20),
      diagnoses_enc: sealed(),
      program_id: maybe(36),
      invoice_id: maybe(36),
      adjusted_by: maybe(36),
      adjustment_reason_enc: sealed(),
      created_at: date(),
      updated_at: date(),
    }),
    payments: define<PaymentRow>('BillingPayment', 'billing_payments', {
      id: key(),
      client_id: str(36),
      invoice_id: str(36),
      kind: str(10),
      method: maybe(16),
      amount_minor: money(),
      received_on: str(10),
      reference: maybe(80),
      reason_enc: sealed(),
      provider_ref: maybe(120),
      recorded_by: maybe(36),
      created_at: date(),
    }),
  };
}
