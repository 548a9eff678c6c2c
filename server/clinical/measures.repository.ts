import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { ClinicalModels, MeasureAssignmentRow } from './clinical.model';
import type { Difficulty, MeasureId, MeasureScore } from './measures';
import type { Sealer } from './sealer';

export type ResponseSource = 'intake' | 'assigned' | 'self';

/** One completed questionnaire, opened. */
export interface MeasureResult extends MeasureScore {
  readonly id: string;
  readonly clientId: string;
  readonly source: ResponseSource;
  readonly difficulty: Difficulty | null;
  readonly submittedAt: Date;
}

export type Cadence = 'once' | 'weekly' | 'every_2_weeks' | 'monthly' | 'before_each_session';

export interface MeasureAssignment {
  readonly id: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly measure: MeasureId;
  readonly cadence: Cadence;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly lastCompletedAt: Date | null;
}

/** That a client answered a questionnaire, and when (the therapist's "new answers to review"). */
export interface SubmissionListing {
  readonly clientId: string;
  readonly measure: MeasureId;
  readonly submittedAt: Date;
}

export interface CrisisAlert {
  readonly id: string;
  readonly clientId: string;
  readonly createdAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
}

type Sealed = Omit<MeasureResult, 'id' | 'clientId' | 'source' | 'submittedAt'>;

const T = 'measure_responses';

export class MeasuresRepository {
  readonly #m: ClinicalModels;
  readonly #sealer: Sealer;

  constructor(models: ClinicalModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
  }

