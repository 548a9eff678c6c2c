import type { MailWords } from '../mail';
import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { FieldCipher } from '../shared/field-encryption';
import { CareRepository } from './care.repository';
import { CareService } from './care.service';
import { ClinicalAccess } from './clinical-access';
import { defineClinicalModels } from './clinical.model';
import type { ClinicalSettings, NextSessionLookup, OutboxPort, PeopleLookup } from './clinical.types';
import { CrisisService } from './crisis.service';
import { FeedbackService } from './feedback.service';
import { IntakeRepository } from './intake.repository';
import { IntakeService, type ConsentLanguages } from './intake.service';
import { MeasuresRepository } from './measures.repository';
import { MeasuresService } from './measures.service';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';
import { Sealer } from './sealer';
import { ClinicalSubjectRecords, defineRestrictionModel } from './subject-records';

export * from './measures';
export * as clinicalPolicy from './clinical.policy';
export type { Actor, CareFacts } from './clinical.policy';
export type { ClinicalActor } from './clinical-access';
export type { ClinicalSettings, NextSessionLookup, OutboxPort, PeopleLookup } from './clinical.types';
export type {
  MeasureResult,
  MeasureAssignment,
  Cadence,
  CrisisAlert,
  SubmissionListing,
} from './measures.repository';
export type { Note, NoteTemplate, Addendum, PsychotherapyNote, DraftListing } from './notes.repository';
export type { IntakeRecord, SafetyCheck, Feedback, ConsentVersion } from './intake.repository';
export type { AlertView } from './crisis.service';
export type { AppointmentCare, BreakGlassView } from './care.service';
export { NOTE_TEMPLATES } from './notes.service';
export { FEEDBACK_SCALES, feedbackTrend, type FeedbackTrendPoint } from './feedback.service';
export { DEFAULT_CONSENT_TEXT, type ConsentLanguages } from './intake.service';
export { answersFromForm } from './clinical.schemas';
export { measureLanguages, measureWording, type MeasureText, type MeasureWording } from './measure-texts';
export {
  bandLegend,
  progressCharts,
  progressSeries,
  renderProgressChart,
  ENGLISH_CHART,
  type BandLegendItem,
  type ChartLocale,
  type ChartTarget,
  type ChartWords,
  type ProgressChart,
  type ProgressSeries,
} from './progress-chart';
export { ClinicalSubjectRecords } from './subject-records';
export { ClinicalAccess } from './clinical-access';
export { Sealer } from './sealer';
export type { ClinicalExport, Restriction, PurgeCounts } from './subject-records';
export { CareService, CrisisService, FeedbackService, IntakeService, MeasuresService, NotesService };

/** Clinical care's public API: one object per area, all sharing one access checker. */
export interface ClinicalServices {
  readonly care: CareService;
  readonly measures: MeasuresService;
  readonly crisis: CrisisService;
  readonly notes: NotesService;
  readonly intake: IntakeService;
  readonly feedback: FeedbackService;
  /** A client's own record for export, and restriction/purge after erasure (data rights). */
  readonly subjectRecords: ClinicalSubjectRecords;
  /**
   * The one access checker (care facts, break-glass, erasure restriction, audited refusals), for
   * features that hold clinical information of their own (care planning).
   */
  readonly access: ClinicalAccess;
}

export interface ClinicalDeps {
  readonly sequelize: Sequelize;
  readonly audit: AuditTrail;
  readonly cipher: FieldCipher;
  readonly outbox: OutboxPort;
  /** The words of the crisis alert email, per recipient language. */
  readonly words: MailWords;
  readonly people: PeopleLookup;
  readonly settings: ClinicalSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sessions?: NextSessionLookup;
  /** The languages the clinic offers and its default: consent texts are written per language. */
  readonly languages?: ConsentLanguages;
}

export function createClinical(deps: ClinicalDeps): ClinicalServices {
  const { sequelize, audit, clock, settings, people, outbox } = deps;
  const models = defineClinicalModels(sequelize);
  const sealer = new Sealer(deps.cipher);
  const careRepo = new CareRepository(models, sealer);
  const measuresRepo = new MeasuresRepository(models, sealer);
  const intakeRepo = new IntakeRepository(models, sealer);
  const notesRepo = new NotesRepository(models, sealer);
  const restrictions = defineRestrictionModel(sequelize);
  const subjectRecords = new ClinicalSubjectRecords({
    models,
    restrictions,
    measures: measuresRepo,
    notes: notesRepo,
    intake: intakeRepo,
  });
  const access = new ClinicalAccess(careRepo, audit, clock, async (clientId, transaction) =>
    Boolean(await subjectRecords.restrictionOf(clientId, transaction)),
  );
  const crisis = new CrisisService({
    sequelize,
    measures: measuresRepo,
    care: careRepo,
    access,
    audit,
    outbox,
    people,
    settings,
    clock,
    words: deps.words,
  });
  const measures = new MeasuresService({
    sequelize,
    measures: measuresRepo,
    access,
    crisis,
    audit,
    clock,
    ...(deps.sessions ? { sessions: deps.sessions } : {}),
  });
  return {
    care: new CareService({ sequelize, care: careRepo, audit, people, settings, clock }),
    measures,
    crisis,
    notes: new NotesService({ sequelize, notes: notesRepo, access, audit, clock }),
    intake: new IntakeService({
      sequelize,
      intake: intakeRepo,
      measures,
      access,
      audit,
      clock,
      logger: deps.logger.child({ component: 'clinical' }),
      ...(deps.languages ? { languages: deps.languages } : {}),
    }),
    feedback: new FeedbackService({ sequelize, intake: intakeRepo, access, audit, clock }),
    subjectRecords,
    access,
  };
}
