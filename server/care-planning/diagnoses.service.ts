import type { Sequelize } from 'sequelize';
import type { ClinicalAccess, ClinicalActor } from '../clinical';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { CareAudit } from './care-audit';
import { canReadDiagnoses, canWriteCare } from './care-planning.policy';
import type { CarePlanningRepository } from './care-planning.repository';
import { diagnosisSchema, endDiagnosisSchema, parseOrThrow } from './care-planning.schemas';
import type { Diagnosis, IsoDay } from './care-planning.types';
import { lookupCode } from './icd10cm';

const TARGET = 'care_diagnosis';

/**
 * Diagnoses: the treating therapist records ICD-10-CM codes from the bundled subset; a diagnosis
 * stays in force from its start until it is ended (changing a diagnosis is ending one and adding
 * another, so what was billed on a past date can always be read back).
 */
export class DiagnosesService {
  readonly #sequelize: Sequelize;
  readonly #repo: CarePlanningRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: CareAudit;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    repo: CarePlanningRepository;
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

  async add(
    actor: ClinicalActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<Diagnosis> {
    const form = parseOrThrow(diagnosisSchema, input, 'care.diagnosis_invalid');
    const entry = lookupCode(form.code);
    if (!entry) {
      throw new AppError('care.unknown_code', 'bad_request', phrase('care:problem.unknownCode'), {
        code: phrase('care:problem.codeFromList'),
      });
    }
    await this.#access.require(actor, clientId, TARGET, (f) => canWriteCare(actor, f));
    const now = this.#clock.now();
    const diagnosis: Diagnosis = {
      id: newId(),
      clientId,
      recordedBy: actor.id,
      code: entry.code,
      description: entry.description,
      rank: form.rank,
      onsetOn: form.onsetOn,
      endedOn: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertDiagnosis(diagnosis, tx);
      await this.#audit.write(actor, 'diagnosis.added', { type: TARGET, id: diagnosis.id, clientId }, tx);
    });
    return diagnosis;
  }

  async end(
    actor: ClinicalActor,
    diagnosisId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const { endedOn } = parseOrThrow(endDiagnosisSchema, input, 'care.diagnosis_invalid');
    const diagnosis = await this.#repo.diagnosisById(diagnosisId);
    if (!diagnosis)
      throw new AppError('care.diagnosis_not_found', 'not_found', phrase('care:problem.noSuchDiagnosis'));
    await this.#access.require(actor, diagnosis.clientId, TARGET, (f) => canWriteCare(actor, f));
    if (endedOn < diagnosis.onsetOn) {
      throw new AppError('care.diagnosis_invalid', 'bad_request', phrase('care:problem.endBeforeStart'), {
        endedOn: phrase('care:problem.onOrAfterStart'),
      });
    }
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.endDiagnosis(diagnosisId, endedOn, this.#clock.now(), tx))) {
        throw new AppError('care.diagnosis_ended', 'conflict', phrase('care:problem.diagnosisEnded'));
      }
      await this.#audit.write(
        actor,
        'diagnosis.ended',
        { type: TARGET, id: diagnosisId, clientId: diagnosis.clientId },
        tx,
      );
    });
  }

  /** A client's diagnoses, current ones first; the read is audited. */
  list(actor: ClinicalActor, clientId: string): Promise<Diagnosis[]> {
    return this.#audit.listed({
      actor,
      clientId,
      type: TARGET,
      action: 'diagnosis.listed',
      rule: (f) => canReadDiagnoses(actor, f),
      load: (tx) => this.#repo.diagnosesOf(clientId, tx),
    });
  }

  /**
   * The diagnoses in force on a date, for billing (issue 19): a diagnosis carries forward to every
   * later session until it ends. The caller names why it reads (e.g. `claim:<id>`), which the audit
   * row keeps; access is checked like a read of the record (treating therapist or break-glass).
   */
  inForceOn(actor: ClinicalActor, clientId: string, day: IsoDay, purpose: string): Promise<Diagnosis[]> {
    return this.#audit.listed({
      actor,
      clientId,
      type: TARGET,
      action: 'diagnosis.read_for_date',
      rule: (f) => canReadDiagnoses(actor, f),
      load: (tx) => this.#repo.diagnosesOn(clientId, day, tx),
      details: { day, purpose: purpose.slice(0, 80) },
    });
  }
}
