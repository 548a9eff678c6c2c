import { Router } from 'express';
import {
  FEEDBACK_SCALES,
  MEASURES,
  NOTE_TEMPLATES,
  isMeasureId,
  progressSeries,
  progressCharts,
  type Cadence,
  type ClinicalActor,
  type ClinicalServices,
} from '../../clinical';
import { EXERCISES, type CarePlanning } from '../../care-planning';
import type { DirectoryService } from '../../directory';
import { AppError, phrase } from '../../shared/errors';
import { requireRole } from '../middleware/auth';
import { chartLocaleOf } from './chart-locale';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { formatDate } from '../../shared/date-time-format';
import { dateReaderOf } from '../middleware/date-locals';
import { pageT } from '../middleware/language-locals';
import { actorOf, optional } from './route-helpers';

export interface ClinicalRoutesDeps {
  readonly clinical: ClinicalServices;
  readonly directory: DirectoryService;
  /** Names for pages (AccountsService fits). */
  readonly people: { byId(id: string): Promise<{ displayName: string } | null> };
  /** Care planning, for the plan and exercises beside a session note and the reviews on the dashboard. */
  readonly carePlanning?: CarePlanning;
}

const staff = requireRole('therapist', 'admin');
const therapist = requireRole('therapist');
const admin = requireRole('admin');
const CADENCES: readonly Cadence[] = ['once', 'weekly', 'every_2_weeks', 'monthly', 'before_each_session'];

const clientRoute = { clientId: fields.id };
const noteRoute = { noteId: fields.id };
/** A draft note's form: every section of every template, its revision, and "sign". */
const NOTE_FIELDS = {
  ...Object.fromEntries(
    Object.values(NOTE_TEMPLATES)
      .flat()
      .map(({ key }) => [key, fields.longText()]),
  ),
  revision: fields.text(),
  sign: fields.text(),
};

/**
 * Therapist and admin pages: the dashboard (alerts, clients, emergency accesses), one client's
 * record (progress, intake, safety check, notes, feedback), notes, and the admin's care, break-glass
 * and consent-text forms. Every read goes through a clinical service, which checks the policy and
 * writes the audit row.
 */