  async insertResponse(result: MeasureResult, transaction: Transaction): Promise<void> {
    const sealed: Sealed = {
      measure: result.measure,
      answers: result.answers,
      total: result.total,
      severity: result.severity,
      severityLabel: result.severityLabel,
      crisis: result.crisis,
      difficulty: result.difficulty,
    };
    await this.#m.responses.create(
      {
        id: result.id,
        client_id: result.clientId,
        measure: result.measure,
        source: result.source,
        result_enc: this.#sealer.seal(sealed, T, 'result', result.id),
        submitted_at: result.submittedAt,
      },
      { transaction },
    );
  }

  /** A client's results, oldest first. */
  async responsesOf(
    clientId: string,
    measure?: MeasureId,
    transaction?: Transaction,
  ): Promise<MeasureResult[]> {
    const rows = await this.#m.responses.findAll({
      where: { client_id: clientId, ...(measure ? { measure } : {}) },
      order: [['submitted_at', 'ASC']],
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      const opened = this.#sealer.open<Sealed>(p.result_enc, T, 'result', p.id);
      return {
        ...opened,
        id: p.id,
        clientId: p.client_id,
        source: p.source as ResponseSource,
        submittedAt: new Date(p.submitted_at),
      };
    });
  }

  /** Which of these clients answered which questionnaire since `since`: no answers, no scores. */
  async submittedSince(clientIds: readonly string[], since: Date): Promise<SubmissionListing[]> {
    if (clientIds.length === 0) return [];
    const rows = await this.#m.responses.findAll({
      where: { client_id: { [Op.in]: [...clientIds] }, submitted_at: { [Op.gte]: since } },
      attributes: ['client_id', 'measure', 'submitted_at'],
      order: [['submitted_at', 'DESC']],
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        clientId: p.client_id,
        measure: p.measure as MeasureId,
        submittedAt: new Date(p.submitted_at),
      };
    });
  }

  async insertAlert(alert: CrisisAlert, responseId: string, transaction: Transaction): Promise<void> {
    await this.#m.alerts.create(
      {
        id: alert.id,
        client_id: alert.clientId,
        response_id: responseId,
        created_at: alert.createdAt,
        acknowledged_at: null,
        acknowledged_by: null,
      },
      { transaction },
    );
  }

  /**
   * Unacknowledged alerts, oldest first. Plain SQL: the therapist's "today" asks on every visit.
   * Dates are text from SQLite and Dates from PostgreSQL (toAlert reads both).
   */
  async openAlerts(clientIds: readonly string[] | 'all', transaction?: Transaction): Promise<CrisisAlert[]> {
    if (clientIds !== 'all' && clientIds.length === 0) return [];
    const rows = await this.#m.alerts.sequelize!.query<AlertRow>(
      `SELECT id, client_id, created_at, acknowledged_at, acknowledged_by FROM crisis_alerts
        WHERE acknowledged_at IS NULL${clientIds === 'all' ? '' : ' AND client_id IN (:clientIds)'}
        ORDER BY created_at ASC`,
      { replacements: clientIds === 'all' ? {} : { clientIds }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map(toAlert);
  }

  async alertById(id: string, transaction?: Transaction): Promise<CrisisAlert | null> {
    const row = await this.#m.alerts.findByPk(id, { transaction });
    return row ? toAlert(row.get({ plain: true })) : null;
  }

  async acknowledge(id: string, by: string, at: Date, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.alerts.update(
      { acknowledged_at: at, acknowledged_by: by },
      { where: { id, acknowledged_at: null }, transaction },
    );
    return count > 0;
  }

  async insertAssignment(a: MeasureAssignment, transaction: Transaction): Promise<void> {
    await this.#m.measureAssignments.create(
      {
        id: a.id,
        client_id: a.clientId,
        therapist_id: a.therapistId,
        measure: a.measure,
        cadence: a.cadence,
        active: a.active,
        created_at: a.createdAt,
        last_completed_at: null,
      },
      { transaction },
    );
  }

  /** Plain SQL: the client's clinical page asks on every visit (a boolean is 1 on SQLite, true on PostgreSQL). */
  async activeAssignments(clientId: string, transaction?: Transaction): Promise<MeasureAssignment[]> {
    const rows = await this.#m.measureAssignments.sequelize!.query<AssignmentRead>(
      `SELECT id, client_id, therapist_id, measure, cadence, active, created_at, last_completed_at
         FROM measure_assignments
        WHERE client_id = :clientId AND active = :active
        ORDER BY created_at ASC`,
      { replacements: { clientId, active: true }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map(toAssignment);
  }

  /** Marks the client's active assignments of this measure completed; a one-off one ends. */
  async completeAssignments(clientId: string, measure: MeasureId, at: Date, transaction: Transaction) {
    await this.#m.measureAssignments.update(
      { last_completed_at: at },
      { where: { client_id: clientId, measure, active: true }, transaction },
    );
    await this.#m.measureAssignments.update(
      { active: false },
      { where: { client_id: clientId, measure, active: true, cadence: 'once' }, transaction },
    );
  }

  async deactivateAssignment(id: string, clientId: string, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.measureAssignments.update(
      { active: false },
      { where: { id, client_id: clientId, active: true }, transaction },
    );
    return count > 0;
  }
}

/** A crisis alert's row: dates as Dates (a model, PostgreSQL) or text (SQLite, read in plain SQL). */
interface AlertRow {
  id: string;
  client_id: string;
  created_at: Date | string;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
}

function toAlert(p: AlertRow): CrisisAlert {
  return {
    id: p.id,
    clientId: p.client_id,
    createdAt: new Date(p.created_at),
    acknowledgedAt: p.acknowledged_at ? new Date(p.acknowledged_at) : null,
    acknowledgedBy: p.acknowledged_by,
  };
}

/** An assignment's row from a model, or from plain SQL (dates as text and a 0/1 boolean on SQLite). */
type AssignmentRead = Omit<MeasureAssignmentRow, 'active' | 'created_at' | 'last_completed_at'> & {
  active: boolean | number;
  created_at: Date | string;
  last_completed_at: Date | string | null;
};

function toAssignment(p: AssignmentRead): MeasureAssignment {
  return {
    id: p.id,
    clientId: p.client_id,
    therapistId: p.therapist_id,
    measure: p.measure as MeasureId,
    cadence: p.cadence as Cadence,
    active: Boolean(p.active),
    createdAt: new Date(p.created_at),
    lastCompletedAt: p.last_completed_at ? new Date(p.last_completed_at) : null,
  };
}
