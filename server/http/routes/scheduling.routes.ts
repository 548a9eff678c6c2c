import { Router, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  FORMATS,
  KINDS,
  appointmentTimes,
  canChange,
  canChooseE2ee,
  clockText,
  formatDateTime,
  hasMedia,
  isValidTimeZone,
  stillAhead,
  zoneLabel,
  type Actor,
  type Appointment,
  type Scheduling,
  type SchedulingPerson,
} from '../../scheduling';
import { AppError, isAppError, phrase } from '../../shared/errors';
import type { GuestRoleName } from '../../shared/guest-roles';
import type { Clock } from '../../shared/clock';
import { errorTextFor } from '../error-words';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { dateReaderOf } from '../middleware/date-locals';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, form, type RequestActor } from './route-helpers';
import { typeForReader } from './type-names';
import { keptPerKey } from '../../shared/kept-per-key';

export interface SchedulingRoutesDeps {
  readonly scheduling: Scheduling;
  readonly clock: Clock;
  readonly person: (id: string) => Promise<SchedulingPerson | null>;
  readonly therapists: () => Promise<SchedulingPerson[]>;
  /** The therapist's clients (care assignments), for "book for a client". */
  readonly clientsOf: (therapistId: string) => Promise<readonly string[]>;
  /** Sessions a therapist opened with this client that are open now (rooms), listed first. */
  readonly openSessions?: (client: RequestActor) => Promise<readonly OpenSession[]>;
  /** Guests invited to an appointment's session (rooms), as its page lists them. */
  readonly guestsOf?: (viewer: RequestActor, appointmentId: string) => Promise<readonly InvitedGuest[]>;
  /** Whether an appointment's session will be end-to-end encrypted, and whether its therapist chooses (rooms). */
  readonly encryptionOf?: (a: Appointment) => SessionEncryptionView;
}

/** What the appointment's page says about end-to-end encryption (views/scheduling/_e2ee-choice.ejs). */
export interface SessionEncryptionView {
  /** 'encrypted' or 'plain'; null: the page says nothing (the clinic never encrypts, or no media). */
  readonly state: 'encrypted' | 'plain' | null;
  /** The clinic lets each appointment's therapist choose (ROOM_E2EE=per-session). */
  readonly offered: boolean;
}

/** An invited guest as the appointment's page names them ("Ana Ruiz, interpreter (Spanish)"). */
export interface InvitedGuest {
  readonly displayName: string;
  readonly role: GuestRoleName;
  readonly language: string | null;
}

/** An ad-hoc session a therapist started with a client, open now. */
export interface OpenSession {
  readonly roomId: string;
  /** Who opened it (the therapist's name). */
  readonly withName: string;
  readonly openedAt: Date;
}

/** Weekdays as the schedule numbers them: 1 Monday … 7 Sunday. */
const WEEKDAY_NUMBERS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Monday to Sunday (weekday 1–7) in the reader's language: 1 January 2024 was a Monday. Kept per
 * locale (a few: the locale comes from the browser's header): a new Intl.DateTimeFormat and its
 * seven names cost ~0.1 ms CPU on every /schedule request (issue 21).
 */
const weekdayNames = keptPerKey(
  32,
  (locale: string) => locale,
  (locale: string): readonly string[] => {
    const format = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
    return Object.freeze(Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2024, 0, 1 + i))));
  },
);

const appointmentRoute = { id: fields.id };
const BOOK_QUERY = {
  zone: fields.text(),
  reschedule: fields.optionalId,
  therapistId: fields.optionalId,
  typeId: fields.optionalId,
  day: fields.text(20),
};
const BOOK_REVIEW_QUERY = {
  zone: fields.text(),
  therapistId: fields.optionalId,
  typeId: fields.optionalId,
  start: fields.text(40),
};

