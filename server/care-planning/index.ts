import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import { Sealer, type ClinicalServices } from '../clinical';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import { CareAudit } from './care-audit';
import { defineCarePlanningModels } from './care-planning.model';
import { CarePlanningRepository } from './care-planning.repository';
import type { CarePlanningSettings } from './care-planning.types';
import { CarePlansService } from './care-plans.service';
import { DiagnosesService } from './diagnoses.service';
import { HomeworkRepository } from './homework.repository';
import { HomeworkService } from './homework.service';
import { CarePlanningSubjectRecords } from './subject-records';

export * from './care-planning.types';
export * as carePlanningPolicy from './care-planning.policy';
export { allCodes, lookupCode, searchCodes, ICD10CM_SYSTEM, type Icd10Code } from './icd10cm';
export {
  EXERCISES,
  ALL_ANSWER_KEYS,
  answerKeys,
  type ExerciseDefinition,
  type ExerciseField,
} from './exercises';
export { MAX_GOALS, MAX_OBJECTIVES, planFieldNames, isIsoDay } from './care-planning.schemas';
export {
  objectiveProgress,
  planProgress,
  targetProgress,
  RELIABLE_CHANGE,
  type ScorePoint,
  type TargetProgress,
  type TargetReason,
  type TargetStatus,
} from './goal-status';
export type { ReviewDue } from './care-plans.service';
export { safetyPlanDocument, type SafetyPlanWords } from './safety-plan-document';
export type { CarePlanningExport } from './subject-records';
export { CarePlansService, DiagnosesService, HomeworkService, CarePlanningSubjectRecords };

/**
 * Care planning's public API. For billing (issue 19): `diagnoses.inForceOn(actor, clientId, day,
 * purpose)` gives the diagnoses in force on a date (a diagnosis carries forward until it ends).
 */
export interface CarePlanning {
  readonly diagnoses: DiagnosesService;
  readonly plans: CarePlansService;
  readonly homework: HomeworkService;
  /** A client's own care planning for export, and the purge after erasure (data rights). */
  readonly subjectRecords: CarePlanningSubjectRecords;
}

export interface CarePlanningDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  /** Clinical's access checker: the same rules, break-glass and erasure restriction as notes. */
  readonly clinical: Pick<ClinicalServices, 'access'>;
  readonly settings: CarePlanningSettings;
}

export function createCarePlanning(deps: CarePlanningDeps): CarePlanning {
  const { sequelize, clock } = deps;
  const models = defineCarePlanningModels(sequelize);
  const sealer = new Sealer(deps.cipher);
  const repo = new CarePlanningRepository(models, sealer);
  const homeworkRepo = new HomeworkRepository(models, sealer);
  const access = deps.clinical.access;
  const audit = new CareAudit(deps.audit, access, sequelize);
  return {
    diagnoses: new DiagnosesService({ sequelize, repo, access, audit, clock }),
    plans: new CarePlansService({ sequelize, repo, access, audit, clock, settings: deps.settings }),
    homework: new HomeworkService({ sequelize, repo: homeworkRepo, access, audit, clock }),
    subjectRecords: new CarePlanningSubjectRecords(repo, homeworkRepo),
  };
}
