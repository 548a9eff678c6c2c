import { Router, type Request } from 'express';
import type { GroupMeetings, GroupPage } from '../../groups';
import type { RoomsFeature } from '../../rooms';
import { formatDateTime } from '../../scheduling';
import { AppError, isAppError, phrase } from '../../shared/errors';
import { requireSignedIn } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf } from './route-helpers';
import { dateReaderOf } from '../middleware/date-locals';
import { errorTextFor } from '../error-words';

export interface GroupMeetingsRoutesDeps {
  readonly meetings: GroupMeetings;
  readonly rooms: RoomsFeature;
  /** When a meeting's room opens before the start and closes after the end (the rooms' settings). */
  readonly roomTimes: { readonly openBeforeMs: number; readonly graceMs: number };
}

const meetingRoute = { groupId: fields.id, meetingId: fields.id };
const SCHEDULE_FIELDS = {
  date: fields.text(20),
  time: fields.text(20),
  durationMinutes: fields.text(20),
  repeatWeeks: fields.text(20),
};

/**
 * What the group page shows about meetings: the upcoming ones (in the viewer's time zone, with a
 * "Join" link while the room is open) to members and managers; the members' reports to managers.
 */
export async function meetingLocals(
  deps: GroupMeetingsRoutesDeps,
  req: Request,
  page: GroupPage,
): Promise<Record<string, unknown>> {
  const actor = actorOf(req);
  const member = page.me?.status === 'active';
  if (!page.canManage && !member) return { meetings: null, reports: null };
  const meetings = (await deps.meetings.upcoming(page.group.id, deps.roomTimes.graceMs)).map((m) => ({
    id: m.id,
    when: formatDateTime(m.startsAt, actor.timeZone, dateReaderOf(req).locale),
    minutes: Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / 60_000),
    open: deps.meetings.isOpen(m, deps.roomTimes),
  }));
  const reports = page.canManage ? await deps.meetings.reports(actor, page.group.id) : null;
  return { meetings, reports, timeZone: actor.timeZone };
}

/**
 * Group meetings. Declared checks: every route needs a signed-in person; scheduling and cancelling
 * need an admin or the group's facilitator (the service: `canManageGroup`); entering a meeting needs
 * a facilitator, or a member in good standing who accepted the current guidelines and was not
 * removed from it or blocked (the groups feature's `seat`); the room then applies the lobby.
 */
export function groupMeetingsRoutes(deps: GroupMeetingsRoutesDeps): Router {
  const router = Router();

  router.post(
    '/groups/:groupId/meetings',
    requireSignedIn,
    endpoint(
      { params: { groupId: fields.id }, body: SCHEDULE_FIELDS },
      async ({ params, body }, req, res) => {
        const { groupId } = params;
        const actor = actorOf(req);
        try {
          const made = await deps.meetings.schedule(actor, groupId, body, actor.timeZone);
          if (req.session)
            req.session.flash = pageT(res)('groups:flash.scheduled', {
              count: made.length,
              n: new Intl.NumberFormat(dateReaderOf(req).locale).format(made.length),
            });
        } catch (error) {
          // A bad date or time: say so on the group page; nothing was created.
          if (!isAppError(error) || error.kind !== 'bad_request') throw error;
          if (req.session) req.session.flash = errorTextFor(res, error);
        }
        res.redirect(303, `/groups/${groupId}`);
      },
    ),
  );

  router.post(
    '/groups/:groupId/meetings/:meetingId/cancel',
    requireSignedIn,
    endpoint({ params: meetingRoute }, async ({ params }, req, res) => {
      const { groupId } = params;
      await deps.meetings.cancel(actorOf(req), groupId, params.meetingId);
      if (req.session) req.session.flash = pageT(res)('groups:flash.cancelled');
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  /** "Join": the meeting's live room (created on first entry); the lobby is in the room. */
  router.get(
    '/groups/:groupId/meetings/:meetingId',
    requireSignedIn,
    endpoint({ params: meetingRoute }, async ({ params }, req, res) => {
      const { groupId, meetingId } = params;
      const meeting = await deps.meetings.meeting(meetingId);
      if (!meeting || meeting.groupId !== groupId) {
        throw new AppError('meeting.not_found', 'not_found', phrase('groups:problem.noSuchMeeting'));
      }
      const room = await deps.rooms.access.forGroupMeeting(actorOf(req), meetingId);
      res.redirect(303, `/rooms/${room.id}`);
    }),
  );

  return router;
}
