import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { newId } from '../shared/ids';
import type { BillingAccess } from './billing-access';
import { canEditProvider, canManageCatalog } from './billing.policy';
import type { BillingRepository } from './billing.repository';
import {
  parseOrThrow,
  programSchema,
  providerSchema,
  serviceSchema,
  settingsSchema,
} from './billing.schemas';
import type {
  AppointmentSource,
  BillingActor,
  BillingSettings,
  FeeProgram,
  ProviderProfile,
  Service,
} from './billing.types';
import { parseAmount, type Minor } from './money';
import { defaultCodeFor, STARTING_SERVICES } from './service-catalog';

const forbidden = () => new AppError('billing.forbidden', 'forbidden', phrase('billing:problem.adminOnly'));

/** An appointment type with the service it bills as (its own mapping, or the default by length and kind). */
export interface TypeMapping {
  readonly typeId: string;
  readonly typeName: string;
  readonly serviceId: string | null;
  readonly mapped: boolean;
}

/**
 * The clinic's price list: billing settings, services, fee programs (sliding scale), which service
 * each appointment type bills as, and each therapist's billing identity (NPI, credentials).
 */
export class CatalogService {
  readonly #sequelize: Sequelize;
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #appointments: AppointmentSource;

  constructor(deps: {
    sequelize: Sequelize;
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    appointments: AppointmentSource;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#appointments = deps.appointments;
  }

  /** First start: the psychotherapy codes and the clinic items (fees 0 until the clinic sets them). */
  async ensureStartingServices(): Promise<void> {
    await this.#sequelize.transaction(async (tx) => {
      const have = new Set((await this.#repo.services(tx)).map((s) => s.code));
      for (const entry of STARTING_SERVICES) {
        if (have.has(entry.code)) continue;
        await this.#repo.insertService(
          { id: newId(), ...entry, feeMinor: 0, active: true },
          this.#clock.now(),
          tx,
        );
      }
    });
    await this.#repo.ensureCounters();
  }

  settings(): Promise<BillingSettings> {
    return this.#repo.settings();
  }

  async saveSettings(
    actor: BillingActor,
    input: Readonly<Record<string, unknown>>,
  ): Promise<BillingSettings> {
    if (!canManageCatalog(actor)) throw forbidden();
    const form = parseOrThrow(settingsSchema, input, 'billing.settings_invalid');
    if (form.defaultProgramId && !(await this.#repo.programById(form.defaultProgramId))) {
      throw fieldRefusal(
        'billing.settings_invalid',
        'defaultProgramId',
        phrase('billing:problem.chooseProgram'),
      );
    }
    const settings: BillingSettings = {
      currency: form.currency,
      telehealthModifier: form.telehealthModifier,
      invoicing: form.invoicing,
      paymentTermsDays: form.paymentTermsDays,
      chargeLateCancel: form.chargeLateCancel,
      chargeNoShow: form.chargeNoShow,
      clinicNpi: form.clinicNpi || null,
      taxId: form.taxNumber || null,
      address: form.address,
      defaultProgramId: form.defaultProgramId,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.saveSettings(settings, actor.id, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.settings.updated',
        { type: 'billing_settings', id: null, clientId: null },
        tx,
      );
    });
    return settings;
  }

  services(): Promise<Service[]> {
    return this.#repo.services();
  }

