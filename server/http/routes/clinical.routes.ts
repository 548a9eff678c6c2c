import { Router } from 'express';
import { z } from 'zod';
import {
  answersFromForm,
  FEEDBACK_SCALES,
  MEASURE_IDS,
  MEASURES,
  measureWording,
  type MeasureId,
  progressSeries,
  progressCharts,
} from '../../clinical';
import { SPECIALTIES, TIMES, FORMATS, APPROACHES } from '../../directory';
import { AppError } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { chartLocaleOf } from './chart-locale';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, form, keepValues, readerLanguageOf, renderFormError } from './route-helpers';
import { clinicalStaffRoutes, type ClinicalRoutesDeps } from './clinical-staff.routes';
import { formatDate } from '../../shared/date-time-format';
import { dateReaderOf } from '../middleware/date-locals';
import { errorTextFor } from '../error-words';

/** The clinical pages' dependencies (declared with the staff routes, which this file mounts). */
export type { ClinicalRoutesDeps } from './clinical-staff.routes';

/** The signed-in person as the clinical services want them (with the IP for the audit trail). */
const client = requireRole('client');

const measureRoute = { measure: z.enum(MEASURE_IDS) };
/** A questionnaire's answers: `<measure>_<item>` and `<measure>_difficulty`. */
const answerFields = (...ids: readonly MeasureId[]) =>
  Object.fromEntries(
    ids.flatMap((id) => [
      ...MEASURES[id].items.map((_, i) => [`${id}_${i}`, fields.text(10)] as const),
      [`${id}_difficulty`, fields.text()] as const,
    ]),
  );
const ALL_ANSWERS = answerFields(...MEASURE_IDS);
const INTAKE_FIELDS = {
  emergencyContactName: fields.text(),
  emergencyContactPhone: fields.text(),
  location: fields.text(),
  reasons: fields.longText(),
  goals: fields.longText(),
  preferredLanguage: fields.text(),
  preferredFormat: fields.text(),
  preferredApproach: fields.text(),
  topics: fields.list(),
  preferredTimes: fields.list(),
  ...answerFields('phq9', 'gad7'),
};
const SAFETY_FIELDS = {
  location: fields.text(),
  callbackNumber: fields.text(),
  atHome: fields.text(10),
  appointmentId: fields.optionalId,
};
const FEEDBACK_FIELDS = {
  therapistId: fields.optionalId,
  appointmentId: fields.optionalId,
  heard: fields.text(10),
  goals: fields.text(10),
  approach: fields.text(10),
  overall: fields.text(10),
  comment: fields.longText(),
};

/**
 * Clinical pages for clients: consent and intake, questionnaires, their own progress, the crisis
 * help page, the start-of-session safety check, feedback and their therapist shortlist. The staff
 * side (therapist dashboard, records, notes, admin) is in clinical-staff.routes.ts.
 */
