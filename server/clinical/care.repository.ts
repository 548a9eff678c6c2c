import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { ClinicalModels } from './clinical.model';
import type { Sealer } from './sealer';
import { BatchLoader, forgetInRequest, rememberInRequest } from '../shared/request-scope';

/** Request-scope memo prefix: who treats whom is asked several times by one page. */
export const CARE_REMEMBERED = 'care:';
const REMEMBERED = CARE_REMEMBERED;

export interface CareAssignment {
  readonly therapistId: string;
  readonly clientId: string;
  readonly startedAt: Date;
}

/** A care relationship and the appointment that began it. */
export interface AppointmentCareKey {
  readonly therapistId: string;
  readonly clientId: string;
  readonly appointmentId: string;
}

export interface BreakGlassGrant {
  readonly id: string;
  readonly adminId: string;
  readonly clientId: string;
  readonly reason: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Care assignments (who treats whom) and break-glass grants. */
export class CareRepository {
  readonly #m: ClinicalModels;
  readonly #sealer: Sealer;
  /**
   * Who treats each client, for the clients asked about in one turn (a therapist's "today" checks
   * access to every client of the day's sessions): one statement for all of them. Remembered under
   * the care prefix, so every write of care forgets it.
   */
  readonly #treating: BatchLoader<string[]>;

