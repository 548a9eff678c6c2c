import { Router, type Request } from 'express';
import { z } from 'zod';
import type { User } from '../../accounts';
import { groupsPolicy, type Escalations, type GroupActor, type GroupsService } from '../../groups';
import { AppError } from '../../shared/errors';
import { requireRole, requireSignedIn } from '../middleware/auth';
import { clientIp, form, handle, renderFormError } from './route-helpers';
import { groupMeetingsRoutes, meetingLocals, type GroupMeetingsRoutesDeps } from './group-meetings.routes';

export interface GroupsRoutesDeps {
  readonly groups: GroupsService;
  readonly alerts: Escalations;
  /** Everyone, to offer facilitators (peer supporters and therapists) when creating a group. */
  readonly people: () => Promise<User[]>;
  /** Group meetings (schedule, join the live room, reports); without them the page lists none. */
  readonly meetings?: GroupMeetingsRoutesDeps['meetings'];
  readonly rooms?: GroupMeetingsRoutesDeps['rooms'];
  readonly roomTimes?: GroupMeetingsRoutesDeps['roomTimes'];
}

const uuid = z.uuid();

function actorOf(req: Request): GroupActor {
  const user = req.user;
  if (!user) throw new AppError('auth.required', 'unauthenticated');
  return { id: user.id, roles: user.roles, ip: clientIp(req) };
}

function idOf(value: unknown): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw new AppError('groups.not_found', 'not_found', 'There is no such group.');
  return parsed.data;
}

/**
 * Peer-support group pages. Declared checks: every route needs a signed-in person; creating needs
 * the admin or peer-supporter role (groups.policy `canCreateGroup`); joining needs the client role;
 * managing (approve, remove, block, guidelines) needs an admin or the group's facilitator
 * (`canManageGroup`), all enforced by the service. Members are shown by pseudonym only.
 */
export function groupsRoutes(deps: GroupsRoutesDeps): Router {
  const router = Router();
  const { groups } = deps;
  const facilitatorChoices = async () =>
    (await deps.people()).filter((u) => u.status === 'active' && groupsPolicy.canFacilitate(u));
  const meetingDeps =
    deps.meetings && deps.rooms && deps.roomTimes
      ? { meetings: deps.meetings, rooms: deps.rooms, roomTimes: deps.roomTimes }
      : null;
  if (meetingDeps) router.use(groupMeetingsRoutes(meetingDeps));

  router.get(
    '/groups',
    requireSignedIn,
    handle(async (req, res) => {
      const actor = actorOf(req);
      res.render('groups/index', {
        title: 'Peer-support groups',
        groups: await groups.list(),
        canCreate: groupsPolicy.canCreateGroup(actor),
        facilitators: groupsPolicy.canCreateGroup(actor) ? await facilitatorChoices() : [],
        values: {},
        errors: null,
      });
    }),
  );

  router.post(
    '/groups',
    requireRole('admin', 'peer_supporter'),
    handle(async (req, res, next) => {
      const values = form(req);
      try {
        const group = await groups.create(actorOf(req), {
          topic: values.topic ?? '',
          description: values.description ?? '',
          capacity: values.capacity ?? '',
          membership: values.membership === 'approval' ? 'approval' : 'open',
          facilitatorIds: values.facilitatorId ? [values.facilitatorId] : [],
        });
        res.redirect(303, `/groups/${group.id}`);
      } catch (error) {
        renderFormError(res, next, error, 'groups/index', {
          title: 'Peer-support groups',
          groups: await groups.list(),
          canCreate: true,
          facilitators: await facilitatorChoices(),
          values,
        });
      }
    }),
  );

  // Before /groups/:groupId, which would otherwise take "alerts" for a group id.
  router.get(
    '/groups/alerts',
    requireSignedIn,
    handle(async (req, res) => {
      const alerts = await deps.alerts.openFor(actorOf(req));
      res.setHeader('Cache-Control', 'no-store');
      res.render('groups/alerts', { title: 'Group alerts', alerts });
    }),
  );

  router.post(
    '/groups/alerts/:alertId/acknowledge',
    requireSignedIn,
    handle(async (req, res) => {
      await deps.alerts.acknowledge(actorOf(req), idOf(req.params.alertId));
      res.redirect(303, '/groups/alerts');
    }),
  );

  router.post(
    '/groups/:groupId/members/:memberId/escalate',
    requireSignedIn,
    handle(async (req, res) => {
      const groupId = idOf(req.params.groupId);
      await deps.alerts.escalate(actorOf(req), groupId, idOf(req.params.memberId), form(req).reason ?? '');
      if (req.session) req.session.flash = 'The on-call clinician has been alerted.';
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.get(
    '/groups/:groupId',
    requireSignedIn,
    handle(async (req, res) => {
      const page = await groups.page(actorOf(req), idOf(req.params.groupId));
      const meetings = meetingDeps ? await meetingLocals(meetingDeps, req, page) : {};
      res.setHeader('Cache-Control', 'no-store');
      res.render('groups/group', { title: page.group.topic, page, errors: null, values: {}, ...meetings });
    }),
  );

  router.post(
    '/groups/:groupId/join',
    requireRole('client'),
    handle(async (req, res, next) => {
      const groupId = idOf(req.params.groupId);
      const values = form(req);
      try {
        await groups.join(actorOf(req), groupId, values.pseudonym ?? '');
        res.redirect(303, `/groups/${groupId}`);
      } catch (error) {
        const page = await groups.page(actorOf(req), groupId);
        renderFormError(res, next, error, 'groups/group', { title: page.group.topic, page, values });
      }
    }),
  );

  router.post(
    '/groups/:groupId/guidelines/accept',
    requireSignedIn,
    handle(async (req, res) => {
      const groupId = idOf(req.params.groupId);
      await groups.acceptGuidelines(actorOf(req), groupId, Number(form(req).version));
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.post(
    '/groups/:groupId/guidelines',
    requireSignedIn,
    handle(async (req, res) => {
      const groupId = idOf(req.params.groupId);
      await groups.publishGuidelines(actorOf(req), groupId, form(req).text ?? '');
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.post(
    '/groups/:groupId/members/:memberId/approve',
    requireSignedIn,
    handle(async (req, res) => {
      const groupId = idOf(req.params.groupId);
      await groups.approve(actorOf(req), groupId, idOf(req.params.memberId));
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.post(
    '/groups/:groupId/members/:memberId/remove',
    requireSignedIn,
    handle(async (req, res) => {
      const groupId = idOf(req.params.groupId);
      await groups.remove(actorOf(req), groupId, idOf(req.params.memberId), form(req).block === 'yes');
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  return router;
}
