import { Router, type Request, type Response } from 'express';
import { LANGUAGES } from '../../i18n';
import { GUEST_ROLES, type GuestSessionPass, type RoomsFeature } from '../../rooms';
import { formatDateTime, zoneLabel } from '../../scheduling';
import { AppError, isAppError, phrase } from '../../shared/errors';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { dateReaderOf } from '../middleware/date-locals';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, clientIp, form } from './route-helpers';
import { formErrorsFor } from '../error-words';

export interface RoomGuestsRoutesDeps {
  readonly rooms: RoomsFeature;
  /** Several nodes: where the guest's page signals (the room's node), as for everyone else in the room. */
  readonly signalPathFor?: (roomId: string) => Promise<string>;
}

const GUEST_FIELDS = {
  role: fields.text(40),
  displayName: fields.text(200),
  email: fields.text(400),
  language: fields.text(200),
  readingLanguage: fields.text(16),
  scope: fields.text(20),
};
const appointmentParams = { id: fields.id };
const guestParams = { id: fields.id, guestId: fields.id };
/** Why a link does not let someone in (the page says it in words, views/rooms/guest-link.ejs). */
const LINK_REFUSAL_STATUS = { used: 409, expired: 410, removed: 410, invalid: 404 } as const;
type LinkRefusal = keyof typeof LINK_REFUSAL_STATUS;

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())),
  );
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((e: unknown) => (e ? reject(e) : resolve())));
}

/**
 * Invited guests (issue 23). On an appointment's page: its therapist invites and removes guests, its
 * clients see them and may ask for a removal (scheduling's rule: anyone else gets 404). For the
 * guest, who has no account: `/guest/:token` asks "join now?" (a GET never uses the link up, so a
 * mail scanner cannot spend it), the POST uses it once and puts a guest pass in a new web session,
 * and `/guest/room` is their room page. A guest pass opens nothing else: every other page treats
 * its holder as a visitor, and the socket lets them knock at that one room only.
 */
