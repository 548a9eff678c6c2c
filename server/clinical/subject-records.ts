import {
  DataTypes,
  Op,
  QueryTypes,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import type { ClinicalModels } from './clinical.model';
import type { IntakeRecord, IntakeRepository } from './intake.repository';
import type { MeasureResult, MeasuresRepository } from './measures.repository';
import type { Addendum, Note, NotesRepository } from './notes.repository';
import { CARE_REMEMBERED } from './care.repository';
import { BatchLoader, forgetInRequest } from '../shared/request-scope';

/** Request-scope memo name: every clinical access check of a page asks whether the record is restricted. */
const RESTRICTION = 'restriction';

/**
 * One client's clinical record as a data subject sees it (data rights, issue 9), and the restriction
 * that follows an approved erasure request.
 *
 * Deliberately NOT exported: psychotherapy notes. They are the therapist's private process notes,
 * kept apart from the record (clinical.policy: "only their author, while treating"), and access
 * rights commonly exempt them (e.g. HIPAA 45 CFR 164.524(a)(1)(i)). Draft progress notes are not
 * exported either: they are not part of the record until signed.
 */
export interface ClinicalExport {
  readonly measures: readonly MeasureResult[];
  readonly notes: readonly (Note & { readonly addenda: readonly Addendum[] })[];
  readonly intake: IntakeRecord | null;
}

export interface Restriction {
  readonly clientId: string;
  readonly reason: string;
  readonly restrictedAt: Date;
  readonly purgeAfter: Date;
}

interface RestrictionRow {
  client_id: string;
  reason: string;
  restricted_at: Date;
  purge_after: Date;
}

export type RestrictionModel = ModelStatic<Model<RestrictionRow>>;

/** `clinical_restrictions` (migration 20261126-1201). */
export function defineRestrictionModel(sequelize: Sequelize): RestrictionModel {
  return sequelize.define<Model<RestrictionRow>>(
    'ClinicalRestriction',
    {
      client_id: { type: DataTypes.STRING(36), primaryKey: true },
      reason: { type: DataTypes.STRING(30), allowNull: false },
      restricted_at: { type: DataTypes.DATE, allowNull: false },
      purge_after: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'clinical_restrictions', timestamps: false },
  );
}

/** Rows deleted per table by a purge (ids and counts only ever reach the audit trail). */
export type PurgeCounts = Record<string, number>;

export class ClinicalSubjectRecords {
  readonly #m: ClinicalModels;
  readonly #restrictions: RestrictionModel;
  readonly #measures: MeasuresRepository;
  readonly #notes: NotesRepository;
  readonly #intake: IntakeRepository;
  /** Restrictions of the clients asked about in one turn (each client of a page's access checks), in one read. */
  readonly #restrictionOfMany: BatchLoader<Restriction>;

  constructor(deps: {
    models: ClinicalModels;
    restrictions: RestrictionModel;
    measures: MeasuresRepository;
    notes: NotesRepository;
    intake: IntakeRepository;
  }) {
    this.#m = deps.models;
    this.#restrictions = deps.restrictions;
    this.#measures = deps.measures;
    this.#notes = deps.notes;
    this.#intake = deps.intake;
    this.#restrictionOfMany = new BatchLoader(RESTRICTION, async (clientIds) => {
      const found = await this.#restrictionsOf(clientIds);
      return new Map(found.map((r) => [r.clientId, r]));
    });
  }

  /**
   * The client's own record, opened. No policy check here: the caller (data rights) only ever asks
   * for the signed-in client's own id, and records the export in the audit trail.
   */
  async exportOf(clientId: string): Promise<ClinicalExport> {
    const notes = (await this.#notes.ofClient(clientId)).filter((n) => n.status === 'signed');
    const withAddenda = [];
    for (const note of notes) withAddenda.push({ ...note, addenda: await this.#notes.addendaOf(note.id) });
    return {
      measures: await this.#measures.responsesOf(clientId),
      notes: withAddenda,
      intake: await this.#intake.latestIntake(clientId),
    };
  }

  /**
   * Inside a transaction: read now. Outside one: read together with the other clients asked about
   * in the same turn, and remembered for the rest of a GET request (server/shared/request-scope.ts),
   * so a page whose reads each check access asks once.
   */
  restrictionOf(clientId: string, transaction?: Transaction): Promise<Restriction | null> {
    if (transaction) return this.#restrictionsOf([clientId], transaction).then(([r]) => r ?? null);
    return this.#restrictionOfMany.load(clientId);
  }

  /**
   * Plain SQL: every clinical read asks this first, and Sequelize's query building and model
   * instances cost more than the read. Dates are text from SQLite and Dates from PostgreSQL.
   */
  async #restrictionsOf(clientIds: readonly string[], transaction?: Transaction): Promise<Restriction[]> {
    const rows = await this.#restrictions.sequelize!.query<{
      client_id: string;
      reason: string;
      restricted_at: Date | string;
      purge_after: Date | string;
    }>(
      `SELECT client_id, reason, restricted_at, purge_after FROM clinical_restrictions
        WHERE client_id IN (:clientIds)`,
      { replacements: { clientIds }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map((p) => ({
      clientId: p.client_id,
      reason: p.reason,
      restrictedAt: new Date(p.restricted_at),
      purgeAfter: new Date(p.purge_after),
    }));
  }

  /**
   * Restricts the record: from now on ClinicalAccess refuses everyone except an admin holding a
   * break-glass grant. Care ends (the client leaves caseloads) and measure assignments stop.
   */
  async restrict(clientId: string, reason: string, now: Date, purgeAfter: Date, tx: Transaction) {
    forgetInRequest(this.#restrictionOfMany.prefix);
    // Care ends below, behind the care repository's back: its remembered caseloads go too.
    forgetInRequest(CARE_REMEMBERED);
    await this.#restrictions.upsert(
      { client_id: clientId, reason, restricted_at: now, purge_after: purgeAfter },
      { transaction: tx },
    );
    await this.#m.care.update(
      { ended_at: now },
      { where: { client_id: clientId, ended_at: null }, transaction: tx },
    );
    await this.#m.measureAssignments.update(
      { active: false },
      { where: { client_id: clientId, active: true }, transaction: tx },
    );
  }

  /** Restrictions whose retention period has ended. */
  async dueForPurge(now: Date, limit = 100): Promise<Restriction[]> {
    const rows = await this.#restrictions.findAll({
      where: { purge_after: { [Op.lte]: now } },
      order: [['purge_after', 'ASC']],
      limit,
    });
    return Promise.all(rows.map(async (r) => (await this.restrictionOf(r.get('client_id') as string))!));
  }

  /** Deletes every clinical row about the client (psychotherapy notes included), then the restriction. */
  async purge(clientId: string, tx: Transaction): Promise<PurgeCounts> {
    forgetInRequest(this.#restrictionOfMany.prefix);
    forgetInRequest(CARE_REMEMBERED);
    this.#intake.forgetConfirmedChecks();
    const m = this.#m;
    const where = { client_id: clientId };
    const noteIds = (await m.notes.findAll({ where, attributes: ['id'], transaction: tx })).map(
      (r) => r.get('id') as string,
    );
    const counts: PurgeCounts = {};
    counts.note_addenda =
      noteIds.length > 0
        ? await m.addenda.destroy({ where: { note_id: { [Op.in]: noteIds } }, transaction: tx })
        : 0;
    // Alerts point at responses, so they go first.
    counts.crisis_alerts = await m.alerts.destroy({ where, transaction: tx });
    counts.clinical_notes = await m.notes.destroy({ where, transaction: tx });
    counts.psychotherapy_notes = await m.psychotherapyNotes.destroy({ where, transaction: tx });
    counts.measure_responses = await m.responses.destroy({ where, transaction: tx });
    counts.measure_assignments = await m.measureAssignments.destroy({ where, transaction: tx });
    counts.intake_records = await m.intakes.destroy({ where, transaction: tx });
    counts.session_safety_checks = await m.safetyChecks.destroy({ where, transaction: tx });
    counts.consent_signatures = await m.consentSignatures.destroy({ where, transaction: tx });
    counts.session_feedback = await m.feedback.destroy({ where, transaction: tx });
    counts.break_glass_grants = await m.breakGlass.destroy({ where, transaction: tx });
    counts.care_begun_by_appointment = await m.careOrigins.destroy({ where, transaction: tx });
    counts.care_assignments = await m.care.destroy({ where, transaction: tx });
    await this.#restrictions.destroy({ where, transaction: tx });
    return counts;
  }
}