  constructor(models: ClinicalModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
    this.#treating = new BatchLoader(`${REMEMBERED}treating`, async (clientIds) => {
      const byClient = new Map<string, string[]>();
      for (const r of await this.#current('client_id IN (:id)', clientIds)) {
        byClient.set(r.clientId, [...(byClient.get(r.clientId) ?? []), r.therapistId]);
      }
      return byClient;
    });
  }

  async assign(
    therapistId: string,
    clientId: string,
    by: string | null,
    now: Date,
    transaction?: Transaction,
  ): Promise<void> {
    forgetInRequest(REMEMBERED);
    const existing = await this.#m.care.findOne({
      where: { therapist_id: therapistId, client_id: clientId },
      transaction,
    });
    // An admin's assignment is the admin's from now on: cancelling a booking no longer ends it.
    await this.#m.careOrigins.destroy({
      where: { therapist_id: therapistId, client_id: clientId },
      transaction,
    });
    if (existing) {
      await existing.update({ ended_at: null, started_at: now, assigned_by: by }, { transaction });
      return;
    }
    await this.#m.care.create(
      { therapist_id: therapistId, client_id: clientId, assigned_by: by, started_at: now, ended_at: null },
      { transaction },
    );
  }

  /**
   * Care begun by a confirmed appointment: nothing changes while the two are already in care;
   * otherwise care starts (or starts again) now, remembering the appointment. True when it began.
   */
  async beginWithAppointment(
    { therapistId, clientId, appointmentId }: AppointmentCareKey,
    now: Date,
    transaction?: Transaction,
  ): Promise<boolean> {
    forgetInRequest(REMEMBERED);
    const pair = { therapist_id: therapistId, client_id: clientId };
    const existing = await this.#m.care.findOne({ where: pair, transaction });
    if (existing && existing.get({ plain: true }).ended_at === null) return false;
    const begun = { started_at: now, ended_at: null, assigned_by: null };
    if (existing) await existing.update(begun, { transaction });
    else await this.#m.care.create({ ...pair, ...begun }, { transaction });
    await this.#m.careOrigins.destroy({ where: pair, transaction });
    await this.#m.careOrigins.create(
      { ...pair, appointment_id: appointmentId, begun_at: now },
      { transaction },
    );
    return true;
  }

  /** Ends care only if this appointment began it and it is still current. True when it ended. */
  async endBegunWith(
    { therapistId, clientId, appointmentId }: AppointmentCareKey,
    now: Date,
    transaction?: Transaction,
  ): Promise<boolean> {
    forgetInRequest(REMEMBERED);
    const pair = { therapist_id: therapistId, client_id: clientId };
    const origin = await this.#m.careOrigins.findOne({
      where: { ...pair, appointment_id: appointmentId },
      transaction,
    });
    if (!origin) return false;
    await origin.destroy({ transaction });
    return this.end(therapistId, clientId, now, transaction);
  }

  async end(therapistId: string, clientId: string, now: Date, transaction?: Transaction): Promise<boolean> {
    forgetInRequest(REMEMBERED);
    const [count] = await this.#m.care.update(
      { ended_at: now },
      { where: { therapist_id: therapistId, client_id: clientId, ended_at: null }, transaction },
    );
    return count > 0;
  }

  /**
   * Inside a transaction: read now. Outside one: remembered for the rest of a GET request
   * (server/shared/request-scope.ts), as a copy, so a caller cannot change what others are given.
   */
  async #rememberedUnlessIn<T>(
    key: string,
    transaction: Transaction | undefined,
    read: (transaction?: Transaction) => Promise<T[]>,
  ): Promise<T[]> {
    if (transaction) return read(transaction);
    return [...(await rememberInRequest(`${REMEMBERED}${key}`, () => read()))];
  }

  /** Inside a transaction: read now. Outside one: batched with the other clients asked in this turn. */
  async treatingTherapistIds(clientId: string, transaction?: Transaction): Promise<string[]> {
    if (transaction) {
      return (await this.#current('client_id = :id', clientId, transaction)).map((r) => r.therapistId);
    }
    // A copy, so a caller cannot change what others in the request are given.
    return [...((await this.#treating.load(clientId)) ?? [])];
  }

  clientsOf(therapistId: string, transaction?: Transaction): Promise<CareAssignment[]> {
    return this.#rememberedUnlessIn(`clients:${therapistId}`, transaction, (tx) =>
      this.#current('therapist_id = :id', therapistId, tx),
    );
  }

  /**
   * Current care assignments matching `condition` (one of those above), oldest first. Plain SQL:
   * the header's badge and most staff pages ask, and Sequelize's query building and model instances
   * cost more than the read. started_at is text from SQLite and a Date from PostgreSQL.
   */
  async #current(
    condition: 'client_id = :id' | 'therapist_id = :id' | 'client_id IN (:id)',
    id: string | readonly string[],
    transaction?: Transaction,
  ): Promise<CareAssignment[]> {
    const rows = await this.#m.care.sequelize!.query<{
      therapist_id: string;
      client_id: string;
      started_at: Date | string;
    }>(
      `SELECT therapist_id, client_id, started_at FROM care_assignments
        WHERE ${condition} AND ended_at IS NULL
        ORDER BY started_at ASC`,
      { replacements: { id }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map((r) => ({
      therapistId: r.therapist_id,
      clientId: r.client_id,
      startedAt: new Date(r.started_at),
    }));
  }

  async insertBreakGlass(grant: BreakGlassGrant, transaction?: Transaction): Promise<void> {
    await this.#m.breakGlass.create(
      {
        id: grant.id,
        admin_id: grant.adminId,
        client_id: grant.clientId,
        reason_enc: this.#sealer.seal(grant.reason, 'break_glass_grants', 'reason', grant.id),
        created_at: grant.createdAt,
        expires_at: grant.expiresAt,
      },
      { transaction },
    );
  }

  async activeBreakGlass(
    adminId: string,
    clientId: string,
    now: Date,
    transaction?: Transaction,
  ): Promise<string | null> {
    const row = await this.#m.breakGlass.findOne({
      where: { admin_id: adminId, client_id: clientId, expires_at: { [Op.gt]: now } },
      order: [['created_at', 'DESC']],
      transaction,
    });
    return row ? row.get({ plain: true }).id : null;
  }

  /** Grants on these clients' records, newest first (shown to their therapist). */
  async breakGlassFor(clientIds: readonly string[], transaction?: Transaction): Promise<BreakGlassGrant[]> {
    if (clientIds.length === 0) return [];
    const rows = await this.#m.breakGlass.findAll({
      where: { client_id: { [Op.in]: [...clientIds] } },
      order: [['created_at', 'DESC']],
      limit: 50,
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        adminId: p.admin_id,
        clientId: p.client_id,
        reason: this.#sealer.open<string>(p.reason_enc, 'break_glass_grants', 'reason', p.id),
        createdAt: new Date(p.created_at),
        expiresAt: new Date(p.expires_at),
      };
    });
  }
}
