import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const id = () => ({ type: DataTypes.STRING(36), allowNull: false, primaryKey: true });
const ref = (nullable = false) => ({ type: DataTypes.STRING(36), allowNull: nullable });
const userRef = (nullable = false) => ({
  type: DataTypes.STRING(36),
  allowNull: nullable,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
});
/** Money: whole minor units (cents). BIGINT so a clinic's totals never overflow 32 bits. */
const money = () => ({ type: DataTypes.BIGINT, allowNull: false });
const day = (nullable = false) => ({ type: DataTypes.STRING(10), allowNull: nullable });
const at = (nullable = false) => ({ type: DataTypes.DATE, allowNull: nullable });
const text = (n: number, nullable = false) => ({ type: DataTypes.STRING(n), allowNull: nullable });
const sealed = () => ({ type: DataTypes.TEXT, allowNull: true });

const TABLES = [
  'billing_payments',
  'billing_charges',
  'billing_invoices',
  'billing_counters',
  'billing_client_accounts',
  'billing_program_prices',
  'billing_fee_programs',
  'billing_type_services',
  'billing_services',
  'billing_provider_profiles',
  'billing_settings',
] as const;

/**
 * Fees and billing (issue 19). Amounts are integers of the currency's minor unit. What is health
 * information (diagnoses on a charge, a client's date of birth and address, the reasons given for
 * an override, an adjustment, a refund or a write-off) is sealed with the field cipher. Invoice
 * numbers come from `billing_counters`, taken in the invoice's own transaction, so a number is
 * used once and a rolled-back invoice gives its number back.
 */
export const migration: Migration = {
  name: '20261203-1901-billing',
  async up({ queryInterface: q }) {
    await q.createTable('billing_settings', {
      id: { type: DataTypes.STRING(20), allowNull: false, primaryKey: true },
      currency: text(3),
      telehealth_modifier: { type: DataTypes.BOOLEAN, allowNull: false },
      invoicing: text(12),
      payment_terms_days: { type: DataTypes.INTEGER, allowNull: false },
      charge_late_cancel: { type: DataTypes.BOOLEAN, allowNull: false },
      charge_no_show: { type: DataTypes.BOOLEAN, allowNull: false },
      clinic_npi: text(10, true),
      tax_id: text(20, true),
      address: { type: DataTypes.TEXT, allowNull: false },
      default_program_id: ref(true),
      updated_at: at(),
      updated_by: ref(true),
    });
    await q.createTable('billing_services', {
      id: id(),
      code: text(20),
      kind: text(8),
      description: text(200),
      duration_minutes: { type: DataTypes.INTEGER, allowNull: true },
      fee_minor: money(),
      role: text(12),
      active: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: at(),
      updated_at: at(),
    });
    await q.addIndex('billing_services', ['code'], { name: 'billing_services_code', unique: true });
    await q.createTable('billing_type_services', {
      appointment_type_id: id(),
      service_id: { ...ref(), references: { model: 'billing_services', key: 'id' }, onDelete: 'CASCADE' },
    });
    await q.createTable('billing_fee_programs', {
      id: id(),
      name: text(80),
      description: text(400),
      active: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: at(),
    });
    await q.addIndex('billing_fee_programs', ['name'], { name: 'billing_fee_programs_name', unique: true });
    await q.createTable('billing_program_prices', {
      program_id: {
        ...id(),
        references: { model: 'billing_fee_programs', key: 'id' },
        onDelete: 'CASCADE',
      },
      service_id: { ...id(), references: { model: 'billing_services', key: 'id' }, onDelete: 'CASCADE' },
      fee_minor: money(),
    });
    await q.createTable('billing_provider_profiles', {
      therapist_id: { ...userRef(), primaryKey: true },
      npi: text(10, true),
      credentials: text(80),
      updated_at: at(),
    });
    await q.createTable('billing_client_accounts', {
      client_id: { ...userRef(), primaryKey: true },
      program_id: ref(true),
      override_program_id: ref(true),
      override_reason_enc: sealed(),
      override_by: ref(true),
      override_at: at(true),
      details_enc: sealed(),
      updated_at: at(),
    });
    await q.createTable('billing_counters', {
      name: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
      last_value: { type: DataTypes.BIGINT, allowNull: false },
    });
    await q.createTable('billing_invoices', {
      id: id(),
      number: { type: DataTypes.BIGINT, allowNull: false },
      client_id: userRef(),
      issued_on: day(),
      due_on: day(),
      total_minor: money(),
      currency: text(3),
      created_by: ref(true),
      created_at: at(),
    });
    await q.addIndex('billing_invoices', ['number'], { name: 'billing_invoices_number', unique: true });
    await q.addIndex('billing_invoices', ['client_id'], { name: 'billing_invoices_client' });
    await q.createTable('billing_charges', {
      id: id(),
      client_id: userRef(),
      therapist_id: ref(),
      appointment_id: ref(true),
      origin: text(12),
      service_id: { ...ref(), references: { model: 'billing_services', key: 'id' } },
      date_of_service: day(),
      units: { type: DataTypes.INTEGER, allowNull: false },
      unit_fee_minor: money(),
      amount_minor: money(),
      place_of_service: text(2),
      place_confirmed: { type: DataTypes.BOOLEAN, allowNull: false },
      modifiers: text(20),
      diagnoses_enc: sealed(),
      program_id: ref(true),
      invoice_id: { ...ref(true), references: { model: 'billing_invoices', key: 'id' } },
      adjusted_by: ref(true),
      adjustment_reason_enc: sealed(),
      created_at: at(),
      updated_at: at(),
    });
    // One charge per appointment and client, whoever or whatever asks twice (the idempotence rule).
    await q.addIndex('billing_charges', ['appointment_id', 'client_id'], {
      name: 'billing_charges_once_per_appointment',
      unique: true,
    });
    await q.addIndex('billing_charges', ['client_id', 'invoice_id'], { name: 'billing_charges_client' });
    await q.createTable('billing_payments', {
      id: id(),
      client_id: userRef(),
      invoice_id: { ...ref(), references: { model: 'billing_invoices', key: 'id' } },
      kind: text(10),
      method: text(16, true),
      amount_minor: money(),
      received_on: day(),
      reference: text(80, true),
      reason_enc: sealed(),
      provider_ref: text(120, true),
      recorded_by: ref(true),
      created_at: at(),
    });
    await q.addIndex('billing_payments', ['invoice_id'], { name: 'billing_payments_invoice' });
    await q.addIndex('billing_payments', ['client_id'], { name: 'billing_payments_client' });
  },
  async down({ queryInterface: q }) {
    for (const table of TABLES) await q.dropTable(table);
  },
};
