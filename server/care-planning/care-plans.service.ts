import type { Sequelize } from 'sequelize';
import type { CareFacts, ClinicalAccess, ClinicalActor } from '../clinical';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { CareAudit } from './care-audit';
import {
  canManageInterventions,
  canReadPlans,
  canSignAsClient,
  canWriteCare,
  seesDrafts,
} from './care-planning.policy';
import type { CarePlanningRepository } from './care-planning.repository';
import {
  clientSignatureSchema,
  EMPTY_PLAN,
  parseOrThrow,
  planFromForm,
  signable,
} from './care-planning.schemas';
import type { CarePlan, CarePlanningSettings, Intervention, IsoDay } from './care-planning.types';

const TARGET = 'care_plan';
const DAY = 86_400_000;
const dayOf = (d: Date): IsoDay => d.toISOString().slice(0, 10);
/** How long the name of one of the clinic's interventions may be, in characters. */
const INTERVENTION_NAME = { min: 2, max: 120 } as const;

export interface ReviewDue {
  readonly planId: string;
  readonly clientId: string;
  readonly dueOn: IsoDay;
  readonly overdue: boolean;
}

/**
 * Treatment plans. A plan is a chain of versions: a draft the therapist edits (autosaved with a
 * revision check), signed by the therapist (it becomes active and its review falls due after the
 * clinic's cadence), read and signed by the client; a review starts the next version as a copy of
 * the active one, and signing it supersedes the old one. A signed version is never changed.
 */
export class CarePlansService {
  readonly #sequelize: Sequelize;
  readonly #repo: CarePlanningRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: CareAudit;
  readonly #clock: Clock;
  readonly #settings: CarePlanningSettings;

