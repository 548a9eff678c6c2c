import { Router, type Request, type Response } from 'express';
import { roomSchemas, type RoomsFeature } from '../../rooms';
import { formatDateTime, zoneLabel } from '../../scheduling';
import { AppError, phrase } from '../../shared/errors';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, clientIp } from './route-helpers';
import { dateReaderOf } from '../middleware/date-locals';

export interface RoomsRoutesDeps {
  readonly rooms: RoomsFeature;
  /** Display names, for "Start a session with <client>". */
  readonly displayName: (userId: string) => Promise<string | null>;
  /**
   * Where the room page's socket connects: `/socket.io` on one node (SQLite); on PostgreSQL the
   * room's own node by name (`/node/<id>/socket.io`, which the proxy routes to it), placing the room
   * on first entry. Absent: always `/socket.io`.
   */
  readonly signalPathFor?: (roomId: string) => Promise<string>;
}

/** Telehealth practice: a client confirms location and callback number before each session. */
const safetyCheckUrl = (appointmentId: string) =>
  `/clinical/safety-check?appointment=${encodeURIComponent(appointmentId)}`;

/**
 * A room that cannot be entered now is a state to explain, not an error page: "This session has
 * ended" with its chat (and, for a client after a therapy session, feedback), or when it opens; a
 * client the rooms feature refused for want of this session's safety check goes to the check form
 * (which brings them back). Returns false for any other refusal, which the error handler answers.
 */
async function explainRefusal(
  req: Request,
  res: Response,
  rooms: RoomsFeature,
  error: unknown,
  roomId: string,
): Promise<boolean> {
  if (!(error instanceof AppError)) return false;
  const appointmentId = error.details?.appointmentId;
  if (error.code === 'room.safety_check_required' && typeof appointmentId === 'string') {
    res.redirect(303, safetyCheckUrl(appointmentId));
    return true;
  }
  const zone = req.user?.timeZone || 'UTC';
  res.setHeader('Cache-Control', 'no-store');
  const opensAtText = error.details?.opensAt;
  if (error.code === 'room.not_open' && typeof opensAtText === 'string') {
    const opensAt = new Date(opensAtText);
    res.status(409).render('rooms/closed', {
      why: 'notOpen',
      opens: formatDateTime(opensAt, zone, dateReaderOf(req).locale),
      zone: zoneLabel(zone, opensAt),
      checkUrl: '/check',
    });
    return true;
  }
  if (error.code !== 'room.closed') return false;
  if (error.details?.reason === 'cancelled') {
    res.render('rooms/closed', {
      why: 'cancelled',
    });
    return true;
  }
  // Entry refused only after the person was found to be a participant, so this cannot fail here.
  const { role, group } = await rooms.access.participant(actorOf(req), roomId);
  res.render('rooms/closed', {
    why: 'ended',
    chatUrl: `/rooms/${roomId}/chat`,
    feedbackUrl: role === 'client' && !group ? '/clinical/feedback' : null,
  });
  return true;
}

/**
 * Session-room pages. The page is only a shell: the socket decides (again) who waits and who is in.
 * Declared checks: every route needs a signed-in person; opening an ad-hoc room needs the therapist
 * role and a care relationship (rooms.policy `canOpenAdhocRoom`); entering needs to be a participant,
 * in the window and (a client, before an appointment) past the safety check: the rooms feature
 * decides all of it (`RoomAccessService.entry`), for these pages and the socket alike.
 */
export function roomsRoutes(deps: RoomsRoutesDeps): Router {
  const router = Router();
  const { rooms } = deps;

  /** A therapist's list of clients, each with "Start a session with <client>". */
  router.get(
    '/rooms',
    requireRole('therapist'),
    endpoint({}, async (_input, req, res) => {
      const ids = await rooms.access.clientsFor(actorOf(req));
      const clients = [];
      for (const id of ids) clients.push({ id, displayName: (await deps.displayName(id)) ?? 'Client' });
      res.render('rooms/start', { clients });
    }),
  );

  router.post(
    '/rooms',
    requireRole('therapist'),
    endpoint({ body: { clientId: fields.idList(10) } }, async ({ body }, req, res) => {
      // One button posts one clientId; the joint-session form posts one per ticked box.
      const raw = body.clientId;
      const clientIds = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      const parsed = roomSchemas.openAdhocInput.safeParse({ clientIds });
      if (!parsed.success) {
        throw new AppError('room.invalid_client', 'bad_request', phrase('errors:room.chooseOwnClient'));
      }
      const room = await rooms.access.openAdhoc(actorOf(req), parsed.data.clientIds, clientIp(req));
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  router.get(
    '/rooms/appointment/:appointmentId',
    requireSignedIn,
    endpoint({ params: { appointmentId: fields.id } }, async ({ params }, req, res) => {
      const actor = actorOf(req);
      const room = await rooms.access.forAppointment(actor, params.appointmentId);
      // Ended or not open yet is said here, before the safety check (nobody needs one then).
      try {
        await rooms.access.entry(actor, room.id);
      } catch (error) {
        if (await explainRefusal(req, res, rooms, error, room.id)) return;
        throw error;
      }
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  router.get(
    '/rooms/:roomId',
    requireSignedIn,
    endpoint({ params: { roomId: fields.id } }, async ({ params }, req, res) => {
      let page;
      try {
        page = await rooms.page(actorOf(req), params.roomId, clientIp(req));
      } catch (error) {
        if (await explainRefusal(req, res, rooms, error, params.roomId)) return;
        throw error;
      }
      const signalPath = deps.signalPathFor ? await deps.signalPathFor(page.roomId) : '/socket.io';
      res.render('rooms/room', {
        layout: 'room',
        signalPath,
        roomId: page.roomId,
        role: page.role,
        withWhom: page.withWhom,
        audioOnly: page.audioOnly,
        safetyChecks: page.safetyChecks,
        invitedGuests: page.invitedGuests,
        appointmentId: page.appointmentId,
        // A group meeting: the page knows the person by their public id and group name only.
        ...(page.meeting
          ? {
              selfId: page.meeting.selfId,
              meeting: { groupId: page.meeting.groupId, name: page.meeting.name },
            }
          : {}),
      });
    }),
  );

  /** The session's chat, readable by its participants afterwards too. */
  router.get(
    '/rooms/:roomId/chat',
    requireSignedIn,
    endpoint({ params: { roomId: fields.id } }, async ({ params }, req, res) => {
      const messages = await rooms.transcript(actorOf(req), params.roomId, clientIp(req));
      res.render('rooms/chat', { messages, selfId: actorOf(req).id });
    }),
  );

  return router;
}