/** What a client is told when the booking they reviewed was refused. */
function refusalText(res: Response, error: AppError): string {
  const t = pageT(res);
  if (error.code === 'appointment.slot_unavailable' || error.code === 'appointment.slot_taken')
    return t('errors:booking.slotGone');
  // The service's own sentence when it named one (an English reader also gets one not yet moved).
  if (error.phrase || (res.locals.lang === 'en' && error.message !== error.code))
    return errorTextFor(res, error);
  return t('errors:booking.notMade');
}
const HOURS_FIELDS = {
  timeZone: fields.text(),
  minNoticeHours: fields.text(20),
  horizonDays: fields.text(20),
  slotStepMinutes: fields.text(20),
  bookingMode: fields.text(),
  ...Object.fromEntries(
    WEEKDAY_NUMBERS.flatMap((i) => [`start_${i}`, `end_${i}`]).map((k) => [k, fields.text(20)]),
  ),
};
const TYPE_FIELDS = {
  name: fields.text(),
  durationMinutes: fields.text(20),
  format: fields.text(),
  kind: fields.text(),
  capacity: fields.text(20),
  bufferBeforeMinutes: fields.text(20),
  bufferAfterMinutes: fields.text(20),
};
const BOOK_FOR_CLIENT_FIELDS = {
  typeId: fields.optionalId,
  clientIds: fields.text(),
  clientId: fields.optionalId,
  date: fields.text(20),
  time: fields.text(20),
  reason: fields.longText(),
  frequency: fields.text(),
  count: fields.text(20),
  until: fields.text(20),
  skipConflicts: fields.text(),
  confirm: fields.text(),
};
/** The calendar feed's address: its token and `.ics`. */
const calendarFile = z.string().regex(/^[A-Za-z0-9_-]{22,86}\.ics$/);

/**
 * Scheduling pages: dashboards, booking in the viewer's zone, appointment details and changes,
 * therapists' hours, booking for a client (with series preview), calendar feeds.
 * Declared checks: every page needs a signed-in person (the public calendar feed authenticates by its
 * secret token); therapist pages need the therapist role; the services apply scheduling.policy
 * (participants only; non-participants get 404 as for a missing appointment).
 */
