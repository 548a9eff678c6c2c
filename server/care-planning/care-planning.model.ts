import { DataTypes, type Model, type ModelAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** Row shapes as stored (migration 20261203-1801): `*_enc` columns hold FieldCipher ciphertext only. */
export interface DiagnosisRow {
  id: string;
  client_id: string;
  recorded_by: string;
  details_enc: string;
  onset_on: string;
  ended_on: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface CarePlanRow {
  id: string;
  client_id: string;
  therapist_id: string;
  version: number;
  previous_id: string | null;
  status: string;
  body_enc: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
  signed_at: Date | null;
  review_due_on: string | null;
  client_signed_at: Date | null;
  client_signature_enc: string | null;
  client_sign_ip: string | null;
  superseded_at: Date | null;
}
export interface NoteGoalRow {
  note_id: string;
  goal_id: string;
  plan_id: string;
  client_id: string;
  linked_by: string;
  linked_at: Date;
}
export interface HomeworkRow {
  id: string;
  client_id: string;
  therapist_id: string;
  exercise: string;
  instructions_enc: string;
  due_on: string;
  status: string;
  answers_enc: string | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}
export interface SafetyPlanRow {
  id: string;
  client_id: string;
  author_id: string;
  version: number;
  body_enc: string;
  created_at: Date;
}
export interface InterventionRow {
  id: string;
  label: string;
  position: number;
  active: boolean;
  created_at: Date;
}

export interface CarePlanningModels {
  readonly diagnoses: ModelStatic<Model<DiagnosisRow>>;
  readonly plans: ModelStatic<Model<CarePlanRow>>;
  readonly noteGoals: ModelStatic<Model<NoteGoalRow>>;
  readonly homework: ModelStatic<Model<HomeworkRow>>;
  readonly safetyPlans: ModelStatic<Model<SafetyPlanRow>>;
  readonly interventions: ModelStatic<Model<InterventionRow>>;
}

const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
const pk = { type: DataTypes.STRING(36), primaryKey: true };
const text = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
const date = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });
const day = (allowNull = false) => ({ type: DataTypes.DATEONLY, allowNull });
const int = () => ({ type: DataTypes.INTEGER, allowNull: false });

function define<R extends object>(
  sequelize: Sequelize,
  name: string,
  table: string,
  attributes: ModelAttributes<Model<R>>,
): ModelStatic<Model<R>> {
  return sequelize.define<Model<R>>(name, attributes, { tableName: table, timestamps: false });
}

export function defineCarePlanningModels(sequelize: Sequelize): CarePlanningModels {
  return {
    diagnoses: define<DiagnosisRow>(sequelize, 'CareDiagnosis', 'care_diagnoses', {
      id: pk,
      client_id: str(36),
      recorded_by: str(36),
      details_enc: text(),
      onset_on: day(),
      ended_on: day(true),
      created_at: date(),
      updated_at: date(),
    }),
    plans: define<CarePlanRow>(sequelize, 'CarePlan', 'care_plans', {
      id: pk,
      client_id: str(36),
      therapist_id: str(36),
      version: int(),
      previous_id: str(36, true),
      status: str(12),
      body_enc: text(),
      revision: int(),
      created_at: date(),
      updated_at: date(),
      signed_at: date(true),
      review_due_on: day(true),
      client_signed_at: date(true),
      client_signature_enc: text(true),
      client_sign_ip: str(64, true),
      superseded_at: date(true),
    }),
    noteGoals: define<NoteGoalRow>(sequelize, 'CarePlanNoteGoal', 'care_plan_note_goals', {
      note_id: { ...str(36), primaryKey: true },
      goal_id: { ...str(36), primaryKey: true },
      plan_id: str(36),
      client_id: str(36),
      linked_by: str(36),
      linked_at: date(),
    }),
    homework: define<HomeworkRow>(sequelize, 'HomeworkAssignment', 'homework_assignments', {
      id: pk,
      client_id: str(36),
      therapist_id: str(36),
      exercise: str(20),
      instructions_enc: text(),
      due_on: day(),
      status: str(12),
      answers_enc: text(true),
      revision: int(),
      created_at: date(),
      updated_at: date(),
      completed_at: date(true),
    }),
    safetyPlans: define<SafetyPlanRow>(sequelize, 'SafetyPlan', 'safety_plans', {
      id: pk,
      client_id: str(36),
      author_id: str(36),
      version: int(),
      body_enc: text(),
      created_at: date(),
    }),
    interventions: define<InterventionRow>(sequelize, 'CareIntervention', 'care_interventions', {
      id: pk,
      label: str(120),
      position: int(),
      active: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: date(),
    }),
  };
}
