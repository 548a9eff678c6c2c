import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  allCodes,
  EXERCISES,
  GOAL_STATUSES,
  MAX_GOALS,
  MAX_OBJECTIVES,
  planFieldNames,
  planProgress,
  SAFETY_PLAN_SECTIONS,
  type CarePlan,
} from '../../care-planning';
import {
  feedbackTrend,
  MEASURES,
  progressCharts,
  progressSeries,
  type ChartTarget,
  type ClinicalActor,
  type MeasureResult,
} from '../../clinical';
import { AppError, isAppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import type { CarePlanningRoutesDeps } from './care-planning.routes';
import { formatDate } from '../../shared/date-time-format';
import { dateReaderOf } from '../middleware/date-locals';
import { pageT } from '../middleware/language-locals';
import { chartLocaleOf } from './chart-locale';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, keepValues, optional, renderFormError } from './route-helpers';

const staff = requireRole('therapist', 'admin');
const therapist = requireRole('therapist');
const admin = requireRole('admin');

const clientRoute = { clientId: fields.id };
const PLAN_FIELDS = Object.fromEntries(
  planFieldNames().map((name) => [
    name,
    name.endsWith('_interventions') ? fields.list(30, 200) : fields.longText(12_000),
  ]),
);
const SAFETY_FIELDS = Object.fromEntries(SAFETY_PLAN_SECTIONS.map((s) => [s.key, fields.longText(8000)]));
const DAY = 86_400_000;

/** Chart targets of a plan's score objectives, per measure. */
export function targetsOf(plan: CarePlan | null): Record<'phq9' | 'gad7', ChartTarget[]> {
  const out: Record<'phq9' | 'gad7', ChartTarget[]> = { phq9: [], gad7: [] };
  for (const goal of plan?.body.goals ?? []) {
    for (const o of goal.objectives) {
      if (o.measure && o.below !== null) {
        out[o.measure].push({
          below: o.below,
          by: o.targetDate ? new Date(`${o.targetDate}T00:00:00Z`) : null,
        });
      }
    }
  }
  return out;
}

/**
 * The charts of a client's scores (with their legends) and the plan's target lines, written for this
 * page's reader: their dates, their language's words and digits, right to left in Arabic.
 */
export function chartsWithTargets(
  req: Request,
  res: Response,
  results: readonly MeasureResult[],
  plan: CarePlan | null,
) {
  const series = progressSeries(results);
  const targets = targetsOf(plan);
  const day = (d: Date) => formatDate(d, dateReaderOf(req));
  return {
    series,
    charts: progressCharts(series, day, (measure) => targets[measure], chartLocaleOf(res)),
  };
}

/**
 * The therapist's side of care planning: one client's care page, diagnoses, the plan editor, homework
 * assignments, the safety plan, note ↔ goal links, and the admin's list of interventions.
 */
