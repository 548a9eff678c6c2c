import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sealer } from '../clinical';
import type { CarePlanningModels, CarePlanRow, DiagnosisRow } from './care-planning.model';
import type {
  CarePlan,
  Diagnosis,
  DiagnosisRank,
  Intervention,
  IsoDay,
  PlanBody,
  PlanStatus,
} from './care-planning.types';

type SealedDiagnosis = Pick<Diagnosis, 'code' | 'description' | 'rank'>;

/** Dates from DATEONLY columns arrive as strings on both dialects; keep them as `YYYY-MM-DD`. */
const isoDay = (v: string | Date | null): IsoDay | null =>
  v === null ? null : typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);

/** Diagnoses, plan versions, note↔goal links and the clinic's interventions. Plain objects out. */
export class CarePlanningRepository {
  readonly #m: CarePlanningModels;
  readonly #sealer: Sealer;

  constructor(models: CarePlanningModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
  }

  // ── diagnoses ────────────────────────────────────────────────────────────────────────────────

  #toDiagnosis(p: DiagnosisRow): Diagnosis {
    const sealed = this.#sealer.open<SealedDiagnosis>(p.details_enc, 'care_diagnoses', 'details', p.id);
    return {
      id: p.id,
      clientId: p.client_id,
      recordedBy: p.recorded_by,
      code: sealed.code,
      description: sealed.description,
      rank: sealed.rank,
      onsetOn: isoDay(p.onset_on) as IsoDay,
      endedOn: isoDay(p.ended_on),
      createdAt: new Date(p.created_at),
      updatedAt: new Date(p.updated_at),
    };
  }

  async insertDiagnosis(d: Diagnosis, transaction: Transaction): Promise<void> {
    const sealed: SealedDiagnosis = { code: d.code, description: d.description, rank: d.rank };
    await this.#m.diagnoses.create(
      {
        id: d.id,
        client_id: d.clientId,
        recorded_by: d.recordedBy,
        details_enc: this.#sealer.seal(sealed, 'care_diagnoses', 'details', d.id),
        onset_on: d.onsetOn,
        ended_on: d.endedOn,
        created_at: d.createdAt,
        updated_at: d.updatedAt,
      },
      { transaction },
    );
  }

  async diagnosisById(id: string, transaction?: Transaction): Promise<Diagnosis | null> {
    const row = await this.#m.diagnoses.findByPk(id, { transaction });
    return row ? this.#toDiagnosis(row.get({ plain: true })) : null;
  }

  /** A client's diagnoses, current first (primary before secondary), then ended ones. */
  async diagnosesOf(clientId: string, transaction?: Transaction): Promise<Diagnosis[]> {
    const rows = await this.#m.diagnoses.findAll({
      where: { client_id: clientId },
      order: [['onset_on', 'DESC']],
      transaction,
    });
    return sortDiagnoses(rows.map((r) => this.#toDiagnosis(r.get({ plain: true }))));
  }

  /** The diagnoses in force on `day`: begun on or before it, not ended before it. */
  async diagnosesOn(clientId: string, day: IsoDay, transaction?: Transaction): Promise<Diagnosis[]> {
    const rows = await this.#m.diagnoses.findAll({
      where: {
        client_id: clientId,
        onset_on: { [Op.lte]: day },
        [Op.or]: [{ ended_on: null }, { ended_on: { [Op.gte]: day } }],
      },
      transaction,
    });
    // All of these are in force on that day, even one that ends on it: primary first.
    return sortDiagnoses(
      rows.map((r) => this.#toDiagnosis(r.get({ plain: true }))),
      false,
    );
  }

  async endDiagnosis(id: string, endedOn: IsoDay, now: Date, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.diagnoses.update(
      { ended_on: endedOn, updated_at: now },
      { where: { id, ended_on: null }, transaction },
    );
    return count > 0;
  }

  // ── plans ────────────────────────────────────────────────────────────────────────────────────

  #toPlan(p: CarePlanRow): CarePlan {
    return {
      id: p.id,
      clientId: p.client_id,
      therapistId: p.therapist_id,
      version: p.version,
      previousId: p.previous_id,
      status: p.status as PlanStatus,
      body: this.#sealer.open<PlanBody>(p.body_enc, 'care_plans', 'body', p.id),
      revision: p.revision,
      createdAt: new Date(p.created_at),
      updatedAt: new Date(p.updated_at),
      signedAt: p.signed_at ? new Date(p.signed_at) : null,
      reviewDueOn: isoDay(p.review_due_on),
      clientSignature:
        p.client_signed_at && p.client_signature_enc
          ? {
              typedName: this.#sealer.open<string>(
                p.client_signature_enc,
                'care_plans',
                'client_signature',
                p.id,
              ),
              at: new Date(p.client_signed_at),
              ip: p.client_sign_ip,
            }
          : null,
      supersededAt: p.superseded_at ? new Date(p.superseded_at) : null,
    };
  }

  async insertPlan(plan: CarePlan, transaction: Transaction): Promise<void> {
    await this.#m.plans.create(
      {
        id: plan.id,
        client_id: plan.clientId,
        therapist_id: plan.therapistId,
        version: plan.version,
        previous_id: plan.previousId,
        status: 'draft',
        body_enc: this.#sealer.seal(plan.body, 'care_plans', 'body', plan.id),
        revision: 1,
        created_at: plan.createdAt,
        updated_at: plan.updatedAt,
        signed_at: null,
        review_due_on: null,
        client_signed_at: null,
        client_signature_enc: null,
        client_sign_ip: null,
        superseded_at: null,
      },
      { transaction },
    );
  }

  async planById(id: string, transaction?: Transaction): Promise<CarePlan | null> {
    const row = await this.#m.plans.findByPk(id, { transaction });
    return row ? this.#toPlan(row.get({ plain: true })) : null;
  }

  /** Every version of a client's plan, newest first. */
  async plansOf(clientId: string, transaction?: Transaction): Promise<CarePlan[]> {
    const rows = await this.#m.plans.findAll({
      where: { client_id: clientId },
      order: [['version', 'DESC']],
      transaction,
    });
    return rows.map((r) => this.#toPlan(r.get({ plain: true })));
  }

  /** Saves a draft only if it is still a draft at the revision the editor loaded (like notes). */
  async saveDraft(id: string, body: PlanBody, revision: number, now: Date, transaction: Transaction) {
    const [count] = await this.#m.plans.update(
      {
        body_enc: this.#sealer.seal(body, 'care_plans', 'body', id),
        revision: revision + 1,
        updated_at: now,
      },
      { where: { id, status: 'draft', revision }, transaction },
    );
    return count > 0;
  }

  /** Draft → active; the version it reviews (if any) becomes superseded in the same transaction. */
  async sign(plan: CarePlan, now: Date, reviewDueOn: IsoDay, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.plans.update(
      { status: 'active', signed_at: now, updated_at: now, review_due_on: reviewDueOn },
      { where: { id: plan.id, status: 'draft' }, transaction },
    );
    if (count === 0) return false;
    await this.#m.plans.update(
      { status: 'superseded', superseded_at: now },
      { where: { client_id: plan.clientId, status: 'active', id: { [Op.ne]: plan.id } }, transaction },
    );
    return true;
  }

  async signAsClient(id: string, typedName: string, ip: string | null, now: Date, transaction: Transaction) {
    const [count] = await this.#m.plans.update(
      {
        client_signed_at: now,
        client_signature_enc: this.#sealer.seal(typedName, 'care_plans', 'client_signature', id),
        client_sign_ip: ip,
      },
      { where: { id, status: 'active', client_signed_at: null }, transaction },
    );
    return count > 0;
  }

  /** Active plans of these clients whose review is due on or before `by` (dates only, no bodies). */
  async reviewsDue(
    therapistId: string,
    by: IsoDay,
  ): Promise<{ planId: string; clientId: string; dueOn: IsoDay }[]> {
    // Plain SQL: the therapist's "today" asks on every visit. A day is text (or a Date) either way.
    const rows = await this.#m.plans.sequelize!.query<{
      id: string;
      client_id: string;
      review_due_on: string | Date;
    }>(
      `SELECT id, client_id, review_due_on FROM care_plans
        WHERE therapist_id = :therapistId AND status = 'active' AND review_due_on <= :by
        ORDER BY review_due_on ASC`,
      { replacements: { therapistId, by }, type: QueryTypes.SELECT },
    );
    return rows.map((p) => ({
      planId: p.id,
      clientId: p.client_id,
      dueOn: isoDay(p.review_due_on) as IsoDay,
    }));
  }

  // ── note ↔ goal links ────────────────────────────────────────────────────────────────────────

  async setNoteGoals(
    link: { noteId: string; planId: string; clientId: string; by: string; at: Date },
    goalIds: readonly string[],
    transaction: Transaction,
  ): Promise<void> {
    await this.#m.noteGoals.destroy({ where: { note_id: link.noteId }, transaction });
    for (const goalId of new Set(goalIds)) {
      await this.#m.noteGoals.create(
        {
          note_id: link.noteId,
          goal_id: goalId,
          plan_id: link.planId,
          client_id: link.clientId,
          linked_by: link.by,
          linked_at: link.at,
        },
        { transaction },
      );
    }
  }

  async goalsOfNote(noteId: string, transaction?: Transaction): Promise<string[]> {
    const rows = await this.#m.noteGoals.findAll({ where: { note_id: noteId }, transaction });
    return rows.map((r) => r.get('goal_id') as string);
  }

  // ── interventions ────────────────────────────────────────────────────────────────────────────

  async interventions(includeRetired = false): Promise<Intervention[]> {
    const rows = await this.#m.interventions.findAll({
      ...(includeRetired ? {} : { where: { active: true } }),
      order: [['position', 'ASC']],
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return { id: p.id, label: p.label, position: p.position, active: Boolean(p.active) };
    });
  }

  async addIntervention(i: Intervention, now: Date, transaction: Transaction): Promise<void> {
    await this.#m.interventions.create({ ...i, created_at: now }, { transaction });
  }

  async setInterventionActive(id: string, active: boolean, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.interventions.update({ active }, { where: { id }, transaction });
    return count > 0;
  }

  // ── erasure ──────────────────────────────────────────────────────────────────────────────────

  async purge(clientId: string, transaction: Transaction): Promise<Record<string, number>> {
    const where = { client_id: clientId };
    return {
      care_plan_note_goals: await this.#m.noteGoals.destroy({ where, transaction }),
      care_plans: await this.#m.plans.destroy({ where, transaction }),
      care_diagnoses: await this.#m.diagnoses.destroy({ where, transaction }),
    };
  }
}

const RANK_ORDER: Record<DiagnosisRank, number> = { primary: 0, secondary: 1 };

/** Primary before secondary, newest first; with `endedLast`, current ones before ended ones. */
function sortDiagnoses(list: Diagnosis[], endedLast = true): Diagnosis[] {
  return list.sort(
    (a, b) =>
      (endedLast ? Number(a.endedOn !== null) - Number(b.endedOn !== null) : 0) ||
      RANK_ORDER[a.rank] - RANK_ORDER[b.rank] ||
      b.onsetOn.localeCompare(a.onsetOn),
  );
}
