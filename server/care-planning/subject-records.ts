import type { Transaction } from 'sequelize';
import type { CarePlanningRepository } from './care-planning.repository';
import type { CarePlan, Diagnosis, Homework, SafetyPlan } from './care-planning.types';
import type { HomeworkRepository } from './homework.repository';

/** One client's care planning as they see it in their export (data rights). Drafts are not included. */
export interface CarePlanningExport {
  readonly diagnoses: readonly Diagnosis[];
  /** Signed versions, newest first. */
  readonly plans: readonly CarePlan[];
  readonly homework: readonly Homework[];
  /** Every version, newest first. */
  readonly safetyPlans: readonly SafetyPlan[];
}

/** Export and erasure purge for care planning (called by data rights, which audits both). */
export class CarePlanningSubjectRecords {
  readonly #plans: CarePlanningRepository;
  readonly #homework: HomeworkRepository;

  constructor(plans: CarePlanningRepository, homework: HomeworkRepository) {
    this.#plans = plans;
    this.#homework = homework;
  }

  /** The client's own care planning, opened; data rights only asks for the signed-in client's id. */
  async exportOf(clientId: string): Promise<CarePlanningExport> {
    return {
      diagnoses: await this.#plans.diagnosesOf(clientId),
      plans: (await this.#plans.plansOf(clientId)).filter((p) => p.status !== 'draft'),
      homework: await this.#homework.ofClient(clientId),
      safetyPlans: await this.#homework.safetyPlansOf(clientId),
    };
  }

  /** Deletes every care-planning row about the client when the retention period ends. */
  async purge(clientId: string, transaction: Transaction): Promise<Record<string, number>> {
    return {
      ...(await this.#homework.purge(clientId, transaction)),
      ...(await this.#plans.purge(clientId, transaction)),
    };
  }
}