export function careStaffRoutes(deps: CarePlanningRoutesDeps): Router {
  const { carePlanning, clinical } = deps;
  const { diagnoses, plans, homework } = carePlanning;
  const router = Router();
  const nameOf = async (id: string) => (await deps.people.byId(id))?.displayName ?? 'Client';

  /** Everything on the care page; `errors`/`values` re-render a refused form. */
  async function carePage(
    req: Request,
    res: Response,
    clientId: string,
    extra: Record<string, unknown> = {},
  ) {
    const me = actorOf(req);
    // The plan list is the gate: without access to it there is nothing on this page for this person.
    const versions = await plans.versions(me, clientId);
    const active = versions.find((p) => p.status === 'active') ?? null;
    const draft = versions.find((p) => p.status === 'draft') ?? null;
    const [dx, exercises, safety, results, feedback] = await Promise.all([
      optional(diagnoses.list(me, clientId)),
      homework.list(me, clientId),
      homework.safetyPlans(me, clientId),
      optional(clinical.measures.results(me, clientId)),
      optional(clinical.feedback.trend(me, clientId, me.id)),
    ]);
    const now = deps.clock.now();
    const { series, charts } = chartsWithTargets(req, res, results ?? [], active);
    return {
      clientId,
      clientName: await nameOf(clientId),
      canWrite: me.roles.includes('therapist'),
      versions,
      active,
      // A review date before today is overdue (the dashboard says so too).
      reviewOverdue: Boolean(active?.reviewDueOn && active.reviewDueOn < now.toISOString().slice(0, 10)),
      draft,
      progress: active && results ? planProgress(active, results, now) : new Map(),
      measures: MEASURES,
      diagnoses: dx,
      codes: allCodes(),
      exercises,
      library: EXERCISES,
      safety: safety[0] ?? null,
      series,
      charts,
      // Feedback flags from the last day: "today's" drops, shown next to the plan.
      flagged: feedbackTrend(feedback ?? []).filter(
        (f) => f.flagged && now.getTime() - f.createdAt.getTime() < DAY,
      ),
      errors: {},
      values: {},
      ...extra,
    };
  }

  /**
   * A form posted from the care page: do `work`, then back to the page's section with a flash (the
   * `done` key, in the reader's language); a
   * refused form re-renders the page with the errors next to the fields and what was typed.
   */
  function carePageForm(
    section: string,
    done: string,
    work: (me: ClinicalActor, clientId: string, body: Record<string, unknown>) => Promise<unknown>,
  ) {
    return async (
      { params, body }: { params: { clientId: string }; body: Record<string, unknown> },
      req: Request,
      res: Response,
      next: NextFunction,
    ) => {
      const me = actorOf(req);
      try {
        await work(me, params.clientId, body);
        req.session.flash = pageT(res)(done);
        res.redirect(303, `/clinical/clients/${params.clientId}/care${section}`);
      } catch (error) {
        const values = keepValues(body as Record<string, string>);
        renderFormError(
          res,
          next,
          error,
          'care/client-care',
          await carePage(req, res, params.clientId, { values }),
        );
      }
    };
  }

  router.get(
    '/clinical/clients/:clientId/care',
    staff,
    endpoint({ params: clientRoute }, async ({ params }, req, res) => {
      res.render('care/client-care', await carePage(req, res, params.clientId));
    }),
  );

  router.post(
    '/clinical/clients/:clientId/diagnoses',
    therapist,
    endpoint(
      {
        params: clientRoute,
        body: { code: fields.text(20), rank: fields.text(20), onsetOn: fields.text(20) },
      },
      carePageForm('#diagnoses', 'care:flash.diagnosisAdded', (me, clientId, body) =>
        diagnoses.add(me, clientId, body),
      ),
    ),
  );

  router.post(
    '/care/diagnoses/:diagnosisId/end',
    therapist,
    endpoint(
      { params: { diagnosisId: fields.id }, body: { endedOn: fields.text(20), clientId: fields.optionalId } },
      async ({ params, body }, req, res) => {
        await diagnoses.end(actorOf(req), params.diagnosisId, body);
        req.session.flash = pageT(res)('care:flash.diagnosisEnded');
        res.redirect(303, body.clientId ? `/clinical/clients/${body.clientId}/care#diagnoses` : '/clinical');
      },
    ),
  );

  router.post(
    '/clinical/clients/:clientId/care-plans',
    therapist,
    endpoint({ params: clientRoute }, async ({ params }, req, res) => {
      const plan = await plans.startDraft(actorOf(req), params.clientId);
      res.redirect(303, `/care/plans/${plan.id}`);
    }),
  );

  router.post(
    '/care/plans/:planId',
    therapist,
    endpoint(
      {
        params: { planId: fields.id },
        body: { ...PLAN_FIELDS, revision: fields.text(10), sign: fields.text(10) },
      },
      async ({ params, body }, req, res, next) => {
        const me = actorOf(req);
        const loaded = Number(body.revision);
        if (!Number.isInteger(loaded) || loaded < 1) {
          throw new AppError('care.plan_revision', 'bad_request', phrase('care:problem.reloadPlan'));
        }
        const json = req.accepts(['html', 'json']) === 'json';
        let revision = loaded;
        try {
          revision = await plans.saveDraft(me, params.planId, body, loaded);
          // The autosave script posts with Accept: application/json and only needs the new revision.
          if (json) {
            res.json({ ok: true, revision });
            return;
          }
          if (body.sign === 'yes') {
            await plans.sign(me, params.planId);
            req.session.flash = pageT(res)('care:flash.planSigned');
          }
          res.redirect(303, `/care/plans/${params.planId}`);
        } catch (error) {
          if (json || !isAppError(error) || error.kind !== 'bad_request') throw error;
          const { plan } = await plans.read(me, params.planId);
          renderFormError(res, next, error, 'care/plan-edit', {
            ...(await editorLocals(plan)),
            values: body,
            // Saved but not signed (the plan is incomplete): the form continues from the saved revision.
            revision,
          });
        }
      },
    ),
  );

  router.post(
    '/clinical/clients/:clientId/homework',
    therapist,
    endpoint(
      {
        params: clientRoute,
        body: { exercise: fields.text(30), instructions: fields.longText(4000), dueOn: fields.text(20) },
      },
      carePageForm('#homework', 'care:flash.exerciseAssigned', (me, clientId, body) =>
        homework.assign(me, clientId, body),
      ),
    ),
  );

  router.get(
    '/clinical/clients/:clientId/safety-plan',
    staff,
    endpoint({ params: clientRoute }, async ({ params }, req, res) => {
      const me = actorOf(req);
      const versions = await homework.safetyPlans(me, params.clientId);
      res.render('care/safety-plan-edit', {
        clientId: params.clientId,
        clientName: await nameOf(params.clientId),
        versions,
        sections: SAFETY_PLAN_SECTIONS,
        canWrite: me.roles.includes('therapist'),
        values: versions[0]?.body ?? {},
        errors: {},
      });
    }),
  );

  router.post(
    '/clinical/clients/:clientId/safety-plan',
    therapist,
    endpoint({ params: clientRoute, body: SAFETY_FIELDS }, async ({ params, body }, req, res, next) => {
      const me = actorOf(req);
      try {
        const saved = await homework.saveSafetyPlan(me, params.clientId, body);
        req.session.flash = pageT(res)('care:flash.safetyPlanSaved', {
          version: (res.locals.number as (n: number) => string)(saved.version),
        });
        res.redirect(303, `/clinical/clients/${params.clientId}/safety-plan`);
      } catch (error) {
        renderFormError(res, next, error, 'care/safety-plan-edit', {
          clientId: params.clientId,
          clientName: await nameOf(params.clientId),
          versions: await homework.safetyPlans(me, params.clientId),
          sections: SAFETY_PLAN_SECTIONS,
          canWrite: true,
          values: body,
        });
      }
    }),
  );

  router.post(
    '/clinical/notes/:noteId/goals',
    therapist,
    endpoint(
      { params: { noteId: fields.id }, body: { goals: fields.idList(MAX_GOALS) } },
      async ({ params, body }, req, res) => {
        const me = actorOf(req);
        const note = await clinical.notes.read(me, params.noteId);
        const goals = body.goals === undefined ? [] : Array.isArray(body.goals) ? body.goals : [body.goals];
        await plans.linkNoteGoals(me, note, goals);
        req.session.flash = pageT(res)('care:flash.goalsLinked');
        res.redirect(303, `/clinical/notes/${params.noteId}`);
      },
    ),
  );

  router.get(
    '/care/interventions',
    admin,
    endpoint({}, async (_input, _req, res) => {
      res.render('care/interventions', {
        list: await plans.interventions(true),
        errors: {},
        values: {},
      });
    }),
  );

  router.post(
    '/care/interventions',
    admin,
    endpoint({ body: { label: fields.text(200) } }, async ({ body }, req, res, next) => {
      try {
        await plans.addIntervention(actorOf(req), body.label ?? '');
        req.session.flash = pageT(res)('care:flash.interventionAdded');
        res.redirect(303, '/care/interventions');
      } catch (error) {
        renderFormError(res, next, error, 'care/interventions', {
          list: await plans.interventions(true),
          values: { label: body.label ?? '' },
        });
      }
    }),
  );

  router.post(
    '/care/interventions/:interventionId',
    admin,
    endpoint(
      { params: { interventionId: fields.id }, body: { active: z.enum(['yes', 'no']).optional() } },
      async ({ params, body }, req, res) => {
        if (!body.active) {
          throw new AppError(
            'care.intervention_invalid',
            'bad_request',
            phrase('care:problem.retireOrRestore'),
          );
        }
        await plans.setInterventionActive(actorOf(req), params.interventionId, body.active === 'yes');
        res.redirect(303, '/care/interventions');
      },
    ),
  );

  /** What the plan editor shows besides the plan itself. */
  async function editorLocals(plan: CarePlan) {
    return {
      plan,
      clientName: await nameOf(plan.clientId),
      interventions: [
        ...new Set([
          ...(await plans.interventions()).map((i) => i.label),
          ...plan.body.goals.flatMap((g) => g.interventions),
        ]),
      ],
      goalStatuses: GOAL_STATUSES,
      measures: MEASURES,
      maxGoals: MAX_GOALS,
      maxObjectives: MAX_OBJECTIVES,
      errors: {},
      values: null,
      revision: plan.revision,
    };
  }

  // Shared with the client routes: the plan page is one address for both.
  router.get(
    '/care/plans/:planId',
    requireRole('therapist', 'admin', 'client'),
    endpoint({ params: { planId: fields.id } }, async ({ params }, req, res) => {
      const me = actorOf(req);
      const { plan, facts } = await plans.read(me, params.planId);
      if (plan.status === 'draft' && facts.treatingTherapistIds.includes(me.id)) {
        res.render('care/plan-edit', await editorLocals(plan));
        return;
      }
      const results = await optional(clinical.measures.results(me, plan.clientId));
      const isClient = me.id === plan.clientId;
      const { series, charts } = chartsWithTargets(req, res, results ?? [], plan);
      res.render('care/plan', {
        plan,
        isClient,
        clientName: await nameOf(plan.clientId),
        therapistName: (await deps.people.byId(plan.therapistId))?.displayName ?? 'Your therapist',
        progress: results ? planProgress(plan, results, deps.clock.now()) : new Map(),
        measures: MEASURES,
        series,
        charts,
        errors: {},
        values: {},
      });
    }),
  );

  return router;
}