  constructor(deps: {
    sequelize: Sequelize;
    repo: CarePlanningRepository;
    access: ClinicalAccess;
    audit: CareAudit;
    clock: Clock;
    settings: CarePlanningSettings;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#settings = deps.settings;
  }

  /**
   * The draft to work on: the open draft if there is one, else a review of the active plan (the
   * next version, starting as a copy of it), else version 1.
   */
  async startDraft(actor: ClinicalActor, clientId: string): Promise<CarePlan> {
    await this.#access.require(actor, clientId, TARGET, (f) => canWriteCare(actor, f));
    return this.#sequelize.transaction(async (tx) => {
      const versions = await this.#repo.plansOf(clientId, tx);
      const open = versions.find((p) => p.status === 'draft');
      if (open) return open;
      const active = versions.find((p) => p.status === 'active') ?? null;
      const now = this.#clock.now();
      const plan: CarePlan = {
        id: newId(),
        clientId,
        therapistId: actor.id,
        version: (versions[0]?.version ?? 0) + 1,
        previousId: active?.id ?? null,
        status: 'draft',
        body: active?.body ?? EMPTY_PLAN,
        revision: 1,
        createdAt: now,
        updatedAt: now,
        signedAt: null,
        reviewDueOn: null,
        clientSignature: null,
        supersededAt: null,
      };
      await this.#repo.insertPlan(plan, tx);
      await this.#audit.write(
        actor,
        active ? 'care_plan.review_started' : 'care_plan.created',
        { type: TARGET, id: plan.id, clientId },
        tx,
        {
          version: plan.version,
        },
      );
      return plan;
    });
  }

  /** Loads a plan the actor may write (treating therapist) that is still a draft. */
  async #draft(actor: ClinicalActor, planId: string): Promise<CarePlan> {
    const plan = await this.#repo.planById(planId);
    if (!plan) throw new AppError('care.plan_not_found', 'not_found', phrase('care:problem.noSuchPlan'));
    await this.#access.require(actor, plan.clientId, TARGET, (f) => canWriteCare(actor, f));
    if (plan.status !== 'draft') {
      throw new AppError('care.plan_signed', 'conflict', phrase('care:problem.versionSigned'));
    }
    return plan;
  }

  /** Saves the editor's form at the revision it loaded; returns the new revision. */
  async saveDraft(
    actor: ClinicalActor,
    planId: string,
    form: Readonly<Record<string, unknown>>,
    revision: number,
  ): Promise<number> {
    const plan = await this.#draft(actor, planId);
    // A retired intervention stays allowed on a plan that already names it (a review copies it).
    const allowed = new Set([
      ...(await this.#repo.interventions()).map((i) => i.label),
      ...plan.body.goals.flatMap((g) => g.interventions),
    ]);
    const body = planFromForm(form, [...allowed]);
    return this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.saveDraft(planId, body, revision, this.#clock.now(), tx))) {
        throw new AppError('care.plan_changed', 'conflict', phrase('care:problem.planChanged'));
      }
      await this.#audit.write(
        actor,
        'care_plan.updated',
        { type: TARGET, id: planId, clientId: plan.clientId },
        tx,
        {
          revision: revision + 1,
        },
      );
      return revision + 1;
    });
  }

  /** The therapist signs the draft: it becomes the active plan and its review falls due. */
  async sign(actor: ClinicalActor, planId: string): Promise<CarePlan> {
    const plan = await this.#draft(actor, planId);
    signable(plan.body);
    const now = this.#clock.now();
    const dueOn = dayOf(new Date(now.getTime() + this.#settings.reviewDays * DAY));
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.sign(plan, now, dueOn, tx))) {
        throw new AppError('care.plan_signed', 'conflict', phrase('care:problem.versionAlreadySigned'));
      }
      await this.#audit.write(
        actor,
        'care_plan.signed',
        { type: TARGET, id: planId, clientId: plan.clientId },
        tx,
        {
          version: plan.version,
        },
      );
    });
    return (await this.#repo.planById(planId))!;
  }

  /** The client reads the active plan and signs it with their typed name (time and address kept). */
  async signAsClient(
    actor: ClinicalActor,
    planId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const plan = await this.#repo.planById(planId);
    if (!plan) throw new AppError('care.plan_not_found', 'not_found', phrase('care:problem.noSuchPlan'));
    await this.#access.require(actor, plan.clientId, TARGET, (f) => canSignAsClient(actor, f));
    const { typedName } = parseOrThrow(clientSignatureSchema, input, 'care.signature_invalid');
    if (plan.status !== 'active') {
      throw new AppError('care.plan_not_active', 'conflict', phrase('care:problem.onlyCurrentPlan'));
    }
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.signAsClient(planId, typedName, actor.ip ?? null, this.#clock.now(), tx))) {
        throw new AppError('care.plan_client_signed', 'conflict', phrase('care:problem.clientAlreadySigned'));
      }
      await this.#audit.write(
        actor,
        'care_plan.client_signed',
        { type: TARGET, id: planId, clientId: plan.clientId },
        tx,
        {
          version: plan.version,
        },
      );
    });
  }

  /** One version. A client sees signed versions only; a draft is "not found" to them. */
  async read(actor: ClinicalActor, planId: string): Promise<{ plan: CarePlan; facts: CareFacts }> {
    const head = await this.#repo.planById(planId);
    if (!head) throw new AppError('care.plan_not_found', 'not_found', phrase('care:problem.noSuchPlan'));
    const facts = await this.#access.require(actor, head.clientId, TARGET, (f) => canReadPlans(actor, f));
    if (head.status === 'draft' && !seesDrafts(actor, facts)) {
      throw new AppError('care.plan_not_found', 'not_found', phrase('care:problem.noSuchPlan'));
    }
    return this.#sequelize.transaction(async (tx) => {
      const plan = (await this.#repo.planById(planId, tx)) ?? head;
      await this.#audit.read(
        actor,
        facts,
        'care_plan.read',
        { type: TARGET, id: planId, clientId: plan.clientId },
        tx,
        {
          version: plan.version,
        },
      );
      return { plan, facts };
    });
  }

  /** Every version the actor may see, newest first; the read is audited. */
  versions(actor: ClinicalActor, clientId: string): Promise<CarePlan[]> {
    return this.#audit.listed({
      actor,
      clientId,
      type: TARGET,
      action: 'care_plan.listed',
      rule: (f) => canReadPlans(actor, f),
      load: async (tx, facts) => {
        const all = await this.#repo.plansOf(clientId, tx);
        return seesDrafts(actor, facts) ? all : all.filter((p) => p.status !== 'draft');
      },
    });
  }

  /**
   * The therapist's own active plans whose review is due within the notice period, or overdue
   * (dates and ids only: the dashboard names the client, not the plan).
   */
  async reviewsDue(actor: ClinicalActor): Promise<ReviewDue[]> {
    if (!actor.roles.includes('therapist')) return [];
    const today = dayOf(this.#clock.now());
    const horizon = dayOf(new Date(this.#clock.now().getTime() + this.#settings.reviewNoticeDays * DAY));
    const due = await this.#repo.reviewsDue(actor.id, horizon);
    return due.map((d) => ({ ...d, overdue: d.dueOn < today }));
  }

  /** Which goals of the active plan a session note worked on (replaces the previous choice). */
  async linkNoteGoals(
    actor: ClinicalActor,
    note: { readonly id: string; readonly clientId: string },
    goalIds: readonly string[],
  ): Promise<void> {
    await this.#access.require(actor, note.clientId, TARGET, (f) => canWriteCare(actor, f));
    const plans = await this.#repo.plansOf(note.clientId);
    const active = plans.find((p) => p.status === 'active');
    if (!active) throw new AppError('care.no_active_plan', 'conflict', phrase('care:problem.noSignedPlan'));
    const known = new Set(active.body.goals.map((g) => g.id));
    if (goalIds.some((id) => !known.has(id))) {
      throw new AppError('care.unknown_goal', 'bad_request', phrase('care:problem.goalsOfCurrentPlan'));
    }
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.setNoteGoals(
        { noteId: note.id, planId: active.id, clientId: note.clientId, by: actor.id, at: this.#clock.now() },
        goalIds,
        tx,
      );
      await this.#audit.write(
        actor,
        'care_plan.note_goals_linked',
        { type: 'clinical_note', id: note.id, clientId: note.clientId },
        tx,
        {
          goals: goalIds.length,
        },
      );
    });
  }

  /** The goal ids a note is linked to (the caller has already read the note, which is audited). */
  async goalsOfNote(noteId: string): Promise<string[]> {
    return this.#repo.goalsOfNote(noteId);
  }

  // ── the clinic's interventions ───────────────────────────────────────────────────────────────

  async interventions(includeRetired = false): Promise<Intervention[]> {
    return this.#repo.interventions(includeRetired);
  }

  async addIntervention(actor: ClinicalActor, label: string): Promise<void> {
    if (!canManageInterventions(actor)) throw new AppError('care.forbidden', 'forbidden');
    const clean = label.trim();
    if (clean.length < INTERVENTION_NAME.min || clean.length > INTERVENTION_NAME.max) {
      const problem = phrase('care:problem.interventionName', INTERVENTION_NAME);
      throw new AppError('care.intervention_invalid', 'bad_request', problem, { label: problem });
    }
    const all = await this.#repo.interventions(true);
    if (all.some((i) => i.label.toLowerCase() === clean.toLowerCase())) {
      const problem = phrase('care:problem.interventionListed');
      throw new AppError('care.intervention_invalid', 'bad_request', problem, { label: problem });
    }
    await this.#sequelize.transaction(async (tx) => {
      const id = newId();
      await this.#repo.addIntervention(
        { id, label: clean, position: all.length, active: true },
        this.#clock.now(),
        tx,
      );
      await this.#audit.write(
        actor,
        'care_intervention.added',
        { type: 'care_intervention', id, clientId: null },
        tx,
      );
    });
  }

  async setInterventionActive(actor: ClinicalActor, id: string, active: boolean): Promise<void> {
    if (!canManageInterventions(actor)) throw new AppError('care.forbidden', 'forbidden');
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.setInterventionActive(id, active, tx))) {
        throw new AppError(
          'care.intervention_not_found',
          'not_found',
          phrase('care:problem.noSuchIntervention'),
        );
      }
      await this.#audit.write(
        actor,
        active ? 'care_intervention.restored' : 'care_intervention.retired',
        {
          type: 'care_intervention',
          id,
          clientId: null,
        },
        tx,
      );
    });
  }
}
