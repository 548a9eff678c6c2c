import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { newId } from '../shared/ids';
import { ClinicalAccess, type ClinicalActor } from './clinical-access';
import { canAssignMeasures, canReadClientRecord, canSubmitOwnAnswers } from './clinical.policy';
import type { NextSessionLookup } from './clinical.types';
import type { CrisisService } from './crisis.service';
import { MEASURES, scoreMeasure, type Difficulty, type MeasureId } from './measures';
import type {
  Cadence,
  MeasureAssignment,
  MeasureResult,
  MeasuresRepository,
  ResponseSource,
  SubmissionListing,
} from './measures.repository';

const DAY = 86_400_000;
const CADENCE_DAYS: Partial<Record<Cadence, number>> = { weekly: 7, every_2_weeks: 14, monthly: 30 };
/** "Before each session": due from this long before the session starts. */
const BEFORE_SESSION_WINDOW_MS = DAY;

export interface Submission {
  readonly measure: MeasureId;
  readonly answers: readonly number[];
  readonly difficulty?: Difficulty | null;
  readonly source?: ResponseSource;
}

export interface SubmitOutcome {
  readonly result: MeasureResult;
  /** True when the crisis flow ran: show the resources now. */
  readonly crisis: boolean;
}

/** PHQ-9 / GAD-7: answering, reading results, and therapists' assignments. */
export class MeasuresService {
  readonly #sequelize: Sequelize;
  readonly #repo: MeasuresRepository;
  readonly #access: ClinicalAccess;
  readonly #crisis: CrisisService;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #sessions: NextSessionLookup | undefined;

  constructor(deps: {
    sequelize: Sequelize;
    measures: MeasuresRepository;
    access: ClinicalAccess;
    crisis: CrisisService;
    audit: AuditTrail;
    clock: Clock;
    sessions?: NextSessionLookup;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.measures;
    this.#access = deps.access;
    this.#crisis = deps.crisis;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#sessions = deps.sessions;
  }

  /** A client answers a questionnaire about themself. Item 9 above 0 raises a crisis alert. */
  async submit(actor: ClinicalActor, clientId: string, submission: Submission): Promise<SubmitOutcome> {
    await this.#access.require(actor, clientId, 'measure_response', (f) => canSubmitOwnAnswers(actor, f));
    return this.#sequelize.transaction((transaction) =>
      this.submitChecked(actor, clientId, submission, transaction),
    );
  }

