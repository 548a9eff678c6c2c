import type { Sequelize } from 'sequelize';
import type { ClinicalAccess, ClinicalActor } from '../clinical';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { CareAudit } from './care-audit';
import { canAnswerHomework, canReadHomework, canReadSafetyPlan, canWriteCare } from './care-planning.policy';
import { homeworkAssignmentSchema, parseOrThrow, safetyPlanFromForm } from './care-planning.schemas';
import type { Homework, SafetyPlan } from './care-planning.types';
import { EXERCISES, normaliseAnswers } from './exercises';
import type { HomeworkRepository } from './homework.repository';

const HOMEWORK = 'homework_assignment';
const SAFETY = 'safety_plan';

/**
 * Between-session exercises and the safety plan. The therapist assigns exercises from the library;
 * the client answers on their phone (autosaved with a revision check, so a save replayed after a
 * reconnect never overwrites newer answers) and marks them done; the therapist reads them before the
 * next session. Safety plans are versioned: each save is a new version, the old ones stay readable.
 */
export class HomeworkService {
  readonly #sequelize: Sequelize;
  readonly #repo: HomeworkRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: CareAudit;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    repo: HomeworkRepository;
    access: ClinicalAccess;
    audit: CareAudit;
    clock: Clock;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
  }

  async assign(
    actor: ClinicalActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<Homework> {
    const form = parseOrThrow(homeworkAssignmentSchema, input, 'care.homework_invalid');
    await this.#access.require(actor, clientId, HOMEWORK, (f) => canWriteCare(actor, f));
    const now = this.#clock.now();
    const homework: Homework = {
      id: newId(),
      clientId,
      therapistId: actor.id,
      exercise: form.exercise,
      instructions: form.instructions,
      dueOn: form.dueOn,
      status: 'assigned',
      answers: {},
      revision: 1,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insert(homework, tx);
      await this.#audit.write(actor, 'homework.assigned', { type: HOMEWORK, id: homework.id, clientId }, tx, {
        exercise: form.exercise,
      });
    });
    return homework;
  }

  /** One exercise with its answers; the read is audited. */
  async read(actor: ClinicalActor, homeworkId: string): Promise<Homework> {
    const head = await this.#repo.byId(homeworkId);
    if (!head)
      throw new AppError('care.homework_not_found', 'not_found', phrase('care:problem.noSuchExercise'));
    const facts = await this.#access.require(actor, head.clientId, HOMEWORK, (f) =>
      canReadHomework(actor, f),
    );
    return this.#sequelize.transaction(async (tx) => {
      const homework = (await this.#repo.byId(homeworkId, tx)) ?? head;
      await this.#audit.read(
        actor,
        facts,
        'homework.read',
        { type: HOMEWORK, id: homeworkId, clientId: head.clientId },
        tx,
      );
      return homework;
    });
  }

  list(actor: ClinicalActor, clientId: string): Promise<Homework[]> {
    return this.#audit.listed({
      actor,
      clientId,
      type: HOMEWORK,
      action: 'homework.listed',
      rule: (f) => canReadHomework(actor, f),
      load: (tx) => this.#repo.ofClient(clientId, tx),
    });
  }

  /**
   * The client saves answers (autosave, or "Save") or marks the exercise done. `revision` is the one
   * the form loaded; the new one is returned.
   */
  async answer(
    actor: ClinicalActor,
    homeworkId: string,
    input: Readonly<Record<string, unknown>>,
    revision: number,
    complete: boolean,
  ): Promise<number> {
    const homework = await this.#repo.byId(homeworkId);
    if (!homework)
      throw new AppError('care.homework_not_found', 'not_found', phrase('care:problem.noSuchExercise'));
    await this.#access.require(actor, homework.clientId, HOMEWORK, (f) => canAnswerHomework(actor, f));
    if (homework.status === 'completed') {
      throw new AppError('care.homework_done', 'conflict', phrase('care:problem.exerciseDone'));
    }
    const answers = normaliseAnswers(EXERCISES[homework.exercise], input, complete);
    return this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.saveAnswers(homeworkId, answers, revision, complete, this.#clock.now(), tx))) {
        throw new AppError('care.homework_changed', 'conflict', phrase('care:problem.answersChanged'));
      }
      await this.#audit.write(
        actor,
        complete ? 'homework.completed' : 'homework.saved',
        { type: HOMEWORK, id: homeworkId, clientId: homework.clientId },
        tx,
        { revision: revision + 1 },
      );
      return revision + 1;
    });
  }

  // ── safety plan ──────────────────────────────────────────────────────────────────────────────

  /** Saves a new version of the client's safety plan (the previous versions are kept). */
  async saveSafetyPlan(
    actor: ClinicalActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<SafetyPlan> {
    const body = safetyPlanFromForm(input);
    await this.#access.require(actor, clientId, SAFETY, (f) => canWriteCare(actor, f));
    return this.#sequelize.transaction(async (tx) => {
      const versions = await this.#repo.safetyPlansOf(clientId, tx);
      const plan: SafetyPlan = {
        id: newId(),
        clientId,
        authorId: actor.id,
        version: (versions[0]?.version ?? 0) + 1,
        body,
        createdAt: this.#clock.now(),
      };
      await this.#repo.insertSafetyPlan(plan, tx);
      await this.#audit.write(actor, 'safety_plan.saved', { type: SAFETY, id: plan.id, clientId }, tx, {
        version: plan.version,
      });
      return plan;
    });
  }

  /** Every version, newest first (the client's current plan is the first). `how` names the read. */
  safetyPlans(
    actor: ClinicalActor,
    clientId: string,
    how: 'read' | 'downloaded' = 'read',
  ): Promise<SafetyPlan[]> {
    return this.#audit.listed({
      actor,
      clientId,
      type: SAFETY,
      action: `safety_plan.${how}`,
      rule: (f) => canReadSafetyPlan(actor, f),
      load: (tx) => this.#repo.safetyPlansOf(clientId, tx),
      targetOf: (versions) => versions[0]?.id ?? null,
    });
  }
}