export function clinicalStaffRoutes(deps: ClinicalRoutesDeps): Router {
  const { clinical } = deps;
  const router = Router();
  const people = async (ids: readonly string[]) => {
    const out = new Map<string, string>();
    for (const id of ids) out.set(id, (await deps.people.byId(id))?.displayName ?? 'Unknown');
    return out;
  };

  router.get(
    '/clinical',
    staff,
    endpoint({}, async (_input, req, res) => {
      const me = actorOf(req);
      const alerts = await clinical.crisis.openFor(me);
      const isTherapist = me.roles.includes('therapist');
      const clients = isTherapist ? await clinical.care.clientsOf(me.id) : [];
      const names = await clientNames(
        deps,
        me,
        clients.map((c) => c.clientId),
      );
      const reviews = (await deps.carePlanning?.plans.reviewsDue(me)) ?? [];
      const reviewNames = await clientNames(
        deps,
        me,
        reviews.map((r) => r.clientId),
      );
      res.render('clinical/staff-home', {
        reviews: reviews.map((r) => ({ ...r, name: reviewNames.get(r.clientId) ?? 'Client' })),
        alerts,
        clients: clients.map((c) => ({ ...c, name: names.get(c.clientId) ?? 'Client' })),
        breakGlass: isTherapist ? await clinical.care.breakGlassSeenBy(me) : [],
        isAdmin: me.roles.includes('admin'),
        consent: me.roles.includes('admin') ? await clinical.intake.currentConsent() : null,
      });
    }),
  );

  router.post(
    '/clinical/alerts/:alertId/acknowledge',
    staff,
    endpoint({ params: { alertId: fields.id } }, async ({ params }, req, res) => {
      await clinical.crisis.acknowledge(actorOf(req), params.alertId);
      res.redirect(303, '/clinical');
    }),
  );

  router.get(
    '/clinical/clients/:clientId',
    staff,
    endpoint({ params: clientRoute }, async ({ params }, req, res) => {
      const me = actorOf(req);
      const { clientId } = params;
      // Scores are the gate: without access to them there is nothing on this page for this person.
      const results = await clinical.measures.results(me, clientId);
      const series = progressSeries(results);
      const [intake, safety, notes, feedback] = await Promise.all([
        clinical.intake.intakeOf(me, clientId),
        clinical.intake.latestSafetyCheck(me, clientId),
        optional(clinical.notes.list(me, clientId)),
        optional(clinical.feedback.trend(me, clientId, me.id)),
      ]);
      const names = await clientNames(deps, me, [clientId]);
      res.render('clinical/client-record', {
        clientId,
        clientName: names.get(clientId) ?? 'Client',
        series,
        charts: progressCharts(
          series,
          (d) => formatDate(d, dateReaderOf(req)),
          undefined,
          chartLocaleOf(res),
        ),
        intake,
        safety,
        notes,
        feedback,
        scales: FEEDBACK_SCALES,
        templates: Object.keys(NOTE_TEMPLATES),
        measures: Object.values(MEASURES),
        cadences: CADENCES,
        assignments: me.roles.includes('therapist')
          ? await optional(clinical.measures.assignments(me, clientId))
          : null,
      });
    }),
  );

  router.post(
    '/clinical/clients/:clientId/assignments',
    therapist,
    endpoint(
      { params: clientRoute, body: { measure: fields.text(), cadence: fields.text() } },
      async ({ params, body }, req, res) => {
        const { measure, cadence } = body;
        if (!isMeasureId(measure) || !CADENCES.includes(cadence as Cadence)) {
          throw new AppError(
            'clinical.assignment_invalid',
            'bad_request',
            phrase('clinical:problem.chooseMeasureCadence'),
          );
        }
        const { clientId } = params;
        await clinical.measures.assign(actorOf(req), clientId, measure, cadence as Cadence);
        res.redirect(303, `/clinical/clients/${encodeURIComponent(clientId)}`);
      },
    ),
  );

  router.post(
    '/clinical/clients/:clientId/notes',
    therapist,
    endpoint(
      { params: clientRoute, body: { template: fields.text() } },
      async ({ params, body }, req, res) => {
        const template = body.template === 'dap' ? 'dap' : 'soap';
        const note = await clinical.notes.create(actorOf(req), params.clientId, template);
        res.redirect(303, `/clinical/notes/${note.id}`);
      },
    ),
  );

  router.get(
    '/clinical/notes/:noteId',
    staff,
    endpoint({ params: noteRoute }, async ({ params }, req, res) => {
      const me = actorOf(req);
      const note = await clinical.notes.read(me, params.noteId);
      const authors = await people([note.authorId, ...note.addenda.map((a) => a.authorId)]);
      const care = me.roles.includes('therapist') && note.authorId === me.id ? await beside(me, note) : null;
      res.render('clinical/note', {
        care,
        note,
        sections: NOTE_TEMPLATES[note.template],
        canEdit: note.status === 'draft' && note.authorId === me.id,
        canAddend: note.status === 'signed' && me.roles.includes('therapist') && note.authorId === me.id,
        authors,
        errors: {},
      });
    }),
  );

  /**
   * What a therapist sees beside a draft note: the active plan (with the goals this note is linked
   * to) and the client's latest exercises. Reads go through care planning (audited).
   */
  async function beside(me: ClinicalActor, note: { id: string; clientId: string }) {
    const care = deps.carePlanning;
    if (!care) return null;
    const versions = await optional(care.plans.versions(me, note.clientId));
    if (versions === null) return null;
    const homework = await care.homework.list(me, note.clientId);
    return {
      plan: versions.find((p) => p.status === 'active') ?? null,
      linked: await care.plans.goalsOfNote(note.id),
      // Most recently worked on first: what the client did since the last session.
      homework: [...homework].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, 3),
      exercises: EXERCISES,
    };
  }

  router.post(
    '/clinical/notes/:noteId',
    therapist,
    endpoint({ params: noteRoute, body: NOTE_FIELDS }, async ({ params, body: values }, req, res) => {
      const { noteId } = params;
      const loaded = Number(values.revision);
      if (!Number.isInteger(loaded) || loaded < 1) {
        throw new AppError('clinical.note_revision', 'bad_request', phrase('clinical:problem.reloadNote'));
      }
      const revision = await clinical.notes.saveDraft(actorOf(req), noteId, values, loaded);
      // The autosave script posts with Accept: application/json and only needs the new revision.
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ ok: true, revision });
        return;
      }
      if (values.sign === 'yes') await clinical.notes.sign(actorOf(req), noteId);
      res.redirect(303, `/clinical/notes/${encodeURIComponent(noteId)}`);
    }),
  );

  router.post(
    '/clinical/notes/:noteId/addenda',
    therapist,
    endpoint(
      { params: noteRoute, body: { reason: fields.text(), body: fields.longText() } },
      async ({ params, body: form }, req, res) => {
        const { reason = '', body = '' } = form;
        const { noteId } = params;
        await clinical.notes.addAddendum(actorOf(req), noteId, reason, body);
        res.redirect(303, `/clinical/notes/${encodeURIComponent(noteId)}`);
      },
    ),
  );

  router.get(
    '/clinical/clients/:clientId/psychotherapy-notes',
    therapist,
    endpoint({ params: clientRoute }, async ({ params }, req, res) => {
      const { clientId } = params;
      const notes = await clinical.notes.psychotherapyNotes(actorOf(req), clientId);
      res.render('clinical/psychotherapy-notes', { clientId, notes });
    }),
  );

  router.post(
    '/clinical/clients/:clientId/psychotherapy-notes',
    therapist,
    endpoint(
      { params: clientRoute, body: { body: fields.longText() } },
      async ({ params, body }, req, res) => {
        const { clientId } = params;
        await clinical.notes.addPsychotherapyNote(actorOf(req), clientId, body.body ?? '');
        res.redirect(303, `/clinical/clients/${encodeURIComponent(clientId)}/psychotherapy-notes`);
      },
    ),
  );

  router.post(
    '/clinical/care',
    admin,
    endpoint(
      { body: { therapistId: fields.optionalId, clientId: fields.optionalId } },
      async ({ body }, req, res) => {
        const { therapistId = '', clientId = '' } = body;
        await clinical.care.assign(actorOf(req), therapistId, clientId);
        req.session.flash = pageT(res)('records:flash.therapistAssigned');
        res.redirect(303, '/clinical');
      },
    ),
  );

  router.post(
    '/clinical/clients/:clientId/break-glass',
    admin,
    endpoint({ params: clientRoute, body: { reason: fields.text() } }, async ({ params, body }, req, res) => {
      const { clientId } = params;
      await clinical.care.breakGlass(actorOf(req), clientId, body.reason ?? '');
      res.redirect(303, `/clinical/clients/${encodeURIComponent(clientId)}`);
    }),
  );

  router.post(
    '/clinical/consent-text',
    admin,
    endpoint({ body: { body: fields.longText() } }, async ({ body }, req, res) => {
      const version = await clinical.intake.setConsentText(actorOf(req), body.body ?? '');
      req.session.flash = pageT(res)('records:flash.consentSaved', {
        version: (res.locals.number as (n: number) => string)(version.version),
      });
      res.redirect(303, '/clinical');
    }),
  );

  return router;
}

/** Client display names, via the accounts lookup the services already use. */
async function clientNames(deps: ClinicalRoutesDeps, _me: ClinicalActor, ids: readonly string[]) {
  const out = new Map<string, string>();
  for (const id of ids) {
    const person = await deps.people.byId(id);
    if (person) out.set(id, person.displayName);
  }
  return out;
}
