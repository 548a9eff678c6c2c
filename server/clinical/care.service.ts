import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { BreakGlassGrant, CareAssignment, CareRepository } from './care.repository';
import type { ClinicalActor } from './clinical-access';
import { canManageCare, canOpenBreakGlass } from './clinical.policy';
import type { ClinicalSettings, PeopleLookup } from './clinical.types';

/** How long an emergency-access reason is, in characters. */
const BREAK_GLASS_REASON = { min: 10, max: 1000 } as const;

/** One client's care that an appointment begins or ends, and who acted (for the audit trail). */
export interface AppointmentCare {
  readonly therapistId: string;
  readonly clientId: string;
  readonly appointmentId: string;
  /** The person whose act confirmed or cancelled the appointment. */
  readonly actorId: string;
  readonly ip?: string | null;
}

export interface BreakGlassView extends BreakGlassGrant {
  readonly adminName: string;
  readonly clientName: string;
}

/** Care relationships (who treats whom) and admins' emergency access. */
export class CareService {
  readonly #sequelize: Sequelize;
  readonly #care: CareRepository;
  readonly #audit: AuditTrail;
  readonly #people: PeopleLookup;
  readonly #settings: ClinicalSettings;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    care: CareRepository;
    audit: AuditTrail;
    people: PeopleLookup;
    settings: ClinicalSettings;
    clock: Clock;
  }) {
    this.#sequelize = deps.sequelize;
    this.#care = deps.care;
    this.#audit = deps.audit;
    this.#people = deps.people;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
  }

  /**
   * Makes `therapistId` the treating therapist of `clientId`. `actor` null is the system (e.g. a
   * booking confirmed by scheduling); a person must be an admin.
   */
  async assign(actor: ClinicalActor | null, therapistId: string, clientId: string): Promise<void> {
    if (actor && !canManageCare(actor)) {
      throw new AppError('clinical.forbidden', 'forbidden', phrase('clinical:problem.adminAssigns'));
    }
    const [therapist, client] = await Promise.all([
      this.#people.byId(therapistId),
      this.#people.byId(clientId),
    ]);
    if (!therapist?.roles.includes('therapist'))
      throw new AppError('clinical.not_a_therapist', 'bad_request', phrase('clinical:problem.notATherapist'));
    if (!client?.roles.includes('client'))
      throw new AppError('clinical.not_a_client', 'bad_request', phrase('clinical:problem.notAClient'));
    if (therapistId === clientId)
      throw new AppError('clinical.self_care', 'bad_request', phrase('clinical:problem.selfCare'));
    await this.#sequelize.transaction(async (tx) => {
      await this.#care.assign(therapistId, clientId, actor?.id ?? null, this.#clock.now(), tx);
      await this.#audit.record(
        {
          actorId: actor?.id ?? null,
          action: 'care.assigned',
          targetType: 'user',
          targetId: therapistId,
          subjectId: clientId,
          ip: actor?.ip ?? null,
        },
        tx,
      );
    });
  }

  async end(actor: ClinicalActor, therapistId: string, clientId: string): Promise<void> {
    if (!canManageCare(actor))
      throw new AppError('clinical.forbidden', 'forbidden', phrase('clinical:problem.adminEndsCare'));
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#care.end(therapistId, clientId, this.#clock.now(), tx))) {
        throw new AppError('clinical.care_not_found', 'not_found', phrase('clinical:problem.noSuchCare'));
      }
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'care.ended',
          targetType: 'user',
          targetId: therapistId,
          subjectId: clientId,
          ip: actor.ip ?? null,
        },
        tx,
      );
    });
  }

  /**
   * A therapist leaves: every client they treat is handed to `toId` (care with `fromId` ends), all in
   * one transaction so no client is left without a therapist half-way. One audit row per client.
   * Returns how many clients moved.
   */
  async transferCaseload(actor: ClinicalActor, fromId: string, toId: string): Promise<number> {
    if (!canManageCare(actor)) {
      throw new AppError('clinical.forbidden', 'forbidden', phrase('clinical:problem.adminTransfers'));
    }
    if (fromId === toId) {
      throw new AppError('clinical.same_therapist', 'bad_request', phrase('clinical:problem.sameTherapist'));
    }
    const to = await this.#people.byId(toId);
    if (!to?.roles.includes('therapist') || to.status !== 'active') {
      throw new AppError(
        'clinical.not_a_therapist',
        'bad_request',
        phrase('clinical:problem.activeTherapist'),
      );
    }
    return this.#sequelize.transaction(async (tx) => {
      const now = this.#clock.now();
      const clients = await this.#care.clientsOf(fromId, tx);
      for (const { clientId } of clients) {
        if (clientId === toId) continue; // a therapist who is also a client cannot treat themself
        await this.#care.assign(toId, clientId, actor.id, now, tx);
        await this.#care.end(fromId, clientId, now, tx);
        await this.#audit.record(
          {
            actorId: actor.id,
            action: 'care.transferred',
            targetType: 'user',
            targetId: toId,
            subjectId: clientId,
            ip: actor.ip ?? null,
            details: { from: fromId },
          },
          tx,
        );
      }
      return clients.filter((c) => c.clientId !== toId).length;
    });
  }

  /**
   * Care begun by a confirmed appointment (scheduling's care rule decides when; see
   * scheduling/care-rule.ts). Runs in the caller's transaction so the appointment and the care it
   * begins are written together. Nothing happens while the two are already in care.
   */
  async beginWithAppointment(p: AppointmentCare, transaction: Transaction): Promise<boolean> {
    if (p.therapistId === p.clientId)
      throw new AppError('clinical.self_care', 'bad_request', phrase('clinical:problem.selfCare'));
    const begun = await this.#care.beginWithAppointment(p, this.#clock.now(), transaction);
    if (begun) await this.#auditAppointmentCare('care.assigned', p, transaction);
    return begun;
  }

  /**
   * Ends care that this appointment began, when it is cancelled or declined before anything else
   * happened between the two (scheduling checks that). Care an admin assigned is never ended here.
   */
  async endBegunWith(p: AppointmentCare, transaction: Transaction): Promise<boolean> {
    const ended = await this.#care.endBegunWith(p, this.#clock.now(), transaction);
    if (ended) await this.#auditAppointmentCare('care.ended', p, transaction);
    return ended;
  }

  async #auditAppointmentCare(action: string, p: AppointmentCare, transaction: Transaction): Promise<void> {
    await this.#audit.record(
      {
        actorId: p.actorId,
        action,
        targetType: 'user',
        targetId: p.therapistId,
        subjectId: p.clientId,
        ip: p.ip ?? null,
        details: { via: 'appointment', appointmentId: p.appointmentId },
      },
      transaction,
    );
  }

  async isTreating(therapistId: string, clientId: string): Promise<boolean> {
    return (await this.#care.treatingTherapistIds(clientId)).includes(therapistId);
  }

  clientsOf(therapistId: string): Promise<CareAssignment[]> {
    return this.#care.clientsOf(therapistId);
  }

  treatingTherapistIds(clientId: string): Promise<string[]> {
    return this.#care.treatingTherapistIds(clientId);
  }

  /** An admin's emergency access to one client's record, for a limited time, with a reason. */
  async breakGlass(actor: ClinicalActor, clientId: string, reason: string): Promise<BreakGlassGrant> {
    if (!canOpenBreakGlass(actor, clientId)) {
      throw new AppError('clinical.forbidden', 'forbidden', phrase('clinical:problem.adminBreakGlass'));
    }
    const trimmed = reason.trim();
    if (trimmed.length < BREAK_GLASS_REASON.min || trimmed.length > BREAK_GLASS_REASON.max) {
      throw new AppError(
        'clinical.break_glass_reason',
        'bad_request',
        phrase('clinical:problem.breakGlassReason', BREAK_GLASS_REASON),
      );
    }
    if (!(await this.#people.byId(clientId))?.roles.includes('client')) {
      throw new AppError('clinical.not_a_client', 'bad_request', phrase('clinical:problem.notAClient'));
    }
    const now = this.#clock.now();
    const grant: BreakGlassGrant = {
      id: newId(),
      adminId: actor.id,
      clientId,
      reason: trimmed,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.#settings.breakGlassMinutes * 60_000),
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#care.insertBreakGlass(grant, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'break_glass.opened',
          targetType: 'break_glass_grant',
          targetId: grant.id,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { minutes: this.#settings.breakGlassMinutes },
        },
        tx,
      );
    });
    return grant;
  }

  /** Emergency accesses to this therapist's clients, with who, when and why. */
  async breakGlassSeenBy(therapist: ClinicalActor): Promise<BreakGlassView[]> {
    const clients = (await this.#care.clientsOf(therapist.id)).map((c) => c.clientId);
    const grants = await this.#care.breakGlassFor(clients);
    const views: BreakGlassView[] = [];
    for (const g of grants) {
      const [admin, client] = await Promise.all([
        this.#people.byId(g.adminId),
        this.#people.byId(g.clientId),
      ]);
      views.push({
        ...g,
        adminName: admin?.displayName ?? 'an admin',
        clientName: client?.displayName ?? 'a client',
      });
    }
    return views;
  }
}
