import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { auditAppointment } from './booking-steps';
import type { SchedulingRepository } from './scheduling.repository';
import { canChooseE2ee, canViewAppointment, hasMedia, isActive, stillAhead } from './scheduling.policy';
import { e2eeChoiceSchema } from './scheduling.schemas';
import type { Actor, Appointment } from './scheduling.types';

/**
 * Checks the caller of `choose` adds before anything is written, once the appointments are known
 * (the rooms feature: the clinic offers the choice, and none of these sessions' rooms is in use).
 */
export type E2eeChoiceGuard = (appointments: readonly Appointment[]) => Promise<void>;

export interface SessionEncryptionDeps {
  readonly sequelize: Sequelize;
  readonly repo: SchedulingRepository;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * The therapist's per-session choice of end-to-end encrypted media (issue 23, item 3), stored on the
 * appointment. Scheduling keeps the fact and its rule (scheduling.policy `canChooseE2ee`); what it
 * means for a room, and whether the clinic offers the choice at all, is the rooms feature's.
 */
export class SessionEncryptionChoice {
  readonly #d: SessionEncryptionDeps;

  constructor(deps: SessionEncryptionDeps) {
    this.#d = deps;
  }

  /**
   * Sets the choice on one appointment, or on it and the series' later ones still going ahead
   * (`scope: 'rest'`). Anyone who cannot view the appointment gets `appointment.not_found`; a
   * participant who is not its therapist `appointment.forbidden`. Each change is audited.
   */
  async choose(actor: Actor, id: string, input: unknown, guard: E2eeChoiceGuard): Promise<Appointment[]> {
    const a = await this.#d.repo.byId(id);
    if (!a || !canViewAppointment(actor, a)) throw new AppError('appointment.not_found', 'not_found');
    if (!canChooseE2ee(actor, a)) {
      throw new AppError('appointment.forbidden', 'forbidden', phrase('e2ee:choice.therapistOnly'));
    }
    if (!stillAhead(a, this.#d.clock.now())) {
      throw new AppError('appointment.not_active', 'conflict', phrase('e2ee:choice.over'));
    }
    if (!hasMedia(a)) {
      throw new AppError('appointment.e2ee_not_offered', 'conflict', phrase('e2ee:choice.noMedia'));
    }
    const parsed = e2eeChoiceSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError('appointment.invalid', 'bad_request', phrase('e2ee:choice.pickOne'));
    }
    const { encrypted, scope } = parsed.data;
    const later = scope === 'rest' && a.seriesId ? await this.#d.repo.seriesFrom(a.seriesId, a.start) : [a];
    const targets = later.filter((t) => t.id === a.id || (isActive(t) && hasMedia(t)));
    await guard(targets);
    return this.#d.sequelize.transaction(async (transaction) => {
      const now = this.#d.clock.now();
      for (const t of targets) {
        await this.#d.repo.update(t.id, { e2ee_chosen: encrypted, bumpSequence: false, now }, transaction);
        await auditAppointment(this.#d, actor, 'appointment.e2ee_chosen', t, transaction, {
          encrypted,
          scope,
        });
      }
      return targets.map((t) => ({ ...t, e2eeChosen: encrypted }));
    });
  }
}
