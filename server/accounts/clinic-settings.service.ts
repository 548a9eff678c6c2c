import type { Transaction } from 'sequelize';
import type { Clock } from '../shared/clock';
import type { AccessModels } from './access.model';

/** The clinic-wide settings accounts needs. The admin area adds its own columns and fields. */
export interface ClinicSettings {
  /** Null until setup names the clinic: the CLINIC_NAME setting is shown meanwhile. */
  readonly clinicName: string | null;
  /** Whether clients may create an account themselves (on by default). */
  readonly selfSignup: boolean;
}

const ROW_ID = 'clinic';
const DEFAULTS: ClinicSettings = { clinicName: null, selfSignup: true };

/** Reads and writes the single `clinic_settings` row; reads are cached because every page shows the name. */
export class ClinicSettingsService {
  readonly #models: AccessModels;
  readonly #clock: Clock;
  #cached: ClinicSettings | null = null;

  constructor(models: AccessModels, clock: Clock) {
    this.#models = models;
    this.#clock = clock;
  }

  async get(): Promise<ClinicSettings> {
    if (this.#cached) return this.#cached;
    const row = await this.#models.clinicSettings.findByPk(ROW_ID);
    const settings = row
      ? { clinicName: row.get('clinic_name') as string | null, selfSignup: Boolean(row.get('self_signup')) }
      : DEFAULTS;
    this.#cached = settings;
    return settings;
  }

  async update(changes: Partial<ClinicSettings>, transaction?: Transaction): Promise<ClinicSettings> {
    const current = await this.get();
    const next = { ...current, ...changes };
    const values = {
      clinic_name: next.clinicName,
      self_signup: next.selfSignup,
      updated_at: this.#clock.now(),
    };
    const existing = await this.#models.clinicSettings.findByPk(ROW_ID, { transaction });
    if (existing) {
      await this.#models.clinicSettings.update(values, { where: { id: ROW_ID }, transaction });
    } else {
      await this.#models.clinicSettings.create(
        { id: ROW_ID, setup_completed_at: null, ...values },
        { transaction },
      );
    }
    this.#cached = null;
    if (transaction) {
      transaction.afterCommit(() => {
        this.#cached = null;
      });
    }
    return next;
  }
}