export function schedulingRoutes(deps: SchedulingRoutesDeps): Router {
  const router = Router();
  const { scheduling } = deps;
  const { booking, schedule, feeds } = scheduling;
  const joinMinutes = scheduling.settings.joinWindowMinutes;

  const nameOf = async (id: string): Promise<string> => (await deps.person(id))?.displayName ?? 'Someone';

  /** An appointment as a page shows it: times in the viewer's zone, zone named, Join state. */
  async function view(a: Appointment, viewer: Actor & { timeZone: string }, locale: string) {
    const now = deps.clock.now();
    const isTherapist = a.therapistId === viewer.id;
    const withNames = isTherapist
      ? (await Promise.all(a.clientIds.map(nameOf))).join(', ')
      : await nameOf(a.therapistId);
    return {
      ...a,
      isTherapist,
      withNames,
      ...appointmentTimes(a, viewer.timeZone, now, joinMinutes, locale),
      lateFrom: formatDateTime(booking.lateCancellationFrom(a), viewer.timeZone, locale),
      isLate: now >= booking.lateCancellationFrom(a),
      canChange: canChange(a, now),
    };
  }

  // ── dashboards ───────────────────────────────────────────────────────────────────────────────
  router.get(
    '/appointments',
    requireSignedIn,
    endpoint({}, async (_input, req, res) => {
      const viewer = actorOf(req);
      const locale = dateReaderOf(req).locale;
      const lists = await booking.listsFor(viewer);
      const upcoming = await Promise.all(lists.upcoming.map((a) => view(a, viewer, locale)));
      const past = await Promise.all(lists.past.slice(0, 50).map((a) => view(a, viewer, locale)));
      const openNow =
        deps.openSessions && viewer.roles.includes('client') ? await deps.openSessions(viewer) : [];
      res.render('scheduling/dashboard', {
        openNow,
        upcoming,
        past,
        zone: zoneLabel(viewer.timeZone, deps.clock.now()),
        joinMinutes,
        isTherapist: viewer.roles.includes('therapist'),
        isClient: viewer.roles.includes('client'),
      });
    }),
  );

  router.get(
    '/appointments/:id',
    requireSignedIn,
    endpoint(
      { params: appointmentRoute, query: { reason: fields.text() } },
      async ({ params, query }, req, res) => {
        const viewer = actorOf(req);
        const a = await booking.getForViewer(viewer, params.id);
        const reason = a.hasReason && query.reason === 'show' ? await booking.readReason(viewer, a.id) : null;
        const online = a.status === 'confirmed' || a.status === 'requested';
        const encryption = deps.encryptionOf?.(a) ?? null;
        res.render('scheduling/detail', {
          a: await view(a, viewer, dateReaderOf(req).locale),
          guests: online && deps.guestsOf ? await deps.guestsOf(viewer, a.id) : null,
          encryption:
            encryption?.state && stillAhead(a, deps.clock.now())
              ? {
                  state: encryption.state,
                  choosable: encryption.offered && canChooseE2ee(viewer, a) && hasMedia(a),
                }
              : null,
          reason,
          lateCancelHours: booking.lateCancelHours,
          joinMinutes,
        });
      },
    ),
  );

  const post = (
    path: string,
    act: (viewer: Actor, id: string, body: Record<string, string>) => Promise<unknown>,
  ) =>
    router.post(
      path,
      requireSignedIn,
      endpoint({ params: appointmentRoute, body: { scope: fields.text() } }, async ({ params }, req, res) => {
        const { id } = params;
        await act(actorOf(req), id, form(req));
        res.redirect(303, `/appointments/${id}`);
      }),
    );
  post('/appointments/:id/cancel', (v, id, b) => booking.cancel(v, id, b.scope === 'rest' ? 'rest' : 'one'));
  post('/appointments/:id/approve', (v, id) => booking.approve(v, id));
  post('/appointments/:id/decline', (v, id) => booking.decline(v, id));
  post('/appointments/:id/no-show', (v, id) => booking.markNoShow(v, id));
  router.post(
    '/appointments/:id/reschedule',
    requireSignedIn,
    endpoint(
      {
        params: appointmentRoute,
        body: { start: fields.text(), date: fields.text(20), time: fields.text(20), scope: fields.text() },
      },
      async ({ params, body: b }, req, res) => {
        const viewer = actorOf(req);
        const { id } = params;
        // A slot button posts an instant; the therapist's form posts a local date and time in their zone.
        const start = b.start ?? localToIso(b.date, b.time, viewer.timeZone);
        if (b.scope === 'rest') await booking.moveSeriesFrom(viewer, id, { start });
        else await booking.reschedule(viewer, id, { start });
        res.redirect(303, `/appointments/${id}`);
      },
    ),
  );

  // ── booking by a client: kind and therapist → day and time → review → book ──────────────────
  /** The choices above the day picker, and the therapist's name once one is chosen. */
  async function bookingChoices(res: Response, viewer: RequestActor, therapistId: string | undefined) {
    return {
      therapists: await booking.therapistsFor(viewer),
      types: (await schedule.listTypes())
        .filter((t) => t.kind === 'individual')
        .map((t) => typeForReader(res, t)),
      therapistName: therapistId ? await nameOf(therapistId) : '',
    };
  }
  const zoneFor = (asked: string | undefined, viewer: RequestActor) =>
    asked && isValidTimeZone(asked) ? asked : viewer.timeZone;

  router.get(
    '/book',
    requireRole('client'),
    endpoint({ query: BOOK_QUERY }, async ({ query: q }, req, res) => {
      const viewer = actorOf(req);
      const zone = zoneFor(q.zone, viewer);
      const calendar =
        q.therapistId && q.typeId
          ? await schedule.bookingCalendar({ therapistId: q.therapistId, typeId: q.typeId, zone, day: q.day })
          : null;
      res.render('scheduling/book', {
        ...(await bookingChoices(res, viewer, q.therapistId)),
        calendar: calendar && { ...calendar, type: typeForReader(res, calendar.type) },
        zone,
        selected: { therapistId: q.therapistId ?? '', typeId: q.typeId ?? '' },
        rescheduleId: q.reschedule ?? null,
      });
    }),
  );

  /** The review page: the chosen time, or (after a refusal) that day's other times, and the note. */
  async function renderReview(
    res: Response,
    viewer: RequestActor,
    p: {
      therapistId: string;
      typeId: string;
      zone: string;
      start: Date;
      reason: string;
      error: string | null;
    },
  ) {
    const { calendar, slot } = await schedule.offeredSlot(p);
    res.render('scheduling/book-review', {
      ...(await bookingChoices(res, viewer, p.therapistId)),
      calendar: { ...calendar, type: typeForReader(res, calendar.type) },
      slot,
      zone: p.zone,
      selected: { therapistId: p.therapistId, typeId: p.typeId },
      reason: p.reason,
      error: p.error ?? (slot ? null : pageT(res)('errors:booking.noLongerFree')),
    });
  }

  router.get(
    '/book/review',
    requireRole('client'),
    endpoint({ query: BOOK_REVIEW_QUERY }, async ({ query: q }, req, res) => {
      const viewer = actorOf(req);
      const start = q.start ? new Date(q.start) : null;
      if (!q.therapistId || !q.typeId || !start || Number.isNaN(start.getTime())) {
        // Nothing chosen yet (or a mangled link): back to where a time is chosen.
        const back = q.therapistId && q.typeId ? `?therapistId=${q.therapistId}&typeId=${q.typeId}` : '';
        res.redirect(`/book${back}`);
        return;
      }
      const zone = zoneFor(q.zone, viewer);
      await renderReview(res, viewer, {
        therapistId: q.therapistId,
        typeId: q.typeId,
        zone,
        start,
        reason: '',
        error: null,
      });
    }),
  );

  router.post(
    '/book',
    requireRole('client'),
    endpoint(
      {
        body: {
          therapistId: fields.optionalId,
          typeId: fields.optionalId,
          start: fields.text(),
          zone: fields.text(),
          reason: fields.longText(),
        },
      },
      async ({ body: b }, req, res) => {
        const viewer = actorOf(req);
        try {
          const a = await booking.bookAsClient(viewer, {
            therapistId: b.therapistId ?? '',
            typeId: b.typeId ?? '',
            start: b.start ?? '',
            ...(b.reason ? { reason: b.reason } : {}),
          });
          res.redirect(303, `/appointments/${a.id}`);
        } catch (error) {
          // A time taken meanwhile (or gone past, or never chosen): the review page again with the
          // day's other times and everything typed kept, not an error page that loses the note.
          const start = b.start ? new Date(b.start) : null;
          if (
            !isAppError(error) ||
            (error.kind !== 'conflict' && error.kind !== 'bad_request') ||
            !b.therapistId ||
            !b.typeId
          )
            throw error;
          res.status(error.kind === 'conflict' ? 409 : 400);
          await renderReview(res, viewer, {
            therapistId: b.therapistId,
            typeId: b.typeId,
            zone: zoneFor(b.zone, viewer),
            start: start && !Number.isNaN(start.getTime()) ? start : deps.clock.now(),
            reason: b.reason ?? '',
            error: b.start ? refusalText(res, error) : pageT(res)('errors:booking.chooseTime'),
          });
        }
      },
    ),
  );

  // ── therapists: hours, exceptions, types ─────────────────────────────────────────────────────
  router.get(
    '/schedule',
    requireRole('therapist'),
    endpoint({}, async (_input, req, res) => {
      const viewer = actorOf(req);
      res.render('scheduling/schedule', {
        schedule: await schedule.scheduleOf(viewer.id),
        types: await schedule.listTypes(false),
        defaultZone: viewer.timeZone,
        weekdays: weekdayNames(dateReaderOf(req).locale),
        clockText,
        formats: FORMATS,
        kinds: KINDS,
      });
    }),
  );

  router.post(
    '/schedule',
    requireRole('therapist'),
    endpoint({ body: HOURS_FIELDS }, async (_input, req, res) => {
      const viewer = actorOf(req);
      const b = form(req);
      const weekly = WEEKDAY_NUMBERS.flatMap((weekday) => {
        const start = b[`start_${weekday}`];
        const end = b[`end_${weekday}`];
        return start && end ? [{ weekday, start, end }] : [];
      });
      await schedule.saveSchedule(viewer, viewer.id, {
        timeZone: b.timeZone ?? '',
        minNoticeMinutes: Number(b.minNoticeHours ?? 'x') * 60,
        horizonDays: b.horizonDays ?? '',
        slotStepMinutes: b.slotStepMinutes ?? '',
        bookingMode: b.bookingMode === 'request' ? 'request' : 'direct',
        weekly,
      });
      res.redirect(303, '/schedule');
    }),
  );

  router.post(
    '/schedule/exceptions',
    requireRole('therapist'),
    endpoint(
      { body: { date: fields.text(20), kind: fields.text(), start: fields.text(20), end: fields.text(20) } },
      async (_input, req, res) => {
        const viewer = actorOf(req);
        const b = form(req);
        await schedule.addException(viewer, viewer.id, {
          date: b.date ?? '',
          kind: b.kind === 'available' ? 'available' : 'unavailable',
          ...(b.start ? { start: b.start } : {}),
          ...(b.end ? { end: b.end } : {}),
        });
        res.redirect(303, '/schedule');
      },
    ),
  );

  router.post(
    '/schedule/exceptions/:id/delete',
    requireRole('therapist'),
    endpoint({ params: { id: fields.id } }, async ({ params }, req, res) => {
      const viewer = actorOf(req);
      await schedule.removeException(viewer, viewer.id, params.id);
      res.redirect(303, '/schedule');
    }),
  );

  router.post(
    '/schedule/types',
    requireRole('therapist', 'admin'),
    endpoint({ body: TYPE_FIELDS }, async (_input, req, res) => {
      const b = form(req);
      await schedule.createType(actorOf(req), {
        name: b.name ?? '',
        durationMinutes: b.durationMinutes ?? '',
        // The service's schema checks these; an unknown value is a 400, not a type error.
        format: (b.format ?? '') as (typeof FORMATS)[number],
        kind: (b.kind ?? '') as (typeof KINDS)[number],
        capacity: b.capacity || '1',
        bufferBeforeMinutes: b.bufferBeforeMinutes || '0',
        bufferAfterMinutes: b.bufferAfterMinutes || '0',
      });
      res.redirect(303, '/schedule');
    }),
  );

  router.post(
    '/schedule/types/:id',
    requireRole('therapist', 'admin'),
    endpoint(
      { params: { id: fields.id }, body: { ...TYPE_FIELDS, active: fields.text() } },
      async ({ params }, req, res) => {
        const b = form(req);
        await schedule.updateType(actorOf(req), params.id, {
          name: b.name ?? '',
          durationMinutes: b.durationMinutes ?? '',
          format: (b.format ?? '') as (typeof FORMATS)[number],
          capacity: b.capacity || '1',
          bufferBeforeMinutes: b.bufferBeforeMinutes || '0',
          bufferAfterMinutes: b.bufferAfterMinutes || '0',
          active: b.active === 'on',
        });
        if (req.session) req.session.flash = pageT(res)('scheduling:schedule.typeSaved');
        res.redirect(303, '/schedule#kinds');
      },
    ),
  );

  // ── therapists: booking for clients, with series preview ─────────────────────────────────────
  async function bookForm(
    res: Response,
    viewer: Actor & { timeZone: string },
    extra: Record<string, unknown>,
  ) {
    const clients = await Promise.all(
      (await deps.clientsOf(viewer.id)).map(async (id) => ({ id, displayName: await nameOf(id) })),
    );
    const own = await schedule.scheduleOf(viewer.id);
    const zone = own?.timeZone ?? viewer.timeZone;
    res.render('scheduling/book-for-client', {
      clients,
      types: (await schedule.listTypes()).map((t) => typeForReader(res, t)),
      zone,
      zoneName: zoneLabel(zone, deps.clock.now()),
      hasSchedule: own !== null,
      preview: null,
      values: {},
      ...extra,
    });
  }

  router.get(
    '/schedule/book',
    requireRole('therapist'),
    endpoint({}, async (_input, req, res) => bookForm(res, actorOf(req), {})),
  );

  router.post(
    '/schedule/book',
    requireRole('therapist'),
    endpoint({ body: BOOK_FOR_CLIENT_FIELDS }, async (_input, req, res) => {
      const viewer = actorOf(req);
      const b = form(req);
      const own = await schedule.scheduleOf(viewer.id);
      const zone = own?.timeZone ?? viewer.timeZone;
      const input = {
        typeId: b.typeId ?? '',
        clientIds: b.clientIds ? b.clientIds.split(',') : b.clientId ? [b.clientId] : [],
        start: localToIso(b.date, b.time, zone),
      };
      if (!b.frequency) {
        const a = await booking.bookForClient(viewer, {
          ...input,
          ...(b.reason ? { reason: b.reason } : {}),
        });
        res.redirect(303, `/appointments/${a.id}`);
        return;
      }
      const series = {
        ...input,
        frequency: b.frequency === 'biweekly' ? ('biweekly' as const) : ('weekly' as const),
        ...(b.count ? { count: Number(b.count) } : {}),
        ...(b.until ? { until: b.until } : {}),
        skipConflicts: b.skipConflicts === 'yes',
      };
      if (b.confirm !== 'yes') {
        const checks = await booking.previewSeries(viewer, series);
        const preview = checks.map((c) => ({
          when: formatDateTime(c.start, zone, dateReaderOf(req).locale),
          conflicts: c.conflicts,
        }));
        await bookForm(res, viewer, { preview, values: b });
        return;
      }
      const { created } = await booking.createSeries(viewer, series);
      res.redirect(303, `/appointments/${created[0]!.id}`);
    }),
  );

  // ── calendar feeds ───────────────────────────────────────────────────────────────────────────
  router.get(
    '/calendar-feed',
    requireSignedIn,
    endpoint({}, async (_input, req, res) => {
      const viewer = actorOf(req);
      res.render('scheduling/calendar-feed', {
        hasFeed: await feeds.hasFeed(viewer.id),
        url: null,
      });
    }),
  );

  router.post(
    '/calendar-feed',
    requireSignedIn,
    endpoint({}, async (_input, req, res) => {
      // Shown once, never stored in the clear (the page is no-store, as every signed-in answer).
      const url = await feeds.rotate(actorOf(req));
      res.render('scheduling/calendar-feed', { hasFeed: true, url });
    }),
  );

  router.post(
    '/calendar-feed/revoke',
    requireSignedIn,
    endpoint({}, async (_input, req, res) => {
      await feeds.revoke(actorOf(req));
      res.redirect(303, '/calendar-feed');
    }),
  );

  router.get(
    '/calendar/:file',
    // Fetched by calendar apps with the token in the address, never with a session.
    endpoint({ params: { file: calendarFile }, cacheable: true }, async ({ params }, _req, res) => {
      const text = await feeds.render(params.file.slice(0, -4));
      if (text === null)
        throw new AppError('calendar_feed.not_found', 'not_found', phrase('errors:booking.noSuchCalendar'));
      res.set('Cache-Control', 'private, no-store');
      res.type('text/calendar; charset=utf-8').send(text);
    }),
  );

  return router;
}

/** A wall-clock date and time in `zone` → ISO instant (invalid input gives an invalid string, refused by the schema). */
function localToIso(date: string | undefined, time: string | undefined, zone: string): string {
  const at = DateTime.fromISO(`${date ?? ''}T${time ?? ''}`, { zone });
  return at.isValid ? at.toUTC().toISO()! : 'invalid';
}
