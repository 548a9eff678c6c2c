import { Op, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import { REASON_CONTEXT } from './booking-steps';
import type { SchedulingModels } from './scheduling.model';
import { ACTIVE_STATUSES, type AppointmentFormat, type AppointmentStatus } from './scheduling.types';

/** One of the client's appointments as their export shows it. */
export interface AppointmentExport {
  readonly id: string;
  readonly therapistId: string;
  readonly typeName: string;
  readonly start: Date;
  readonly end: Date;
  readonly status: AppointmentStatus;
  readonly format: AppointmentFormat;
  /** What the client wrote when booking, opened; null when none. */
  readonly reason: string | null;
  readonly createdAt: Date;
}

/**
 * Scheduling's part of data rights (issue 9). Past appointments belong to the clinical record (they
 * document that care happened) and stay until the retention purge; appointments still ahead are
 * cancelled on erasure (their slot claims released) and the client's calendar feed is revoked. The
 * free-text reason for visit is deleted from the client's own appointments: it is their words to the
 * scheduler (like a message), and scheduling shows it to the therapist without clinical's
 * restriction check, so keeping it would leave it readable.
 */
export class SchedulingSubjectRecords {
  readonly #m: SchedulingModels;
  readonly #cipher: FieldCipher;

  constructor(models: SchedulingModels, cipher: FieldCipher) {
    this.#m = models;
    this.#cipher = cipher;
  }

  async appointmentIdsOf(clientId: string, tx?: Transaction): Promise<string[]> {
    const links = await this.#m.participants.findAll({ where: { client_id: clientId }, transaction: tx });
    return links.map((l) => l.get({ plain: true }).appointment_id);
  }

  async exportOf(clientId: string): Promise<AppointmentExport[]> {
    const ids = await this.appointmentIdsOf(clientId);
    if (ids.length === 0) return [];
    const rows = await this.#m.appointments.findAll({
      where: { id: { [Op.in]: ids } },
      order: [['start_at', 'ASC']],
    });
    const typeNames = new Map(
      (await this.#m.types.findAll()).map(
        (t) => [t.get({ plain: true }).id, t.get({ plain: true }).name] as [string, string],
      ),
    );
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        therapistId: p.therapist_id,
        typeName: typeNames.get(p.appointment_type_id) ?? 'Appointment',
        start: new Date(p.start_at),
        end: new Date(p.end_at),
        status: p.status as AppointmentStatus,
        format: p.format as AppointmentFormat,
        reason: p.reason_cipher ? this.#cipher.decrypt(p.reason_cipher, REASON_CONTEXT) : null,
        createdAt: new Date(p.created_at),
      };
    });
  }

  /** Cancels the client's requested/confirmed appointments that start after `now`; returns how many. */
  async cancelUpcoming(clientId: string, by: string, now: Date, tx: Transaction): Promise<number> {
    const ids = await this.appointmentIdsOf(clientId, tx);
    if (ids.length === 0) return 0;
    const upcoming = await this.#m.appointments.findAll({
      where: { id: { [Op.in]: ids }, start_at: { [Op.gt]: now }, status: { [Op.in]: [...ACTIVE_STATUSES] } },
      transaction: tx,
    });
    for (const row of upcoming) {
      const id = row.get({ plain: true }).id;
      await this.#m.claims.destroy({ where: { appointment_id: id }, transaction: tx });
      await row.update(
        {
          status: 'cancelled',
          cancelled_by: by,
          cancelled_at: now,
          sequence: Number(row.get({ plain: true }).sequence) + 1,
          updated_at: now,
        },
        { transaction: tx },
      );
    }
    await this.#m.feeds.destroy({ where: { user_id: clientId }, transaction: tx });
    return upcoming.length;
  }

  /**
   * Deletes the reason for visit of the client's appointments: those they booked, and those where
   * they are the only client (a shared appointment someone else booked keeps that person's words).
   */
  async eraseReasons(clientId: string, now: Date, tx: Transaction): Promise<number> {
    const ids = await this.appointmentIdsOf(clientId, tx);
    if (ids.length === 0) return 0;
    const links = await this.#m.participants.findAll({
      where: { appointment_id: { [Op.in]: ids } },
      transaction: tx,
    });
    const clients = new Map<string, number>();
    for (const l of links) {
      const id = l.get({ plain: true }).appointment_id;
      clients.set(id, (clients.get(id) ?? 0) + 1);
    }
    const sole = ids.filter((id) => clients.get(id) === 1);
    const [count] = await this.#m.appointments.update(
      { reason_cipher: null, updated_at: now },
      {
        where: {
          id: { [Op.in]: ids },
          reason_cipher: { [Op.ne]: null },
          [Op.or]: [{ booked_by: clientId }, { id: { [Op.in]: sole } }],
        },
        transaction: tx,
      },
    );
    return count;
  }

  /**
   * At the end of retention: the client leaves every appointment; an appointment left with no
   * client (an individual session) is deleted with its slot claims. Returns appointments deleted.
   */
  async purge(clientId: string, tx: Transaction): Promise<number> {
    const ids = await this.appointmentIdsOf(clientId, tx);
    await this.#m.participants.destroy({ where: { client_id: clientId }, transaction: tx });
    if (ids.length === 0) return 0;
    const stillShared = new Set(
      (
        await this.#m.participants.findAll({
          where: { appointment_id: { [Op.in]: ids } },
          transaction: tx,
        })
      ).map((l) => l.get({ plain: true }).appointment_id),
    );
    const orphaned = ids.filter((id) => !stillShared.has(id));
    if (orphaned.length === 0) return 0;
    await this.#m.claims.destroy({ where: { appointment_id: { [Op.in]: orphaned } }, transaction: tx });
    return this.#m.appointments.destroy({ where: { id: { [Op.in]: orphaned } }, transaction: tx });
  }
}