  /**
   * The same inside a caller's transaction, for a caller (intake) that has already checked
   * `canSubmitOwnAnswers` before opening it.
   */
  async submitChecked(
    actor: ClinicalActor,
    clientId: string,
    submission: Submission,
    transaction: Transaction,
  ): Promise<SubmitOutcome> {
    let score;
    try {
      score = scoreMeasure(submission.measure, submission.answers);
    } catch (error) {
      throw new AppError('clinical.incomplete_answers', 'bad_request', (error as Error).message);
    }
    const result: MeasureResult = {
      ...score,
      id: newId(),
      clientId,
      source: submission.source ?? 'self',
      difficulty: submission.difficulty ?? null,
      submittedAt: this.#clock.now(),
    };
    {
      await this.#repo.insertResponse(result, transaction);
      await this.#repo.completeAssignments(clientId, result.measure, result.submittedAt, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'measure.submitted',
          targetType: 'measure_response',
          targetId: result.id,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { measure: result.measure },
        },
        transaction,
      );
      if (score.crisis) await this.#crisis.raise(clientId, result.id, transaction);
      return { result, crisis: score.crisis };
    }
  }

  /** A client's results, oldest first; the read is audited. */
  async results(actor: ClinicalActor, clientId: string, measure?: MeasureId): Promise<MeasureResult[]> {
    const facts = await this.#access.require(actor, clientId, 'measure_response', (f) =>
      canReadClientRecord(actor, f),
    );
    return this.#sequelize.transaction(async (transaction) => {
      const results = await this.#repo.responsesOf(clientId, measure, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'measure.read',
          targetType: 'measure_response',
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { ...ClinicalAccess.via(actor, facts), count: results.length, measure: measure ?? 'all' },
        },
        transaction,
      );
      return results;
    });
  }

  /** The treating therapist asks a client to complete a measure once or on a cadence. */
  async assign(actor: ClinicalActor, clientId: string, measure: MeasureId, cadence: Cadence) {
    if (!MEASURES[measure]) throw new AppError('clinical.unknown_measure', 'bad_request');
    await this.#access.require(actor, clientId, 'measure_assignment', (f) => canAssignMeasures(actor, f));
    const assignment: MeasureAssignment = {
      id: newId(),
      clientId,
      therapistId: actor.id,
      measure,
      cadence,
      active: true,
      createdAt: this.#clock.now(),
      lastCompletedAt: null,
    };
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.insertAssignment(assignment, transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'measure.assigned',
          targetType: 'measure_assignment',
          targetId: assignment.id,
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { measure, cadence },
        },
        transaction,
      );
    });
    return assignment;
  }

  async stopAssignment(actor: ClinicalActor, clientId: string, assignmentId: string): Promise<void> {
    await this.#access.require(actor, clientId, 'measure_assignment', (f) => canAssignMeasures(actor, f));
    await this.#sequelize.transaction(async (transaction) => {
      if (!(await this.#repo.deactivateAssignment(assignmentId, clientId, transaction))) {
        throw new AppError('clinical.assignment_not_found', 'not_found');
      }
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'measure.assignment_stopped',
          targetType: 'measure_assignment',
          targetId: assignmentId,
          subjectId: clientId,
          ip: actor.ip ?? null,
        },
        transaction,
      );
    });
  }

  async assignments(actor: ClinicalActor, clientId: string): Promise<MeasureAssignment[]> {
    await this.#access.require(actor, clientId, 'measure_assignment', (f) => canReadClientRecord(actor, f));
    return this.#repo.activeAssignments(clientId);
  }

  /**
   * Which of these clients, among those the actor treats now, answered a questionnaire since
   * `since` (a therapist's "new answers to review"): names of questionnaires and dates, no scores;
   * the answers themselves open on the client's record, where the read is audited.
   */
  async answeredSince(
    actor: ClinicalActor,
    clientIds: readonly string[],
    since: Date,
  ): Promise<SubmissionListing[]> {
    return this.#repo.submittedSince(await this.#access.treatedAmong(actor, clientIds), since);
  }

  /** Which measures the client should complete now (assignments are not health information). */
  async due(actor: ClinicalActor, clientId: string): Promise<MeasureId[]> {
    const now = this.#clock.now();
    const due = new Set<MeasureId>();
    for (const a of await this.assignments(actor, clientId)) {
      if (await this.#isDue(a, now)) due.add(a.measure);
    }
    return [...due];
  }

  async #isDue(a: MeasureAssignment, now: Date): Promise<boolean> {
    if (a.cadence === 'once') return a.lastCompletedAt === null;
    if (a.cadence === 'before_each_session') {
      const next = await this.#sessions?.nextSessionStart(a.clientId, now);
      if (!next || next.getTime() - now.getTime() > BEFORE_SESSION_WINDOW_MS) return false;
      // Answers count for this session if given since the previous session began (or, with no
      // previous session, since the window opened): one questionnaire per session, not per day.
      const previous = await this.#sessions?.previousSessionStart?.(a.clientId, now);
      const freshFrom = previous ? previous.getTime() : next.getTime() - BEFORE_SESSION_WINDOW_MS;
      return a.lastCompletedAt === null || a.lastCompletedAt.getTime() < freshFrom;
    }
    const days = CADENCE_DAYS[a.cadence] ?? 7;
    const since = a.lastCompletedAt ?? null;
    return since === null || now.getTime() - since.getTime() >= days * DAY;
  }
}
