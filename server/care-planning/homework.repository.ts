import type { Transaction } from 'sequelize';
import type { Sealer } from '../clinical';
import type { CarePlanningModels, HomeworkRow } from './care-planning.model';
import type {
  ExerciseKind,
  Homework,
  HomeworkAnswers,
  HomeworkStatus,
  IsoDay,
  SafetyPlan,
  SafetyPlanBody,
} from './care-planning.types';

const dayOf = (v: string | Date): IsoDay =>
  typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);

/** Between-session exercises and safety-plan versions. Plain objects out, ciphertext in the rows. */
export class HomeworkRepository {
  readonly #m: CarePlanningModels;
  readonly #sealer: Sealer;

  constructor(models: CarePlanningModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
  }

  #toHomework(p: HomeworkRow): Homework {
    return {
      id: p.id,
      clientId: p.client_id,
      therapistId: p.therapist_id,
      exercise: p.exercise as ExerciseKind,
      instructions: this.#sealer.open<string>(
        p.instructions_enc,
        'homework_assignments',
        'instructions',
        p.id,
      ),
      dueOn: dayOf(p.due_on),
      status: p.status as HomeworkStatus,
      answers: p.answers_enc
        ? this.#sealer.open<HomeworkAnswers>(p.answers_enc, 'homework_assignments', 'answers', p.id)
        : {},
      revision: p.revision,
      createdAt: new Date(p.created_at),
      updatedAt: new Date(p.updated_at),
      completedAt: p.completed_at ? new Date(p.completed_at) : null,
    };
  }

  async insert(h: Homework, transaction: Transaction): Promise<void> {
    await this.#m.homework.create(
      {
        id: h.id,
        client_id: h.clientId,
        therapist_id: h.therapistId,
        exercise: h.exercise,
        instructions_enc: this.#sealer.seal(h.instructions, 'homework_assignments', 'instructions', h.id),
        due_on: h.dueOn,
        status: 'assigned',
        answers_enc: null,
        revision: 1,
        created_at: h.createdAt,
        updated_at: h.updatedAt,
        completed_at: null,
      },
      { transaction },
    );
  }

  async byId(id: string, transaction?: Transaction): Promise<Homework | null> {
    const row = await this.#m.homework.findByPk(id, { transaction });
    return row ? this.#toHomework(row.get({ plain: true })) : null;
  }

  /** A client's exercises, the most recently due first. */
  async ofClient(clientId: string, transaction?: Transaction): Promise<Homework[]> {
    const rows = await this.#m.homework.findAll({
      where: { client_id: clientId },
      order: [
        ['due_on', 'DESC'],
        ['created_at', 'DESC'],
      ],
      transaction,
    });
    return rows.map((r) => this.#toHomework(r.get({ plain: true })));
  }

  /**
   * Saves answers only at the revision the form loaded and while not completed, so a late autosave
   * from a second tab (or one replayed after a reconnect) cannot overwrite newer answers.
   */
  async saveAnswers(
    id: string,
    answers: HomeworkAnswers,
    revision: number,
    complete: boolean,
    now: Date,
    transaction: Transaction,
  ): Promise<boolean> {
    const [count] = await this.#m.homework.update(
      {
        answers_enc: this.#sealer.seal(answers, 'homework_assignments', 'answers', id),
        revision: revision + 1,
        status: complete ? 'completed' : 'in_progress',
        updated_at: now,
        ...(complete ? { completed_at: now } : {}),
      },
      { where: { id, revision, status: ['assigned', 'in_progress'] }, transaction },
    );
    return count > 0;
  }

  // ── safety plans ─────────────────────────────────────────────────────────────────────────────

  async insertSafetyPlan(plan: SafetyPlan, transaction: Transaction): Promise<void> {
    await this.#m.safetyPlans.create(
      {
        id: plan.id,
        client_id: plan.clientId,
        author_id: plan.authorId,
        version: plan.version,
        body_enc: this.#sealer.seal(plan.body, 'safety_plans', 'body', plan.id),
        created_at: plan.createdAt,
      },
      { transaction },
    );
  }

  /** Every version, newest first. */
  async safetyPlansOf(clientId: string, transaction?: Transaction): Promise<SafetyPlan[]> {
    const rows = await this.#m.safetyPlans.findAll({
      where: { client_id: clientId },
      order: [['version', 'DESC']],
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        clientId: p.client_id,
        authorId: p.author_id,
        version: p.version,
        body: this.#sealer.open<SafetyPlanBody>(p.body_enc, 'safety_plans', 'body', p.id),
        createdAt: new Date(p.created_at),
      };
    });
  }

  async purge(clientId: string, transaction: Transaction): Promise<Record<string, number>> {
    const where = { client_id: clientId };
    return {
      homework_assignments: await this.#m.homework.destroy({ where, transaction }),
      safety_plans: await this.#m.safetyPlans.destroy({ where, transaction }),
    };
  }
}
