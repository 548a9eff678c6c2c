import { DataTypes, type Model, type ModelAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** Row shapes as stored: `*_enc` columns hold FieldCipher ciphertext only. */
export interface CareAssignmentRow {
  therapist_id: string;
  client_id: string;
  assigned_by: string | null;
  started_at: Date;
  ended_at: Date | null;
}
/** The confirmed appointment that began a care relationship (the care rule); none when an admin assigned it. */
export interface CareOriginRow {
  therapist_id: string;
  client_id: string;
  appointment_id: string;
  begun_at: Date;
}
export interface MeasureResponseRow {
  id: string;
  client_id: string;
  measure: string;
  source: string;
  result_enc: string;
  submitted_at: Date;
}
export interface MeasureAssignmentRow {
  id: string;
  client_id: string;
  therapist_id: string;
  measure: string;
  cadence: string;
  active: boolean;
  created_at: Date;
  last_completed_at: Date | null;
}
export interface CrisisAlertRow {
  id: string;
  client_id: string;
  response_id: string | null;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}
export interface NoteRow {
  id: string;
  client_id: string;
  author_id: string;
  template: string;
  appointment_id: string | null;
  body_enc: string;
  status: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
  signed_at: Date | null;
}
export interface AddendumRow {
  id: string;
  note_id: string;
  author_id: string;
  reason_enc: string;
  body_enc: string;
  created_at: Date;
}
export interface PsychotherapyNoteRow {
  id: string;
  client_id: string;
  author_id: string;
  body_enc: string;
  created_at: Date;
  updated_at: Date;
}
export interface BreakGlassRow {
  id: string;
  admin_id: string;
  client_id: string;
  reason_enc: string;
  created_at: Date;
  expires_at: Date;
}
export interface ConsentVersionRow {
  version: number;
  language: string;
  body: string;
  created_at: Date;
  created_by: string | null;
}
export interface ConsentSignatureRow {
  id: string;
  client_id: string;
  version: number;
  typed_name_enc: string;
  signed_at: Date;
  ip: string | null;
  language: string;
}
export interface IntakeRow {
  id: string;
  client_id: string;
  answers_enc: string;
  submitted_at: Date;
}
export interface SafetyCheckRow {
  id: string;
  client_id: string;
  appointment_id: string | null;
  details_enc: string;
  created_at: Date;
}
export interface FeedbackRow {
  id: string;
  client_id: string;
  therapist_id: string;
  appointment_id: string | null;
  ratings_enc: string;
  created_at: Date;
}

export interface ClinicalModels {
  readonly care: ModelStatic<Model<CareAssignmentRow>>;
  readonly careOrigins: ModelStatic<Model<CareOriginRow>>;
  readonly responses: ModelStatic<Model<MeasureResponseRow>>;
  readonly measureAssignments: ModelStatic<Model<MeasureAssignmentRow>>;
  readonly alerts: ModelStatic<Model<CrisisAlertRow>>;
  readonly notes: ModelStatic<Model<NoteRow>>;
  readonly addenda: ModelStatic<Model<AddendumRow>>;
  readonly psychotherapyNotes: ModelStatic<Model<PsychotherapyNoteRow>>;
  readonly breakGlass: ModelStatic<Model<BreakGlassRow>>;
  readonly consentVersions: ModelStatic<Model<ConsentVersionRow>>;
  readonly consentSignatures: ModelStatic<Model<ConsentSignatureRow>>;
  readonly intakes: ModelStatic<Model<IntakeRow>>;
  readonly safetyChecks: ModelStatic<Model<SafetyCheckRow>>;
  readonly feedback: ModelStatic<Model<FeedbackRow>>;
}

const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
const pk = { type: DataTypes.STRING(36), primaryKey: true };
const text = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
const date = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

function define<R extends object>(
  sequelize: Sequelize,
  name: string,
  table: string,
  attributes: ModelAttributes<Model<R>>,
): ModelStatic<Model<R>> {
  return sequelize.define<Model<R>>(name, attributes, { tableName: table });
}

export function defineClinicalModels(sequelize: Sequelize): ClinicalModels {
  return {
    care: define<CareAssignmentRow>(sequelize, 'CareAssignment', 'care_assignments', {
      therapist_id: { ...str(36), primaryKey: true },
      client_id: { ...str(36), primaryKey: true },
      assigned_by: str(36, true),
      started_at: date(),
      ended_at: date(true),
    }),
    careOrigins: define<CareOriginRow>(sequelize, 'CareOrigin', 'care_begun_by_appointment', {
      therapist_id: { ...str(36), primaryKey: true },
      client_id: { ...str(36), primaryKey: true },
      appointment_id: str(36),
      begun_at: date(),
    }),
    responses: define<MeasureResponseRow>(sequelize, 'MeasureResponse', 'measure_responses', {
      id: pk,
      client_id: str(36),
      measure: str(10),
      source: str(20),
      result_enc: text(),
      submitted_at: date(),
    }),
    measureAssignments: define<MeasureAssignmentRow>(sequelize, 'MeasureAssignment', 'measure_assignments', {
      id: pk,
      client_id: str(36),
      therapist_id: str(36),
      measure: str(10),
      cadence: str(30),
      active: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: date(),
      last_completed_at: date(true),
    }),
    alerts: define<CrisisAlertRow>(sequelize, 'CrisisAlert', 'crisis_alerts', {
      id: pk,
      client_id: str(36),
      response_id: str(36, true),
      created_at: date(),
      acknowledged_at: date(true),
      acknowledged_by: str(36, true),
    }),
    notes: define<NoteRow>(sequelize, 'ClinicalNote', 'clinical_notes', {
      id: pk,
      client_id: str(36),
      author_id: str(36),
      template: str(10),
      appointment_id: str(36, true),
      body_enc: text(),
      status: str(10),
      revision: { type: DataTypes.INTEGER, allowNull: false },
      created_at: date(),
      updated_at: date(),
      signed_at: date(true),
    }),
    addenda: define<AddendumRow>(sequelize, 'NoteAddendum', 'note_addenda', {
      id: pk,
      note_id: str(36),
      author_id: str(36),
      reason_enc: text(),
      body_enc: text(),
      created_at: date(),
    }),
    psychotherapyNotes: define<PsychotherapyNoteRow>(sequelize, 'PsychotherapyNote', 'psychotherapy_notes', {
      id: pk,
      client_id: str(36),
      author_id: str(36),
      body_enc: text(),
      created_at: date(),
      updated_at: date(),
    }),
    breakGlass: define<BreakGlassRow>(sequelize, 'BreakGlassGrant', 'break_glass_grants', {
      id: pk,
      admin_id: str(36),
      client_id: str(36),
      reason_enc: text(),
      created_at: date(),
      expires_at: date(),
    }),
    consentVersions: define<ConsentVersionRow>(sequelize, 'ConsentVersion', 'consent_versions', {
      version: { type: DataTypes.INTEGER, primaryKey: true },
      language: str(16),
      body: text(),
      created_at: date(),
      created_by: str(36, true),
    }),
    consentSignatures: define<ConsentSignatureRow>(sequelize, 'ConsentSignature', 'consent_signatures', {
      id: pk,
      client_id: str(36),
      version: { type: DataTypes.INTEGER, allowNull: false },
      typed_name_enc: text(),
      signed_at: date(),
      ip: str(64, true),
      language: str(16),
    }),
    intakes: define<IntakeRow>(sequelize, 'IntakeRecord', 'intake_records', {
      id: pk,
      client_id: str(36),
      answers_enc: text(),
      submitted_at: date(),
    }),
    safetyChecks: define<SafetyCheckRow>(sequelize, 'SessionSafetyCheck', 'session_safety_checks', {
      id: pk,
      client_id: str(36),
      appointment_id: str(36, true),
      details_enc: text(),
      created_at: date(),
    }),
    feedback: define<FeedbackRow>(sequelize, 'SessionFeedback', 'session_feedback', {
      id: pk,
      client_id: str(36),
      therapist_id: str(36),
      appointment_id: str(36, true),
      ratings_enc: text(),
      created_at: date(),
    }),
  };
}
