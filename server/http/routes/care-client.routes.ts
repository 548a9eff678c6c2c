import { Router, type Response } from 'express';
import {
  ALL_ANSWER_KEYS,
  EXERCISES,
  SAFETY_PLAN_SECTIONS,
  safetyPlanDocument,
  type SafetyPlanSection,
  type SafetyPlanWords,
} from '../../care-planning';
import { AppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import type { DateLocals } from '../middleware/date-locals';
import { pageT } from '../middleware/language-locals';
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
      res.render('care/no-plan', { versions });
    }),
  );

  router.post(
    '/care/plans/:planId/client-signature',
    client,
    endpoint(
      { params: { planId: fields.id }, body: { typedName: fields.text(300) } },
      async ({ params, body }, req, res) => {
        await plans.signAsClient(actorOf(req), params.planId, body);
        req.session.flash = pageT(res)('care:flash.clientSigned');
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
          throw new AppError('care.homework_revision', 'bad_request', phrase('care:problem.reloadPage'));
        }
        const done = body.done === 'yes';
        // The autosave script posts with Accept: application/json and only needs the new revision.
        if (req.accepts(['html', 'json']) === 'json') {
          res.json({ ok: true, revision: await homework.answer(me, params.homeworkId, body, loaded, false) });
          return;
        }
        try {
          await homework.answer(me, params.homeworkId, body, loaded, done);
          req.session.flash = pageT(res)(done ? 'care:flash.homeworkDone' : 'care:flash.homeworkSaved');
          res.redirect(303, done ? '/care/homework' : `/care/homework/${params.homeworkId}`);
        } catch (error) {
          const item = await homework.read(me, params.homeworkId);
          renderFormError(res, next, error, 'care/homework', {
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
      if (!plan) {
        throw new AppError('care.no_safety_plan', 'not_found', phrase('care:problem.noSafetyPlan'));
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="my-safety-plan.html"');
      res.send(
        safetyPlanDocument(plan, {
          clinicName: await deps.clinicName(),
          crisisResources: deps.crisisResources(readerLanguageOf(req)),
          words: safetyPlanWords(res),
        }),
      );
    }),
  );

  return router;
}

/** The downloaded safety plan's words, in the language the client reads Haven in. */
function safetyPlanWords(res: Response): SafetyPlanWords {
  const t = pageT(res);
  const number = res.locals.number as (n: number) => string;
  const dates = res.locals.dates as DateLocals;
  return {
    lang: res.locals.lang as string,
    dir: res.locals.dir as 'ltr' | 'rtl',
    title: t('common:nav.safetyPlan'),
    inDanger: t('care:safety.inDanger'),
    sections: Object.fromEntries(
      SAFETY_PLAN_SECTIONS.map((s) => [s.key, t(`care:safety.section.${s.key}`)]),
    ) as Record<SafetyPlanSection, string>,
    numbered: (n, label) => t('care:safety.numbered', { n: number(n), label }),
    footer: (version, createdAt, clinic) =>
      t('care:safety.fileFooter', { version: number(version), date: dates.date(createdAt), clinic }),
  };
}
