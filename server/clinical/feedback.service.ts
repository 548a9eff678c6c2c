import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { ClinicalAccess, ClinicalActor } from './clinical-access';
import { canReadFeedback, canSubmitOwnAnswers } from './clinical.policy';
import { feedbackSchema, parseOrThrow } from './clinical.schemas';
import type { Feedback, IntakeRepository } from './intake.repository';

/** The four session scales, as the form and the trend table label them. */
export const FEEDBACK_SCALES = [
  { key: 'heard', label: 'I felt heard, understood and respected' },
  { key: 'goals', label: 'We worked on what I wanted to work on' },
  { key: 'approach', label: "The therapist's approach is a good fit for me" },
  { key: 'overall', label: 'Overall, today’s session was right for me' },
] as const;

/**
 * A drop worth a conversation. Modelled on the Session Rating Scale: a total below 36 of 40 is the
 * usual cue to ask what could go better, and so is a fall of 4 or more since the previous session.
 */
export const FEEDBACK_LOW_TOTAL = 36;
export const FEEDBACK_DROP = 4;

/** Why a session's feedback is flagged: a fall since the previous one, or a low total. The page words it. */
export type FeedbackFlag =
  { readonly kind: 'drop'; readonly points: number } | { readonly kind: 'low'; readonly below: number };

export interface FeedbackTrendPoint extends Feedback {
  readonly total: number;
  readonly flagged: boolean;
  readonly flag: FeedbackFlag | null;
}

export function feedbackTrend(items: readonly Feedback[]): FeedbackTrendPoint[] {
  let previous: number | null = null;
  return items.map((f) => {
    const total = f.heard + f.goals + f.approach + f.overall;
    let flag: FeedbackFlag | null = null;
    if (previous !== null && previous - total >= FEEDBACK_DROP)
      flag = { kind: 'drop', points: previous - total };
    else if (total < FEEDBACK_LOW_TOTAL) flag = { kind: 'low', below: FEEDBACK_LOW_TOTAL };
    previous = total;
    return { ...f, total, flagged: flag !== null, flag };
  });
}

export class FeedbackService {
  readonly #sequelize: Sequelize;
  readonly #repo: IntakeRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    intake: IntakeRepository;
    access: ClinicalAccess;
    audit: AuditTrail;
    clock: Clock;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.intake;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
  }

  /** A client rates a session with one of their own therapists. */
  async submit(actor: ClinicalActor, input: Readonly<Record<string, unknown>>): Promise<Feedback> {
    const form = parseOrThrow(feedbackSchema, input, 'clinical.feedback_invalid');
    const facts = await this.#access.require(actor, actor.id, 'session_feedback', (f) =>
      canSubmitOwnAnswers(actor, f),
    );
    if (!facts.treatingTherapistIds.includes(form.therapistId)) {
      throw new AppError(
        'clinical.not_your_therapist',
        'bad_request',
        phrase('clinical:problem.ownTherapistOnly'),
      );
    }
    const feedback: Feedback = {
      id: newId(),
      clientId: actor.id,
      therapistId: form.therapistId,
      appointmentId: form.appointmentId || null,
      heard: form.heard,
      goals: form.goals,
      approach: form.approach,
      overall: form.overall,
      comment: form.comment,
      createdAt: this.#clock.now(),
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertFeedback(feedback, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'feedback.submitted',
          targetType: 'session_feedback',
          targetId: feedback.id,
          subjectId: actor.id,
          ip: actor.ip ?? null,
        },
        tx,
      );
    });
    return feedback;
  }

  /** The trend of one client's ratings of this therapist (the therapist, or the client themself). */
  async trend(actor: ClinicalActor, clientId: string, therapistId: string): Promise<FeedbackTrendPoint[]> {
    await this.#access.require(actor, clientId, 'session_feedback', (f) =>
      canReadFeedback(actor, f, therapistId),
    );
    return this.#sequelize.transaction(async (tx) => {
      const items = await this.#repo.feedbackOf(clientId, therapistId, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'feedback.read',
          targetType: 'session_feedback',
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { count: items.length },
        },
        tx,
      );
      return feedbackTrend(items);
    });
  }
}
