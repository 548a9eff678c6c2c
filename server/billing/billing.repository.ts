import { Op, type Model, type Sequelize, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import type {
  BillingModels,
  ChargeRow,
  ClientAccountRow,
  InvoiceRow,
  PaymentRow,
  ServiceRow,
  SettingsRow,
} from './billing.model';
import type {
  BillingSettings,
  Charge,
  ChargeOrigin,
  ClientAccount,
  ClientDetails,
  DiagnosisPointer,
  FeeProgram,
  Invoice,
  Payment,
  PaymentKind,
  PaymentMethod,
  PlaceOfService,
  ProviderProfile,
  Service,
  ServiceRole,
} from './billing.types';

const SETTINGS_ID = 'clinic';
const INVOICE_COUNTER = 'invoice_number';

export const DEFAULT_SETTINGS: BillingSettings = {
  currency: 'USD',
  telehealthModifier: true,
  invoicing: 'on_demand',
  paymentTermsDays: 30,
  chargeLateCancel: false,
  chargeNoShow: false,
  clinicNpi: null,
  taxId: null,
  address: '',
  defaultProgramId: null,
};

/** BIGINT comes back from PostgreSQL as a string; every amount is well inside 2^53. */
const n = (v: number | string): number => Number(v);
/** Rows as plain objects. */
const plain = <R extends object>(rows: ReadonlyArray<Model<R, R>>): R[] =>
  rows.map((r) => r.get({ plain: true }));

const toService = (r: ServiceRow): Service => ({
  id: r.id,
  code: r.code,
  kind: r.kind === 'cpt' ? 'cpt' : 'clinic',
  description: r.description,
  durationMinutes: r.duration_minutes,
  feeMinor: n(r.fee_minor),
  role: r.role as ServiceRole,
  active: Boolean(r.active),
});

const toInvoice = (r: InvoiceRow): Invoice => ({
  id: r.id,
  number: n(r.number),
  clientId: r.client_id,
  issuedOn: r.issued_on,
  dueOn: r.due_on,
  totalMinor: n(r.total_minor),
  currency: r.currency,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
});

/** A new charge as the service builds it (before it has an invoice). */
export type NewCharge = Omit<Charge, 'serviceCode' | 'serviceDescription' | 'invoiceId' | 'adjusted'>;

/** What an adjustment may change. */
export interface ChargeChanges {
  readonly serviceId: string;
  readonly units: number;
  readonly unitFeeMinor: number;
  readonly amountMinor: number;
  readonly placeOfService: PlaceOfService;
  readonly modifiers: readonly string[];
  readonly diagnoses: readonly DiagnosisPointer[];
}

/**
 * Billing's tables. Plain objects out; sealed columns are opened here (the cipher's context names
 * table, column and row, so a value copied to another row fails to open).
 */
export class BillingRepository {
  readonly #m: BillingModels;
  readonly #cipher: FieldCipher;
  readonly #sequelize: Sequelize;

  constructor(sequelize: Sequelize, models: BillingModels, cipher: FieldCipher) {
    this.#sequelize = sequelize;
    this.#m = models;
    this.#cipher = cipher;
  }

  #seal(value: unknown, column: string, rowId: string): string {
    return this.#cipher.encrypt(JSON.stringify(value), `billing.${column}:${rowId}`);
  }

  #open<T>(stored: string | null, column: string, rowId: string): T | null {
    return stored === null
      ? null
      : (JSON.parse(this.#cipher.decrypt(stored, `billing.${column}:${rowId}`)) as T);
  }

  // ---- settings ----

  async settings(tx?: Transaction): Promise<BillingSettings> {
    const row = await this.#m.settings.findByPk(SETTINGS_ID, { transaction: tx });
    if (!row) return DEFAULT_SETTINGS;
    const r: SettingsRow = row.get({ plain: true });
    return {
      currency: r.currency,
      telehealthModifier: Boolean(r.telehealth_modifier),
      invoicing: r.invoicing === 'monthly' ? 'monthly' : 'on_demand',
      paymentTermsDays: r.payment_terms_days,
      chargeLateCancel: Boolean(r.charge_late_cancel),
      chargeNoShow: Boolean(r.charge_no_show),
      clinicNpi: r.clinic_npi,
      taxId: r.tax_id,
      address: r.address,
      defaultProgramId: r.default_program_id,
    };
  }

  async saveSettings(s: BillingSettings, by: string, at: Date, tx: Transaction): Promise<void> {
    await this.#m.settings.upsert(
      {
        id: SETTINGS_ID,
        currency: s.currency,
        telehealth_modifier: s.telehealthModifier,
        invoicing: s.invoicing,
        payment_terms_days: s.paymentTermsDays,
        charge_late_cancel: s.chargeLateCancel,
        charge_no_show: s.chargeNoShow,
        clinic_npi: s.clinicNpi,
        tax_id: s.taxId,
        address: s.address,
        default_program_id: s.defaultProgramId,
        updated_at: at,
        updated_by: by,
      },
      { transaction: tx },
    );
  }

  // ---- services ----

  async services(tx?: Transaction): Promise<Service[]> {
    const rows = await this.#m.services.findAll({ order: [['code', 'ASC']], transaction: tx });
    return rows.map((r) => toService(r.get({ plain: true })));
  }

  async serviceById(id: string, tx?: Transaction): Promise<Service | null> {
    const row = await this.#m.services.findByPk(id, { transaction: tx });
    return row ? toService(row.get({ plain: true })) : null;
  }

  async serviceByCode(code: string, tx?: Transaction): Promise<Service | null> {
    const row = await this.#m.services.findOne({ where: { code }, transaction: tx });
    return row ? toService(row.get({ plain: true })) : null;
  }

  async insertService(s: Service, at: Date, tx: Transaction): Promise<void> {
    await this.#m.services.create(
      {
        id: s.id,
        code: s.code,
        kind: s.kind,
        description: s.description,
        duration_minutes: s.durationMinutes,
        fee_minor: s.feeMinor,
        role: s.role,
        active: s.active,
        created_at: at,
        updated_at: at,
      },
      { transaction: tx },
    );
  }

  async updateService(s: Service, at: Date, tx: Transaction): Promise<void> {
    await this.#m.services.update(
      {
        description: s.description,
        duration_minutes: s.durationMinutes,
        fee_minor: s.feeMinor,
        active: s.active,
        updated_at: at,
      },
      { where: { id: s.id }, transaction: tx },
    );
  }

  async typeServiceMap(tx?: Transaction): Promise<Map<string, string>> {
    const rows = await this.#m.typeServices.findAll({ transaction: tx });
    return new Map(plain(rows).map((r) => [r.appointment_type_id, r.service_id]));
  }

  async setTypeService(typeId: string, serviceId: string | null, tx: Transaction): Promise<void> {
    await this.#m.typeServices.destroy({ where: { appointment_type_id: typeId }, transaction: tx });
    if (serviceId) {
      await this.#m.typeServices.create(
        { appointment_type_id: typeId, service_id: serviceId },
        { transaction: tx },
      );
    }
  }

  // ---- fee programs ----

  async programs(tx?: Transaction): Promise<FeeProgram[]> {
    const [rows, prices] = await Promise.all([
      this.#m.programs.findAll({ order: [['name', 'ASC']], transaction: tx }),
      this.#m.prices.findAll({ transaction: tx }),
    ]);
    return rows.map((row) => {
      const r = row.get({ plain: true });
      const own: Record<string, number> = {};
      for (const p of plain(prices)) if (p.program_id === r.id) own[p.service_id] = n(p.fee_minor);
      return { id: r.id, name: r.name, description: r.description, active: Boolean(r.active), prices: own };
    });
  }

  async programById(id: string, tx?: Transaction): Promise<FeeProgram | null> {
    return (await this.programs(tx)).find((p) => p.id === id) ?? null;
  }

  async saveProgram(p: FeeProgram, at: Date, tx: Transaction): Promise<void> {
    const exists = await this.#m.programs.findByPk(p.id, { transaction: tx });
    if (exists) {
      await this.#m.programs.update(
        { name: p.name, description: p.description, active: p.active },
        { where: { id: p.id }, transaction: tx },
      );
    } else {
      await this.#m.programs.create(
        { id: p.id, name: p.name, description: p.description, active: p.active, created_at: at },
        { transaction: tx },
      );
    }
    await this.#m.prices.destroy({ where: { program_id: p.id }, transaction: tx });
    const rows = Object.entries(p.prices).map(([serviceId, fee]) => ({
      program_id: p.id,
      service_id: serviceId,
      fee_minor: fee,
    }));
    if (rows.length) await this.#m.prices.bulkCreate(rows, { transaction: tx });
  }

  async programNameTaken(name: string, exceptId: string | null, tx?: Transaction): Promise<boolean> {
    const rows = await this.#m.programs.findAll({ transaction: tx });
    return plain(rows).some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  }

  // ---- provider profiles ----

  async provider(therapistId: string, tx?: Transaction): Promise<ProviderProfile> {
    const row = await this.#m.providers.findByPk(therapistId, { transaction: tx });
    if (!row) return { therapistId, npi: null, credentials: '' };
    const r = row.get({ plain: true });
    return { therapistId, npi: r.npi, credentials: r.credentials };
  }

  async saveProvider(p: ProviderProfile, at: Date, tx: Transaction): Promise<void> {
    await this.#m.providers.upsert(
      { therapist_id: p.therapistId, npi: p.npi, credentials: p.credentials, updated_at: at },
      { transaction: tx },
    );
  }

  // ---- client accounts ----

  async account(clientId: string, tx?: Transaction): Promise<ClientAccount> {
    const row = await this.#m.accounts.findByPk(clientId, { transaction: tx });
    if (!row) {
      return {
        clientId,
        programId: null,
        overrideProgramId: null,
        overrideReason: null,
        overrideBy: null,
        overrideAt: null,
        details: null,
      };
    }
    const r: ClientAccountRow = row.get({ plain: true });
    return {
      clientId,
      programId: r.program_id,
      overrideProgramId: r.override_program_id,
      overrideReason: this.#open<string>(r.override_reason_enc, 'override_reason', clientId),
      overrideBy: r.override_by,
      overrideAt: r.override_at ? new Date(r.override_at) : null,
      details: this.#open<ClientDetails>(r.details_enc, 'client_details', clientId),
    };
  }

  /** Program assignments of every client that has an account row (admin lists). */
  async accounts(
    tx?: Transaction,
  ): Promise<Map<string, { programId: string | null; overrideProgramId: string | null }>> {
    const rows = await this.#m.accounts.findAll({
      attributes: ['client_id', 'program_id', 'override_program_id'],
      transaction: tx,
    });
    return new Map(
      plain(rows).map((r) => [
        r.client_id,
        { programId: r.program_id, overrideProgramId: r.override_program_id },
      ]),
    );
  }

  async saveAccount(a: ClientAccount, at: Date, tx: Transaction): Promise<void> {
    await this.#m.accounts.upsert(
      {
        client_id: a.clientId,
        program_id: a.programId,
        override_program_id: a.overrideProgramId,
        override_reason_enc:
          a.overrideReason === null ? null : this.#seal(a.overrideReason, 'override_reason', a.clientId),
        override_by: a.overrideBy,
        override_at: a.overrideAt,
        details_enc: a.details === null ? null : this.#seal(a.details, 'client_details', a.clientId),
        updated_at: at,
      },
      { transaction: tx },
    );
  }

  // ---- invoice numbers ----

  /**
   * The next invoice number, taken inside the invoice's transaction. The counter row is written
   * first (an UPDATE), which holds its row lock on PostgreSQL until commit and the database's one
   * write lock on SQLite, so no two transactions can read the same value; a rollback undoes the
   * increment, so a number is never skipped either.
   */
  async nextInvoiceNumber(tx: Transaction): Promise<number> {
    const [affected] = await this.#m.counters.update(
      { last_value: this.#sequelize.literal('last_value + 1') as unknown as number },
      { where: { name: INVOICE_COUNTER }, transaction: tx },
    );
    if (!affected) {
      // No counter row yet (ensureCounters runs at start-up; this covers a database made without it).
      await this.#m.counters.create({ name: INVOICE_COUNTER, last_value: 1 }, { transaction: tx });
      return 1;
    }
    const row = await this.#m.counters.findByPk(INVOICE_COUNTER, { transaction: tx });
    return n(row?.get({ plain: true }).last_value ?? 0);
  }

  /** Creates the counter row if it is missing (at start-up), so the first invoices never race to insert it. */
  async ensureCounters(): Promise<void> {
    await this.#m.counters.findOrCreate({
      where: { name: INVOICE_COUNTER },
      defaults: { name: INVOICE_COUNTER, last_value: 0 },
    });
  }

  // ---- invoices ----

  async insertInvoice(i: Invoice, tx: Transaction): Promise<void> {
    await this.#m.invoices.create(
      {
        id: i.id,
        number: i.number,
        client_id: i.clientId,
        issued_on: i.issuedOn,
        due_on: i.dueOn,
        total_minor: i.totalMinor,
        currency: i.currency,
        created_by: i.createdBy,
        created_at: i.createdAt,
      },
      { transaction: tx },
    );
  }

  async invoiceById(id: string, tx?: Transaction): Promise<Invoice | null> {
    const row = await this.#m.invoices.findByPk(id, { transaction: tx });
    return row ? toInvoice(row.get({ plain: true })) : null;
  }

  async invoicesOf(clientId: string | null, tx?: Transaction): Promise<Invoice[]> {
    const rows = await this.#m.invoices.findAll({
      where: clientId ? { client_id: clientId } : {},
      order: [['number', 'DESC']],
      transaction: tx,
    });
    return rows.map((r) => toInvoice(r.get({ plain: true })));
  }

  // ---- charges ----

  #toCharge(r: ChargeRow, services: Map<string, Service>): Charge {
    const service = services.get(r.service_id);
    return {
      id: r.id,
      clientId: r.client_id,
      therapistId: r.therapist_id,
      appointmentId: r.appointment_id,
      origin: r.origin as ChargeOrigin,
      serviceId: r.service_id,
      serviceCode: service?.code ?? '?',
      serviceDescription: service?.description ?? '',
      dateOfService: r.date_of_service,
      units: r.units,
      unitFeeMinor: n(r.unit_fee_minor),
      amountMinor: n(r.amount_minor),
      placeOfService: r.place_of_service === '10' ? '10' : '02',
      placeConfirmed: Boolean(r.place_confirmed),
      modifiers: r.modifiers ? r.modifiers.split(',') : [],
      diagnoses: this.#open<DiagnosisPointer[]>(r.diagnoses_enc, 'charge_diagnoses', r.id) ?? [],
      programId: r.program_id,
      invoiceId: r.invoice_id,
      adjusted: r.adjusted_by !== null,
      createdAt: new Date(r.created_at),
    };
  }

  async #serviceMap(tx?: Transaction): Promise<Map<string, Service>> {
    return new Map((await this.services(tx)).map((s) => [s.id, s]));
  }

  /**
   * Inserts a charge unless its appointment already has one for this client (the unique index
   * decides, so two racing inserts make one charge). True when this call made it.
   */
  async insertChargeOnce(c: NewCharge, tx: Transaction): Promise<boolean> {
    if (c.appointmentId) {
      const existing = await this.#m.charges.findOne({
        where: { appointment_id: c.appointmentId, client_id: c.clientId },
        transaction: tx,
      });
      if (existing) return false;
    }
    await this.#m.charges.create(
      {
        id: c.id,
        client_id: c.clientId,
        therapist_id: c.therapistId,
        appointment_id: c.appointmentId,
        origin: c.origin,
        service_id: c.serviceId,
        date_of_service: c.dateOfService,
        units: c.units,
        unit_fee_minor: c.unitFeeMinor,
        amount_minor: c.amountMinor,
        place_of_service: c.placeOfService,
        place_confirmed: c.placeConfirmed,
        modifiers: c.modifiers.join(','),
        diagnoses_enc: c.diagnoses.length ? this.#seal(c.diagnoses, 'charge_diagnoses', c.id) : null,
        program_id: c.programId,
        invoice_id: null,
        adjusted_by: null,
        adjustment_reason_enc: null,
        created_at: c.createdAt,
        updated_at: c.createdAt,
      },
      { transaction: tx },
    );
    return true;
  }

  async chargeById(id: string, tx?: Transaction): Promise<Charge | null> {
    const row = await this.#m.charges.findByPk(id, { transaction: tx });
    return row ? this.#toCharge(row.get({ plain: true }), await this.#serviceMap(tx)) : null;
  }

  async chargeExistsFor(appointmentId: string, clientId: string, tx?: Transaction): Promise<boolean> {
    return (
      (await this.#m.charges.count({
        where: { appointment_id: appointmentId, client_id: clientId },
        transaction: tx,
      })) > 0
    );
  }

  /** A client's charges (null: everyone's), newest first; `uninvoiced` keeps only those not on an invoice. */
  async chargesOf(
    clientId: string | null,
    opts: { uninvoiced?: boolean; invoiceId?: string } = {},
    tx?: Transaction,
  ): Promise<Charge[]> {
    const where: Record<string, unknown> = {};
    if (clientId) where.client_id = clientId;
    if (opts.uninvoiced) where.invoice_id = { [Op.is]: null };
    if (opts.invoiceId) where.invoice_id = opts.invoiceId;
    const rows = await this.#m.charges.findAll({
      where,
      order: [
        ['date_of_service', 'DESC'],
        ['created_at', 'DESC'],
      ],
      transaction: tx,
    });
    const services = await this.#serviceMap(tx);
    return rows.map((r) => this.#toCharge(r.get({ plain: true }), services));
  }

  /** Puts charges on an invoice; only those still uninvoiced (a racing invoice cannot take them twice). */
  async assignInvoice(
    chargeIds: readonly string[],
    invoiceId: string,
    at: Date,
    tx: Transaction,
  ): Promise<number> {
    const [count] = await this.#m.charges.update(
      { invoice_id: invoiceId, updated_at: at },
      { where: { id: { [Op.in]: [...chargeIds] }, invoice_id: { [Op.is]: null } }, transaction: tx },
    );
    return count;
  }

  async adjustCharge(
    id: string,
    c: ChargeChanges,
    by: string,
    reason: string,
    at: Date,
    tx: Transaction,
  ): Promise<boolean> {
    const [count] = await this.#m.charges.update(
      {
        service_id: c.serviceId,
        units: c.units,
        unit_fee_minor: c.unitFeeMinor,
        amount_minor: c.amountMinor,
        place_of_service: c.placeOfService,
        modifiers: c.modifiers.join(','),
        diagnoses_enc: c.diagnoses.length ? this.#seal(c.diagnoses, 'charge_diagnoses', id) : null,
        adjusted_by: by,
        adjustment_reason_enc: this.#seal(reason, 'adjustment_reason', id),
        updated_at: at,
      },
      { where: { id, invoice_id: { [Op.is]: null } }, transaction: tx },
    );
    return count === 1;
  }

  /** A charge's diagnosis pointers only (money untouched, so invoiced or not). */
  async setChargeDiagnoses(
    id: string,
    diagnoses: readonly DiagnosisPointer[],
    at: Date,
    tx: Transaction,
  ): Promise<void> {
    await this.#m.charges.update(
      {
        diagnoses_enc: diagnoses.length ? this.#seal(diagnoses, 'charge_diagnoses', id) : null,
        updated_at: at,
      },
      { where: { id }, transaction: tx },
    );
  }

  // ---- payments ----

  async insertPayment(p: Payment, providerRef: string | null, tx: Transaction): Promise<void> {
    await this.#m.payments.create(
      {
        id: p.id,
        client_id: p.clientId,
        invoice_id: p.invoiceId,
        kind: p.kind,
        method: p.method,
        amount_minor: p.amountMinor,
        received_on: p.receivedOn,
        reference: p.reference,
        reason_enc: p.reason === null ? null : this.#seal(p.reason, 'payment_reason', p.id),
        provider_ref: providerRef,
        recorded_by: p.recordedBy,
        created_at: p.createdAt,
      },
      { transaction: tx },
    );
  }

  async providerRefSeen(providerRef: string, tx?: Transaction): Promise<boolean> {
    return (await this.#m.payments.count({ where: { provider_ref: providerRef }, transaction: tx })) > 0;
  }

  /** Payments, refunds and write-offs: of a client, of an invoice, or all; oldest first. */
  async paymentsOf(filter: { clientId?: string; invoiceId?: string }, tx?: Transaction): Promise<Payment[]> {
    const where: Record<string, string> = {};
    if (filter.clientId) where.client_id = filter.clientId;
    if (filter.invoiceId) where.invoice_id = filter.invoiceId;
    const rows = await this.#m.payments.findAll({
      where,
      order: [
        ['received_on', 'ASC'],
        ['created_at', 'ASC'],
      ],
      transaction: tx,
    });
    return rows.map((row) => {
      const r: PaymentRow = row.get({ plain: true });
      return {
        id: r.id,
        clientId: r.client_id,
        invoiceId: r.invoice_id,
        kind: r.kind as PaymentKind,
        method: r.method as PaymentMethod | null,
        amountMinor: n(r.amount_minor),
        receivedOn: r.received_on,
        reference: r.reference,
        reason: this.#open<string>(r.reason_enc, 'payment_reason', r.id),
        recordedBy: r.recorded_by,
        createdAt: new Date(r.created_at),
      };
    });
  }
}