export function roomGuestsRoutes(deps: RoomGuestsRoutesDeps): Router {
  const router = Router();
  const { rooms } = deps;

  async function renderGuests(
    req: Request,
    res: Response,
    appointmentId: string,
    extra: { status?: number; values?: Record<string, string>; errors?: Record<string, string> } = {},
  ): Promise<void> {
    const { guests, host, laterInSeries, readingLanguages } = await rooms.guests.list(
      actorOf(req),
      appointmentId,
    );
    res.status(extra.status ?? 200).render('rooms/guests', {
      title: pageT(res)('guests:page.title'),
      appointmentId,
      guests,
      host,
      laterInSeries,
      roles: GUEST_ROLES,
      // Each written in itself (an endonym), as the language switcher does.
      readingLanguages: LANGUAGES.filter((l) => readingLanguages.offered.includes(l.code)),
      values: extra.values ?? {
        role: 'interpreter',
        scope: 'one',
        readingLanguage: readingLanguages.proposed,
      },
      errors: extra.errors ?? null,
    });
  }

  router.get(
    '/appointments/:id/guests',
    requireSignedIn,
    endpoint({ params: appointmentParams }, async ({ params }, req, res) => {
      await renderGuests(req, res, params.id);
    }),
  );

  router.post(
    '/appointments/:id/guests',
    requireRole('therapist'),
    endpoint({ params: appointmentParams, body: GUEST_FIELDS }, async ({ params }, req, res) => {
      const values = form(req);
      try {
        const links = await rooms.guests.invite(actorOf(req), params.id, values, clientIp(req));
        const t = pageT(res);
        req.session.flash =
          links.length > 1
            ? t('guests:flash.sentSeries', { email: values.email ?? '', n: links.length })
            : t('guests:flash.sent', { email: values.email ?? '' });
        res.redirect(303, `/appointments/${params.id}/guests`);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'guest.form_invalid') throw error;
        await renderGuests(req, res, params.id, {
          status: 400,
          values,
          errors: formErrorsFor(res, error),
        });
      }
    }),
  );

  router.post(
    '/appointments/:id/guests/:guestId/remove',
    requireRole('therapist'),
    endpoint({ params: guestParams }, async ({ params }, req, res) => {
      await rooms.guests.remove(actorOf(req), params.guestId, clientIp(req));
      req.session.flash = pageT(res)('guests:flash.removed');
      res.redirect(303, `/appointments/${params.id}/guests`);
    }),
  );

  router.post(
    '/appointments/:id/guests/:guestId/ask-removal',
    requireSignedIn,
    endpoint({ params: guestParams }, async ({ params }, req, res) => {
      await rooms.guests.askRemoval(actorOf(req), params.guestId, clientIp(req));
      req.session.flash = pageT(res)('guests:flash.asked');
      res.redirect(303, `/appointments/${params.id}/guests`);
    }),
  );

  // Registered before /guest/:token (which would answer 404 for "room", not a token).
  router.get(
    '/guest/room',
    endpoint({}, async (_input, req, res) => {
      const pass: GuestSessionPass | undefined = req.session.guest;
      const guest = pass ? await rooms.guests.actorOf(pass) : null;
      if (!guest) {
        throw new AppError(
          'room.forbidden',
          'forbidden',
          phrase(pass ? 'guests:problem.removed' : 'guests:problem.guestsOnly'),
        );
      }
      res.setHeader('Cache-Control', 'no-store');
      const roomId = await rooms.guests.roomOf(guest);
      let page;
      try {
        page = await rooms.page(guest, roomId, clientIp(req));
      } catch (error) {
        if (isAppError(error) && (error.code === 'room.closed' || error.code === 'room.not_open')) {
          // A guest has no appointments page: the page says so and offers nothing to go back to.
          res.status(409).render('rooms/closed', {
            why: error.code === 'room.closed' ? 'guestEnded' : 'guestNotOpen',
            guest: true,
          });
          return;
        }
        throw error;
      }
      res.render('rooms/room', {
        layout: 'room',
        signalPath: deps.signalPathFor ? await deps.signalPathFor(page.roomId) : '/socket.io',
        title: pageT(res)('rooms:title'),
        roomId: page.roomId,
        role: page.role,
        selfId: guest.id,
        withWhom: page.withWhom,
        audioOnly: page.audioOnly,
        safetyChecks: [],
        invitedGuests: [],
      });
    }),
  );

  router.get(
    '/guest/:token',
    endpoint({ params: { token: fields.token } }, async ({ params }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const link = await rooms.guests.linkState(params.token);
      if (link.state !== 'ready' && link.state !== 'not_yet') {
        res.status(LINK_REFUSAL_STATUS[link.state]).render('rooms/guest-link', {
          title: pageT(res)('guests:link.title'),
          refusal: link.state,
          token: null,
        });
        return;
      }
      const zone = link.zone;
      const at = (d: Date) => `${formatDateTime(d, zone, dateReaderOf(req).locale)} (${zoneLabel(zone, d)})`;
      res.render('rooms/guest-link', {
        title: pageT(res)('guests:link.title'),
        refusal: null,
        token: link.state === 'ready' ? params.token : null,
        name: link.guest.displayName,
        role: link.guest.role,
        opensAtText: at(link.window.opensAt),
        signedIn: Boolean(req.user),
      });
    }),
  );

  router.post(
    '/guest/:token',
    endpoint({ params: { token: fields.token } }, async ({ params }, req, res) => {
      if (req.user) {
        throw new AppError('guest.signed_in', 'conflict', phrase('guests:problem.signedIn'));
      }
      let pass: GuestSessionPass;
      try {
        pass = await rooms.guests.redeem(params.token, clientIp(req));
      } catch (error) {
        if (!isAppError(error) || !error.code.startsWith('guest.link_')) throw error;
        const given = error.details?.reason;
        const reason =
          error.code === 'guest.link_used' ? 'used' : typeof given === 'string' ? given : 'invalid';
        const refusal: LinkRefusal = reason in LINK_REFUSAL_STATUS ? (reason as LinkRefusal) : 'invalid';
        res
          .status(LINK_REFUSAL_STATUS[refusal])
          .render('rooms/guest-link', { title: pageT(res)('guests:link.title'), refusal, token: null });
        return;
      }
      // A fresh session id for the guest (as at sign-in): a session fixed beforehand gains nothing.
      await regenerate(req);
      req.session.guest = pass;
      await saveSession(req);
      res.redirect(303, '/guest/room');
    }),
  );

  return router;
}
