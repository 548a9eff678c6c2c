import { UniqueConstraintError, type Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import { notFound, type BillingAccess } from './billing-access';
import { canAdjustCharge } from './billing.policy';
import type { BillingRepository, NewCharge } from './billing.repository';
import { adjustSchema, parseOrThrow } from './billing.schemas';
import type {
  AppointmentSource,
  BillableAppointment,
  BillingActor,
  BillingSettings,
  Charge,
  ChargeOrigin,
  DiagnosisPointer,
  DiagnosisSource,
  PlaceSource,
  Service,
} from './billing.types';
import type { CatalogService } from './catalog.service';
import { fieldAmount } from './catalog.service';
import { dayIn } from './days';
import { times, type Minor } from './money';

/** How far back the sweep looks for held appointments without a charge (a crash between the two). */
const SWEEP_DAYS = 45;
/** A superbill has room for four diagnosis pointers per line (as a claim form does). */
const MAX_POINTERS = 4;

/** What an appointment's outcome bills as, if anything. */
/** Diagnoses as a charge's pointers: primary first, at most MAX_POINTERS (a claim line's limit). */
function pointersOf(
  list: ReadonlyArray<{ code: string; description: string; rank: 'primary' | 'secondary' }>,
): DiagnosisPointer[] {
  return [...list]
    .sort((x, y) => (x.rank === y.rank ? 0 : x.rank === 'primary' ? -1 : 1))
    .slice(0, MAX_POINTERS)
    .map((d) => ({ code: d.code, description: d.description }));
}

export function originOf(a: BillableAppointment, s: BillingSettings): ChargeOrigin | null {
  if (a.status === 'completed') return 'session';
  if (a.status === 'no_show') return s.chargeNoShow ? 'no_show' : null;
  if (a.status === 'cancelled' && a.lateCancellation) return s.chargeLateCancel ? 'late_cancel' : null;
  // Requested, confirmed (not yet held), declined, on-time cancellations: nothing.
  return null;
}

/** Telehealth modifiers: 95 for a video session, 93 for audio only (when the clinic uses them). */
export function modifiersFor(a: BillableAppointment, origin: ChargeOrigin, s: BillingSettings): string[] {
  if (origin !== 'session' || !s.telehealthModifier) return [];
  if (a.format === 'video') return ['95'];
  if (a.format === 'audio') return ['93'];
  return [];
}

/**
 * Charges: one per held appointment and client, made when scheduling says an appointment was
 * completed, missed or cancelled late, and again by a sweep that finds any the first path missed.
 * The unique index on (appointment, client) makes both paths — and a second "end", a reconnect,
 * two processes — agree on one charge. Until invoiced, a charge can be adjusted (audited, with a reason).
 */
export class ChargesService {
  readonly #sequelize: Sequelize;
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #catalog: CatalogService;
  readonly #appointments: AppointmentSource;
  readonly #places: PlaceSource | null;
  readonly #logger: Logger;
  readonly #timeZone: () => Promise<string>;
  readonly #diagnoses: DiagnosisSource | null;

  constructor(deps: {
    sequelize: Sequelize;
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    catalog: CatalogService;
    appointments: AppointmentSource;
    places: PlaceSource | null;
    diagnoses: DiagnosisSource | null;
    logger: Logger;
    timeZone: () => Promise<string>;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#catalog = deps.catalog;
    this.#appointments = deps.appointments;
    this.#places = deps.places;
    this.#diagnoses = deps.diagnoses;
    this.#logger = deps.logger;
    this.#timeZone = deps.timeZone;
  }

  /** The fee a client pays for a service: their override program, else their program, else the clinic's default, else the standard fee. */
  async feeFor(clientId: string, service: Service): Promise<{ feeMinor: Minor; programId: string | null }> {
    const [account, settings] = await Promise.all([this.#repo.account(clientId), this.#repo.settings()]);
    const programId = account.overrideProgramId ?? account.programId ?? settings.defaultProgramId;
    const program = programId ? await this.#repo.programById(programId) : null;
    const own = program?.prices[service.id];
    return { feeMinor: own ?? service.feeMinor, programId: program?.id ?? null };
  }

  async #serviceFor(a: BillableAppointment, origin: ChargeOrigin): Promise<Service | null> {
    const services = await this.#repo.services();
    if (origin === 'late_cancel' || origin === 'no_show') {
      return services.find((s) => s.role === origin && s.active) ?? null;
    }
    const mapping = (await this.#catalog.typeMappings()).find((m) => m.typeId === a.typeId);
    return services.find((s) => s.id === mapping?.serviceId) ?? null;
  }

  /**
   * The client's diagnoses in force on the day, as the charge's pointers (primary first), read as
   * `reader` (care planning checks and audits the read). Null when they could not be read: care may
   * have ended since the session, or the reader is not the treating therapist.
   */
  async #pointers(
    reader: BillingActor,
    clientId: string,
    day: string,
    purpose: string,
  ): Promise<DiagnosisPointer[] | null> {
    if (!this.#diagnoses) return null;
    try {
      return pointersOf(await this.#diagnoses.inForceOn(reader, clientId, day, purpose));
    } catch (error) {
      // The charge is still due without them; the therapist's adjustment reads them again.
      this.#logger.warn({ err: error, purpose }, 'diagnoses for a charge could not be read');
      return null;
    }
  }

  /**
   * Makes the charge(s) an appointment's outcome calls for, once. Returns the charges made now
   * (none when they exist already, or the outcome bills nothing). Safe to call any number of times.
   */
  async chargeAppointment(appointmentId: string): Promise<Charge[]> {
    const a = await this.#appointments.appointment(appointmentId);
    if (!a) return [];
    const settings = await this.#repo.settings();
    const origin = originOf(a, settings);
    if (!origin) return [];
    const service = await this.#serviceFor(a, origin);
    if (!service) {
      this.#logger.warn({ appointmentId, origin }, 'no billing service for this appointment: no charge made');
      return [];
    }
    const day = dayIn(a.start, await this.#timeZone());
    const made: Charge[] = [];
    for (const clientId of a.clientIds) {
      if (await this.#repo.chargeExistsFor(a.id, clientId)) continue;
      const { feeMinor, programId } = await this.feeFor(clientId, service);
      const atHome = this.#places ? await this.#places.atHomeFor(clientId, a.id) : null;
      const charge: NewCharge = {
        id: newId(),
        clientId,
        therapistId: a.therapistId,
        appointmentId: a.id,
        origin,
        serviceId: service.id,
        dateOfService: day,
        units: 1,
        unitFeeMinor: feeMinor,
        amountMinor: times(feeMinor, 1),
        // Without the client's own answer, 02 (telehealth somewhere other than home) until adjusted.
        placeOfService: atHome === true ? '10' : '02',
        placeConfirmed: atHome !== null,
        modifiers: modifiersFor(a, origin, settings),
        diagnoses:
          origin === 'session'
            ? ((await this.#pointers(
                { id: a.therapistId, roles: ['therapist'], ip: null },
                clientId,
                day,
                `charge:${a.id}`,
              )) ?? [])
            : [],
        programId,
        createdAt: this.#clock.now(),
      };
      try {
        const created = await this.#sequelize.transaction(async (tx) => {
          if (!(await this.#repo.insertChargeOnce(charge, tx))) return false;
          await this.#access.record(
            null,
            'billing.charge.created',
            { type: 'billing_charge', id: charge.id, clientId },
            tx,
            {
              origin,
              appointmentId: a.id,
            },
          );
          return true;
        });
        if (created) made.push((await this.#repo.chargeById(charge.id))!);
      } catch (error) {
        // Another path made it between our check and our insert: the index kept it to one.
        if (!(error instanceof UniqueConstraintError)) throw error;
      }
    }
    return made;
  }

  /** Finds held appointments of the last weeks that have no charge yet and makes them. */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    const from = new Date(now.getTime() - SWEEP_DAYS * 86_400_000);
    let made = 0;
    for (const a of await this.#appointments.billableBetween(from, now)) {
      made += (await this.chargeAppointment(a.id)).length;
    }
    return made;
  }

  /** Changes a charge before it is invoiced; the reason is kept (sealed) and the change audited. */
  /** One charge for its adjustment form: the treating therapist or an admin; the read is audited. */
  async forEdit(actor: BillingActor, chargeId: string): Promise<Charge> {
    const charge = await this.#repo.chargeById(chargeId);
    if (!charge) throw notFound();
    await this.#access.require(actor, charge.clientId, (f) => canAdjustCharge(actor, f));
    await this.#access.record(actor, 'billing.charge.viewed', {
      type: 'billing_charge',
      id: chargeId,
      clientId: charge.clientId,
    });
    return charge;
  }

  async adjust(
    actor: BillingActor,
    chargeId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<Charge> {
    const charge = await this.#repo.chargeById(chargeId);
    if (!charge) throw notFound();
    await this.#access.require(actor, charge.clientId, (f) => canAdjustCharge(actor, f));
    const form = parseOrThrow(adjustSchema, input, 'billing.charge_invalid');
    if (charge.invoiceId) {
      throw new AppError('billing.charge_invoiced', 'conflict', phrase('billing:problem.chargeInvoiced'));
    }
    const service = await this.#repo.serviceById(form.serviceId);
    if (!service)
      throw fieldRefusal(
        'billing.charge_invalid',
        'serviceId',
        phrase('billing:problem.chooseServiceFromList'),
      );
    const { currency } = await this.#repo.settings();
    const unitFeeMinor = fieldAmount(form.unitFee, currency, 'unitFee');
    // A diagnosis recorded after the session reaches its charge here: the pointers are read again
    // for the date of service (a session's charge only; fees for missed sessions carry none).
    const diagnoses =
      charge.origin === 'session'
        ? ((await this.#pointers(actor, charge.clientId, charge.dateOfService, `charge:${charge.id}`)) ??
          charge.diagnoses)
        : charge.diagnoses;
    await this.#sequelize.transaction(async (tx) => {
      const changed = await this.#repo.adjustCharge(
        chargeId,
        {
          serviceId: service.id,
          units: form.units,
          unitFeeMinor,
          amountMinor: times(unitFeeMinor, form.units),
          placeOfService: form.placeOfService,
          modifiers: form.modifiers,
          diagnoses,
        },
        actor.id,
        form.reason,
        this.#clock.now(),
        tx,
      );
      if (!changed)
        throw new AppError(
          'billing.charge_invoiced',
          'conflict',
          phrase('billing:problem.chargeInvoicedMeanwhile'),
        );
      await this.#access.record(
        actor,
        'billing.charge.adjusted',
        { type: 'billing_charge', id: chargeId, clientId: charge.clientId },
        tx,
      );
    });
    return (await this.#repo.chargeById(chargeId))!;
  }

  /**
   * Reads the client's diagnoses in force on the date of service into a session's charge again (a
   * diagnosis recorded after the session). Money does not change, so an invoiced charge may take it
   * too: a superbill needs the codes. Care planning decides whether `actor` may read them (the
   * treating therapist); when it refuses, nothing changes and the refusal is the answer.
   */
  async refreshDiagnoses(actor: BillingActor, chargeId: string): Promise<Charge> {
    const charge = await this.#repo.chargeById(chargeId);
    if (!charge) throw notFound();
    await this.#access.require(actor, charge.clientId, (f) => canAdjustCharge(actor, f));
    if (charge.origin !== 'session' || !this.#diagnoses) {
      throw new AppError('billing.charge_invalid', 'bad_request', phrase('billing:problem.noDiagnoses'));
    }
    const list = await this.#diagnoses.inForceOn(
      actor,
      charge.clientId,
      charge.dateOfService,
      `charge:${charge.id}`,
    );
    const pointers = pointersOf(list);
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.setChargeDiagnoses(chargeId, pointers, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.charge.diagnoses_read',
        { type: 'billing_charge', id: chargeId, clientId: charge.clientId },
        tx,
        { count: pointers.length },
      );
    });
    return (await this.#repo.chargeById(chargeId))!;
  }
}
