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

/**
 * Reads and writes the single `clinic_settings` row; reads are cached because every page shows the
 * name. The cache is dropped on every write here and, with several nodes, when another node says it
 * changed the settings ({@link forget}, from the cluster bus).
 */
export class ClinicSettingsService {
  readonly #models: AccessModels;
  readonly #clock: Clock;
  #cached: ClinicSettings | null = null;
  /** Bumped by every forget(), so a read that started before a change is not kept after it. */
  #generation = 0;

  constructor(models: AccessModels, clock: Clock) {
    this.#models = models;
    this.#clock = clock;
  }

  async get(): Promise<ClinicSettings> {
    if (this.#cached) return this.#cached;
    const generation = this.#generation;
    const row = await this.#models.clinicSettings.findByPk(ROW_ID);
    const settings = row
      ? { clinicName: row.get('clinic_name') as string | null, selfSignup: Boolean(row.get('self_signup')) }
      : DEFAULTS;
    if (generation === this.#generation) this.#cached = settings;
    return settings;
  }

  /** Drops the cached row: the next read asks the database (another node changed it). */
  forget(): void {
    this.#cached = null;
    this.#generation += 1;
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
    this.forget();
    if (transaction) transaction.afterCommit(() => this.forget());
    return next;
  }
}