  /** Creates a service (no id) or changes one (its code stays: charges already point at it). */
  async saveService(
    actor: BillingActor,
    serviceId: string | null,
    input: Readonly<Record<string, unknown>>,
  ): Promise<Service> {
    if (!canManageCatalog(actor)) throw forbidden();
    const form = parseOrThrow(serviceSchema, input, 'billing.service_invalid');
    const { currency } = await this.#repo.settings();
    const feeMinor = fieldAmount(form.fee, currency, 'fee');
    return this.#sequelize.transaction(async (tx) => {
      const now = this.#clock.now();
      let saved: Service;
      if (serviceId) {
        const old = await this.#repo.serviceById(serviceId, tx);
        if (!old)
          throw new AppError('billing.not_found', 'not_found', phrase('billing:problem.noSuchService'));
        saved = {
          ...old,
          description: form.description,
          durationMinutes: form.durationMinutes,
          feeMinor,
          active: form.active,
        };
        await this.#repo.updateService(saved, now, tx);
      } else {
        if (await this.#repo.serviceByCode(form.code, tx)) {
          throw fieldRefusal('billing.service_invalid', 'code', phrase('billing:problem.codeTaken'));
        }
        saved = {
          id: newId(),
          code: form.code,
          kind: /^\d{5}$/.test(form.code) ? 'cpt' : 'clinic',
          description: form.description,
          durationMinutes: form.durationMinutes,
          feeMinor,
          role: form.role,
          active: true,
        };
        await this.#repo.insertService(saved, now, tx);
      }
      await this.#access.record(
        actor,
        'billing.service.saved',
        { type: 'billing_service', id: saved.id, clientId: null },
        tx,
      );
      return saved;
    });
  }

  programs(): Promise<FeeProgram[]> {
    return this.#repo.programs();
  }

  /**
   * Creates or changes a fee program. Prices come as `price_<serviceId>` fields: empty means the
   * service's standard fee; 0 is a price (pro bono is a program whose prices are all 0).
   */
  async saveProgram(
    actor: BillingActor,
    programId: string | null,
    input: Readonly<Record<string, unknown>>,
  ): Promise<FeeProgram> {
    if (!canManageCatalog(actor)) throw forbidden();
    const form = parseOrThrow(programSchema, input, 'billing.program_invalid');
    const { currency } = await this.#repo.settings();
    const services = await this.#repo.services();
    const prices: Record<string, Minor> = {};
    for (const s of services) {
      const raw = input[`price_${s.id}`];
      if (typeof raw !== 'string' || raw.trim() === '') continue;
      prices[s.id] = fieldAmount(raw, currency, `price_${s.id}`);
    }
    return this.#sequelize.transaction(async (tx) => {
      if (programId && !(await this.#repo.programById(programId, tx))) {
        throw new AppError('billing.not_found', 'not_found', phrase('billing:problem.noSuchProgram'));
      }
      if (await this.#repo.programNameTaken(form.name, programId, tx)) {
        throw fieldRefusal('billing.program_invalid', 'name', phrase('billing:problem.programNameTaken'));
      }
      const program: FeeProgram = {
        id: programId ?? newId(),
        name: form.name,
        description: form.description,
        active: programId ? form.active : true,
        prices,
      };
      await this.#repo.saveProgram(program, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.program.saved',
        { type: 'billing_fee_program', id: program.id, clientId: null },
        tx,
      );
      return program;
    });
  }

  /** Every active appointment type with the service it bills as. */
  async typeMappings(): Promise<TypeMapping[]> {
    const [types, map, services] = await Promise.all([
      this.#appointments.types(),
      this.#repo.typeServiceMap(),
      this.#repo.services(),
    ]);
    return types.map((t) => {
      const own = map.get(t.id) ?? null;
      const fallback = services.find((s) => s.code === defaultCodeFor(t.kind, t.durationMinutes))?.id ?? null;
      return { typeId: t.id, typeName: t.name, serviceId: own ?? fallback, mapped: own !== null };
    });
  }

  async mapType(actor: BillingActor, typeId: string, serviceId: string | null): Promise<void> {
    if (!canManageCatalog(actor)) throw forbidden();
    const types = await this.#appointments.types();
    if (!types.some((t) => t.id === typeId))
      throw new AppError('billing.not_found', 'not_found', phrase('billing:problem.noSuchType'));
    if (serviceId && !(await this.#repo.serviceById(serviceId))) {
      throw fieldRefusal(
        'billing.service_invalid',
        'serviceId',
        phrase('billing:problem.chooseServiceFromList'),
      );
    }
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.setTypeService(typeId, serviceId, tx);
      await this.#access.record(
        actor,
        'billing.type_service.saved',
        { type: 'appointment_type', id: typeId, clientId: null },
        tx,
      );
    });
  }

  provider(therapistId: string): Promise<ProviderProfile> {
    return this.#repo.provider(therapistId);
  }

  async saveProvider(
    actor: BillingActor,
    input: Readonly<Record<string, unknown>>,
  ): Promise<ProviderProfile> {
    if (!canEditProvider(actor, actor.id))
      throw new AppError('billing.forbidden', 'forbidden', phrase('billing:problem.therapistsOnly'));
    const form = parseOrThrow(providerSchema, input, 'billing.provider_invalid');
    const profile: ProviderProfile = {
      therapistId: actor.id,
      npi: form.npi || null,
      credentials: form.credentials,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.saveProvider(profile, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.provider.updated',
        { type: 'billing_provider', id: actor.id, clientId: null },
        tx,
        {
          hasNpi: profile.npi !== null,
        },
      );
    });
    return profile;
  }
}

/** An amount from a form field, its problem reported under that field. */
export function fieldAmount(raw: string, currency: string, field: string): Minor {
  try {
    return parseAmount(raw, currency);
  } catch (error) {
    if (error instanceof AppError && error.phrase)
      throw new AppError(error.code, 'bad_request', error.phrase, { [field]: error.phrase });
    throw error;
  }
}
