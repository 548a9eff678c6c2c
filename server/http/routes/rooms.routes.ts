import { Router, type Request, type Response } from 'express';
import { roomSchemas, type RoomsFeature } from '../../rooms';
import { formatDateTime, zoneLabel } from '../../scheduling';
import { AppError } from '../../shared/errors';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, clientIp } from './route-helpers';
import { dateReaderOf } from '../middleware/date-locals';

export interface RoomsRoutesDeps {
  readonly rooms: RoomsFeature;
  /** Display names, for "Start a session with <client>" and the room heading. */
  readonly displayName: (userId: string) => Promise<string | null>;
  /** Clinical's per-session safety check (IntakeService fits); without it rooms ask for none. */
  readonly safetyChecks?: SafetyCheckPort;
}

/** Where the client is and how to call them back, confirmed for one appointment. */
export interface SafetyCheckPort {
  hasConfirmedSafetyCheck(actor: ClinicalActorLike, appointmentId: string): Promise<boolean>;
  latestSafetyCheck(
    actor: ClinicalActorLike,
    clientId: string,
    appointmentId?: string,
  ): Promise<{ location: string; callbackNumber: string; createdAt: Date } | null>;
}

interface ClinicalActorLike {
  readonly id: string;
  readonly roles: readonly string[];
  readonly ip?: string | null;
}

/** Telehealth practice: a client confirms location and callback number before each session. */
const safetyCheckUrl = (appointmentId: string) =>
  `/clinical/safety-check?appointment=${encodeURIComponent(appointmentId)}`;

/**
 * A room that cannot be entered now is a state to explain, not an error page: "This session has
 * ended" with its chat (and, for a client after a therapy session, feedback), or when it opens.
 * Returns false for any other refusal, which the error handler answers as usual.
 */
async function renderClosedRoom(
  req: Request,
  res: Response,
  rooms: RoomsFeature,
  error: unknown,
  roomId: string,
): Promise<boolean> {
  if (!(error instanceof AppError)) return false;
  const zone = req.user?.timeZone || 'UTC';
  res.setHeader('Cache-Control', 'no-store');
  if (error.code === 'room.not_open' && error.details?.opensAt) {
    const opensAt = new Date(error.details.opensAt);
    res.status(409).render('rooms/closed', {
      title: 'Not open yet',
      heading: 'This session room is not open yet',
      detail: `It opens at ${formatDateTime(opensAt, zone, dateReaderOf(req).locale)} (${zoneLabel(zone, opensAt)}). Until then you can check your camera, microphone and connection.`,
      checkUrl: '/check',
    });
    return true;
  }
  if (error.code !== 'room.closed') return false;
  if (error.details?.reason === 'cancelled') {
    res.render('rooms/closed', {
      title: 'Not scheduled',
      heading: 'This appointment is no longer scheduled',
      detail: 'It was cancelled or has not been confirmed. Your appointments page shows what is planned.',
    });
    return true;
  }
  // Entry refused only after the person was found to be a participant, so this cannot fail here.
  const { role, group } = await rooms.access.participant(actorOf(req), roomId);
  res.render('rooms/closed', {
    title: 'Session ended',
    heading: 'This session has ended',
    detail: 'Thank you for coming. The chat of the session stays here for you to read.',
    chatUrl: `/rooms/${roomId}/chat`,
    feedbackUrl: role === 'client' && !group ? '/clinical/feedback' : null,
  });
  return true;
}

/**
 * Session-room pages. The page is only a shell: the socket decides (again) who waits and who is in.
 * Declared checks: every route needs a signed-in person; opening an ad-hoc room needs the therapist
 * role and a care relationship (rooms.policy `canOpenAdhocRoom`); entering needs to be a participant.
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
      res.render('rooms/start', { title: 'Start a session', clients });
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
        throw new AppError('room.invalid_client', 'bad_request', 'Choose one of your clients.');
      }
      const room = await rooms.access.openAdhoc(actorOf(req), parsed.data.clientIds, clientIp(req));
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  router.get(
    '/rooms/appointment/:appointmentId',
    requireSignedIn,
    endpoint({ params: { appointmentId: fields.id } }, async ({ params }, req, res) => {
      const { appointmentId } = params;
      const actor = actorOf(req);
      const room = await rooms.access.forAppointment(actor, appointmentId);
      // Ended or not open yet: say so here, before asking for a safety check nobody needs.
      try {
        await rooms.access.entry(actor, room.id);
      } catch (error) {
        if (await renderClosedRoom(req, res, rooms, error, room.id)) return;
        throw error;
      }
      // Clients confirm the safety check first; the check form sends them back here.
      if (
        deps.safetyChecks &&
        actor.id !== room.hostId &&
        !(await deps.safetyChecks.hasConfirmedSafetyCheck({ ...actor, ip: clientIp(req) }, appointmentId))
      ) {
        res.redirect(303, safetyCheckUrl(appointmentId));
        return;
      }
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  router.get(
    '/rooms/:roomId',
    requireSignedIn,
    endpoint({ params: { roomId: fields.id } }, async ({ params }, req, res) => {
      const actor = actorOf(req);
      let entry;
      try {
        entry = await rooms.access.entry(actor, params.roomId);
      } catch (error) {
        if (await renderClosedRoom(req, res, rooms, error, params.roomId)) return;
        throw error;
      }
      if (entry.group) {
        // A group meeting: the page knows the person by their public id and group name only.
        res.render('rooms/room', {
          layout: 'room',
          title: 'Group meeting',
          roomId: entry.room.id,
          role: entry.role,
          withWhom: 'your group',
          audioOnly: false,
          safetyChecks: [],
          selfId: entry.group.seat.publicId,
          meeting: { groupId: entry.group.groupId, name: entry.group.seat.name },
        });
        return;
      }
      const appointmentId = entry.room.appointmentId;
      const safety = deps.safetyChecks;
      // Also enforced here: a client may know the room's own address and skip the appointment link.
      if (
        safety &&
        appointmentId &&
        entry.role !== 'host' &&
        !(await safety.hasConfirmedSafetyCheck({ ...actor, ip: clientIp(req) }, appointmentId))
      ) {
        res.redirect(303, safetyCheckUrl(appointmentId));
        return;
      }
      // The therapist sees each client's confirmed location and callback number for this session.
      const safetyChecks = [];
      if (safety && appointmentId && entry.role === 'host') {
        for (const clientId of entry.participants.clientIds) {
          const check = await safety.latestSafetyCheck(
            { ...actor, ip: clientIp(req) },
            clientId,
            appointmentId,
          );
          safetyChecks.push({ clientId, name: (await deps.displayName(clientId)) ?? 'Client', check });
        }
      }
      const others = [entry.participants.hostId, ...entry.participants.clientIds].filter(
        (u) => u !== actor.id,
      );
      const names = [];
      for (const other of others) names.push((await deps.displayName(other)) ?? 'your therapist');
      res.render('rooms/room', {
        layout: 'room',
        title: 'Session',
        roomId: entry.room.id,
        role: entry.role,
        withWhom: names.join(' and ') || 'your therapist',
        audioOnly: entry.audioOnly,
        safetyChecks,
      });
    }),
  );

  /** The session's chat, readable by its participants afterwards too. */
  router.get(
    '/rooms/:roomId/chat',
    requireSignedIn,
    endpoint({ params: { roomId: fields.id } }, async ({ params }, req, res) => {
      const messages = await rooms.transcript(actorOf(req), params.roomId, clientIp(req));
      res.render('rooms/chat', { title: 'Session chat', messages, selfId: actorOf(req).id });
    }),
  );

  return router;
}
