import { Router, type Request } from 'express';
import { z } from 'zod';
import { roomSchemas, type Actor, type RoomsFeature } from '../../rooms';
import { AppError } from '../../shared/errors';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { clientIp, handle } from './route-helpers';

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

const roomIdParam = z.uuid();

/** Telehealth practice: a client confirms location and callback number before each session. */
const safetyCheckUrl = (appointmentId: string) =>
  `/clinical/safety-check?appointment=${encodeURIComponent(appointmentId)}`;

function actorOf(req: Request): Actor {
  const user = req.user;
  if (!user) throw new AppError('auth.required', 'unauthenticated');
  return { id: user.id, displayName: user.displayName, roles: user.roles };
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
    handle(async (req, res) => {
      const ids = await rooms.access.clientsFor(actorOf(req));
      const clients = [];
      for (const id of ids) clients.push({ id, displayName: (await deps.displayName(id)) ?? 'Client' });
      res.render('rooms/start', { title: 'Start a session', clients });
    }),
  );

  router.post(
    '/rooms',
    requireRole('therapist'),
    handle(async (req, res) => {
      // One button posts one clientId; the joint-session form posts one per ticked box.
      const raw = (req.body as Record<string, unknown> | undefined)?.clientId;
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
    handle(async (req, res) => {
      const id = roomIdParam.safeParse(req.params.appointmentId);
      if (!id.success) throw new AppError('room.not_found', 'not_found', 'There is no such session room.');
      const actor = actorOf(req);
      const room = await rooms.access.forAppointment(actor, id.data);
      // Clients confirm the safety check first; the check form sends them back here.
      if (
        deps.safetyChecks &&
        actor.id !== room.hostId &&
        !(await deps.safetyChecks.hasConfirmedSafetyCheck({ ...actor, ip: clientIp(req) }, id.data))
      ) {
        res.redirect(303, safetyCheckUrl(id.data));
        return;
      }
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  router.get(
    '/rooms/:roomId',
    requireSignedIn,
    handle(async (req, res) => {
      const id = roomIdParam.safeParse(req.params.roomId);
      if (!id.success) throw new AppError('room.not_found', 'not_found', 'There is no such session room.');
      const actor = actorOf(req);
      const entry = await rooms.access.entry(actor, id.data);
      if (entry.group) {
        // A group meeting: the page knows the person by their public id and group name only.
        res.setHeader('Cache-Control', 'no-store');
        res.render('rooms/room', {
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
          safetyChecks.push({ name: (await deps.displayName(clientId)) ?? 'Client', check });
        }
      }
      const others = [entry.participants.hostId, ...entry.participants.clientIds].filter(
        (u) => u !== actor.id,
      );
      const names = [];
      for (const other of others) names.push((await deps.displayName(other)) ?? 'your therapist');
      res.setHeader('Cache-Control', 'no-store');
      res.render('rooms/room', {
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
    handle(async (req, res) => {
      const id = roomIdParam.safeParse(req.params.roomId);
      if (!id.success) throw new AppError('room.not_found', 'not_found', 'There is no such session room.');
      const messages = await rooms.transcript(actorOf(req), id.data, clientIp(req));
      res.setHeader('Cache-Control', 'no-store');
      res.render('rooms/chat', { title: 'Session chat', messages, selfId: actorOf(req).id });
    }),
  );

  return router;
}
