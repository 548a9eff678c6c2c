import { Router } from 'express';
import { ALL_ANSWER_KEYS, EXERCISES, SAFETY_PLAN_SECTIONS, safetyPlanDocument } from '../../care-planning';
import { AppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import type { CarePlanningRoutesDeps } from './care-planning.routes';
import { actorOf, readerLanguageOf } from './route-helpers';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { renderFormError } from './route-helpers';

const client = requireRole('client');
const ANSWER_FIELDS = Object.fromEntries(ALL_ANSWER_KEYS.map((key) => [key, fields.longText(12_000)]));

/**
 * The client's side of care planning: their current plan (and signing it), their exercises between
 * sessions, and their safety plan (on screen, printable, and as a file to keep on their phone).
 */
export function careClientRoutes(deps: CarePlanningRoutesDeps): Router {
  const { carePlanning } = deps;
  const { plans, homework } = carePlanning;
  const router = Router();

  router.get(
    '/care/plan',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const versions = await plans.versions(me, me.id);
      const current = versions.find((p) => p.status === 'active');
      if (current) return res.redirect(303, `/care/plans/${current.id}`);
      res.render('care/no-plan', { title: 'My treatment plan', versions });
    }),
  );

  router.post(
    '/care/plans/:planId/client-signature',
    client,
    endpoint(
      { params: { planId: fields.id }, body: { typedName: fields.text(300) } },
      async ({ params, body }, req, res) => {
        await plans.signAsClient(actorOf(req), params.planId, body);
        req.session.flash = 'Thank you. You signed your treatment plan.';
        res.redirect(303, `/care/plans/${params.planId}`);
      },
    ),
  );

  router.get(
    '/care/homework',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      res.render('care/homework-list', {
        title: 'Exercises',
        list: await homework.list(me, me.id),
        library: EXERCISES,
      });
    }),
  );

  router.get(
    '/care/homework/:homeworkId',
    requireRole('client', 'therapist', 'admin'),
    endpoint({ params: { homeworkId: fields.id } }, async ({ params }, req, res) => {
      const me = actorOf(req);
      const item = await homework.read(me, params.homeworkId);
      res.render('care/homework', {
        title: EXERCISES[item.exercise].name,
        item,
        def: EXERCISES[item.exercise],
        canAnswer: me.id === item.clientId && item.status !== 'completed',
        values: item.answers,
        revision: item.revision,
        errors: {},
      });
    }),
  );

  router.post(
    '/care/homework/:homeworkId',
    client,
    endpoint(
      {
        params: { homeworkId: fields.id },
        body: { ...ANSWER_FIELDS, revision: fields.text(10), done: fields.text(10) },
      },
      async ({ params, body }, req, res, next) => {
        const me = actorOf(req);
        const loaded = Number(body.revision);
        if (!Number.isInteger(loaded) || loaded < 1) {
          throw new AppError('care.homework_revision', 'bad_request', 'Reload the page and try again.');
        }
        const done = body.done === 'yes';
        // The autosave script posts with Accept: application/json and only needs the new revision.
        if (req.accepts(['html', 'json']) === 'json') {
          res.json({ ok: true, revision: await homework.answer(me, params.homeworkId, body, loaded, false) });
          return;
        }
        try {
          await homework.answer(me, params.homeworkId, body, loaded, done);
          req.session.flash = done ? 'Done. Your therapist will see it before your next session.' : 'Saved.';
          res.redirect(303, done ? '/care/homework' : `/care/homework/${params.homeworkId}`);
        } catch (error) {
          const item = await homework.read(me, params.homeworkId);
          renderFormError(res, next, error, 'care/homework', {
            title: EXERCISES[item.exercise].name,
            item,
            def: EXERCISES[item.exercise],
            canAnswer: true,
            values: body,
            revision: item.revision,
          });
        }
      },
    ),
  );

  router.get(
    '/care/safety-plan',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const versions = await homework.safetyPlans(me, me.id);
      res.render('care/safety-plan', {
        title: 'My safety plan',
        plan: versions[0] ?? null,
        sections: SAFETY_PLAN_SECTIONS,
        resources: deps.crisisResources(readerLanguageOf(req)),
      });
    }),
  );

  // A file to keep on the phone for when they are offline or signed out: never a public link.
  router.get(
    '/care/safety-plan/download',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const [plan] = await homework.safetyPlans(me, me.id, 'downloaded');
      if (!plan) throw new AppError('care.no_safety_plan', 'not_found', 'You do not have a safety plan yet.');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="my-safety-plan.html"');
      res.send(
        safetyPlanDocument(plan, {
          clinicName: await deps.clinicName(),
          crisisResources: deps.crisisResources(readerLanguageOf(req)),
        }),
      );
    }),
  );

  return router;
}