export function clinicalRoutes(deps: ClinicalRoutesDeps): Router {
  const { clinical, directory } = deps;
  const router = Router();

  // Crisis help is for everyone, signed in or not: nobody should have to sign in to find a helpline.
  router.get(
    '/clinical/crisis-help',
    endpoint({}, (_input, req, res) => {
      res.render('clinical/crisis-help', {
        resources: clinical.crisis.resourcesFor(readerLanguageOf(req)),
      });
    }),
  );

  router.get(
    '/clinical/me',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const [needsConsent, hasIntake, due, results, therapists] = await Promise.all([
        clinical.intake.needsConsent(me.id, readerLanguageOf(req)),
        clinical.intake.hasIntake(me.id),
        clinical.measures.due(me, me.id),
        clinical.measures.results(me, me.id),
        clinical.care.treatingTherapistIds(me.id),
      ]);
      res.render('clinical/client-home', {
        needsConsent,
        hasIntake,
        due: due.map((id) => MEASURES[id]),
        series: progressSeries(results),
        hasTherapist: therapists.length > 0,
      });
    }),
  );

  router.get(
    '/clinical/intake',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const language = readerLanguageOf(req);
      if (await clinical.intake.needsConsent(me.id, language)) {
        res.render('clinical/consent', {
          readerLanguage: readerLanguageOf(req),
          consent: await clinical.intake.currentConsent(language),
          errors: {},
          values: {},
        });
        return;
      }
      if (await clinical.intake.hasIntake(me.id)) return res.redirect(303, '/clinical/me');
      res.render('clinical/intake', intakeLocals(readerLanguageOf(req), {}, {}));
    }),
  );

  router.post(
    '/clinical/consent',
    client,
    endpoint(
      { body: { typedName: fields.text(), version: fields.text(20) } },
      async (_input, req, res, next) => {
        const values = form(req);
        try {
          await clinical.intake.signConsent(actorOf(req), values, readerLanguageOf(req));
          res.redirect(303, '/clinical/intake');
        } catch (error) {
          if (error instanceof AppError && error.code === 'clinical.consent_changed') {
            res.status(409).render('clinical/consent', {
              readerLanguage: readerLanguageOf(req),
              consent: await clinical.intake.currentConsent(readerLanguageOf(req)),
              errors: { form: errorTextFor(res, error) },
              values: keepValues(values),
            });
            return;
          }
          renderFormError(res, next, error, 'clinical/consent', {
            readerLanguage: readerLanguageOf(req),
            consent: await clinical.intake.currentConsent(readerLanguageOf(req)),
            values: keepValues(values),
          });
        }
      },
    ),
  );

  router.post(
    '/clinical/intake',
    client,
    endpoint({ body: INTAKE_FIELDS }, async ({ body }, req, res, next) => {
      try {
        const phq9 = answersFromForm('phq9', body);
        const gad7 = answersFromForm('gad7', body);
        const { crisis } = await clinical.intake.submitIntake(actorOf(req), {
          form: body,
          phq9,
          gad7,
          language: readerLanguageOf(req),
        });
        if (crisis) {
          res.render('clinical/crisis-help', {
            resources: clinical.crisis.resourcesFor(readerLanguageOf(req)),
            afterAnswers: true,
          });
          return;
        }
        res.redirect(303, '/clinical/matches');
      } catch (error) {
        renderFormError(
          res,
          next,
          error,
          'clinical/intake',
          intakeLocals(readerLanguageOf(req), keepValues(form(req)), {}, listValues(body)),
        );
      }
    }),
  );

  router.get(
    '/clinical/measures/:measure',
    client,
    endpoint({ params: measureRoute }, ({ params }, req, res) => {
      const { measure } = params;
      res.render('clinical/measure-form', measureLocals(measure, readerLanguageOf(req), {}, {}));
    }),
  );

  router.post(
    '/clinical/measures/:measure',
    client,
    endpoint({ params: measureRoute, body: ALL_ANSWERS }, async ({ params, body }, req, res, next) => {
      const { measure } = params;
      const me = actorOf(req);
      try {
        const parsed = answersFromForm(measure, body);
        const { result, crisis } = await clinical.measures.submit(me, me.id, { measure, ...parsed });
        res.render('clinical/measure-result', {
          def: MEASURES[measure],
          result,
          crisis,
          resources: crisis ? clinical.crisis.resourcesFor(readerLanguageOf(req)) : null,
        });
      } catch (error) {
        renderFormError(
          res,
          next,
          error,
          'clinical/measure-form',
          measureLocals(measure, readerLanguageOf(req), keepValues(form(req)), {}),
        );
      }
    }),
  );

  router.get(
    '/clinical/progress',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const series = progressSeries(await clinical.measures.results(me, me.id));
      res.render('clinical/progress', {
        heading: pageT(res)('clinical:me.progress'),
        series,
        charts: progressCharts(
          series,
          (d) => formatDate(d, dateReaderOf(req)),
          undefined,
          chartLocaleOf(res),
        ),
      });
    }),
  );

  router.get(
    '/clinical/safety-check',
    client,
    endpoint({ query: { appointment: fields.optionalId } }, ({ query }, _req, res) => {
      res.render('clinical/safety-check', {
        errors: {},
        values: { appointmentId: query.appointment ?? '' },
      });
    }),
  );

  router.post(
    '/clinical/safety-check',
    client,
    endpoint({ body: SAFETY_FIELDS }, async (_input, req, res, next) => {
      const values = form(req);
      try {
        await clinical.intake.recordSafetyCheck(actorOf(req), values);
        req.session.flash = pageT(res)('clinical:flash.safetyThanks');
        res.redirect(
          303,
          values.appointmentId
            ? `/rooms/appointment/${encodeURIComponent(values.appointmentId)}`
            : '/clinical/me',
        );
      } catch (error) {
        renderFormError(res, next, error, 'clinical/safety-check', {
          values: keepValues(values),
        });
      }
    }),
  );

  router.get(
    '/clinical/feedback',
    client,
    endpoint({}, async (_input, req, res) => {
      const therapists = await therapistsOf(deps, actorOf(req).id);
      res.render('clinical/feedback', {
        scales: FEEDBACK_SCALES,
        therapists,
        errors: {},
        values: {},
      });
    }),
  );

  router.post(
    '/clinical/feedback',
    client,
    endpoint({ body: FEEDBACK_FIELDS }, async (_input, req, res, next) => {
      const values = form(req);
      try {
        await clinical.feedback.submit(actorOf(req), values);
        req.session.flash = pageT(res)('clinical:flash.feedbackThanks');
        res.redirect(303, '/clinical/me');
      } catch (error) {
        const therapists = await therapistsOf(deps, actorOf(req).id);
        renderFormError(res, next, error, 'clinical/feedback', {
          scales: FEEDBACK_SCALES,
          therapists,
          values: keepValues(values),
        });
      }
    }),
  );

  router.get(
    '/clinical/matches',
    client,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const intake = await clinical.intake.intakeOf(me, me.id);
      if (!intake) return res.redirect(303, '/clinical/intake');
      const matches = await directory.match({
        location: intake.location,
        topics: intake.topics ?? [],
        ...(intake.preferredLanguage ? { language: intake.preferredLanguage } : {}),
        ...(intake.preferredFormat ? { format: intake.preferredFormat } : {}),
        ...(intake.preferredApproach ? { approach: intake.preferredApproach } : {}),
        times: intake.preferredTimes ?? [],
      });
      res.render('clinical/matches', { matches, location: intake.location });
    }),
  );

  router.use(clinicalStaffRoutes(deps));
  return router;
}

async function therapistsOf(deps: ClinicalRoutesDeps, clientId: string) {
  const ids = await deps.clinical.care.treatingTherapistIds(clientId);
  const out: { id: string; name: string }[] = [];
  for (const id of ids) {
    const person = await deps.people.byId(id);
    out.push({ id, name: person?.displayName ?? 'Your therapist' });
  }
  return out;
}

function listValues(body: Record<string, unknown>): { topics: string[]; preferredTimes: string[] } {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  return { topics: list(body.topics), preferredTimes: list(body.preferredTimes) };
}

function intakeLocals(
  language: string,
  values: Record<string, string>,
  errors: Record<string, string>,
  lists = { topics: [] as string[], preferredTimes: [] as string[] },
) {
  return {
    values,
    lists,
    errors,
    measures: MEASURE_IDS.map((id) => measureWording(id, language)),
    specialties: SPECIALTIES,
    times: TIMES,
    formats: FORMATS,
    approaches: APPROACHES,
  };
}

function measureLocals(
  measure: MeasureId,
  language: string,
  values: Record<string, string>,
  errors: Record<string, string>,
) {
  return {
    def: MEASURES[measure],
    wording: measureWording(measure, language),
    values,
    errors,
  };
}
