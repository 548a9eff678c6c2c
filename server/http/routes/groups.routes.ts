import { Router } from 'express';
import type { User } from '../../accounts';
import { groupsPolicy, type Escalations, type GroupsService } from '../../groups';

import { requireRole, requireSignedIn } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, form, renderFormError } from './route-helpers';
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

const groupRoute = { groupId: fields.id };
const memberRoute = { groupId: fields.id, memberId: fields.id };

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
    endpoint({}, async (_input, req, res) => {
      const actor = actorOf(req);
      res.render('groups/index', {
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
    endpoint(
      {
        body: {
          topic: fields.text(),
          description: fields.longText(),
          capacity: fields.text(20),
          membership: fields.text(),
          facilitatorId: fields.optionalId,
        },
      },
      async (_input, req, res, next) => {
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
            groups: await groups.list(),
            canCreate: true,
            facilitators: await facilitatorChoices(),
            values,
          });
        }
      },
    ),
  );

  // Before /groups/:groupId, which would otherwise take "alerts" for a group id.
  router.get(
    '/groups/alerts',
    requireSignedIn,
    endpoint({}, async (_input, req, res) => {
      const alerts = await deps.alerts.openFor(actorOf(req));
      res.render('groups/alerts', { alerts });
    }),
  );

  router.post(
    '/groups/alerts/:alertId/acknowledge',
    requireSignedIn,
    endpoint({ params: { alertId: fields.id } }, async ({ params }, req, res) => {
      await deps.alerts.acknowledge(actorOf(req), params.alertId);
      res.redirect(303, '/groups/alerts');
    }),
  );

  router.post(
    '/groups/:groupId/members/:memberId/escalate',
    requireSignedIn,
    endpoint({ params: memberRoute, body: { reason: fields.text() } }, async ({ params, body }, req, res) => {
      const { groupId } = params;
      await deps.alerts.escalate(actorOf(req), groupId, params.memberId, body.reason ?? '');
      if (req.session) req.session.flash = pageT(res)('groups:flash.alerted');
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.get(
    '/groups/:groupId',
    requireSignedIn,
    endpoint({ params: groupRoute }, async ({ params }, req, res) => {
      const page = await groups.page(actorOf(req), params.groupId);
      const meetings = meetingDeps ? await meetingLocals(meetingDeps, req, page) : {};
      res.render('groups/group', { title: page.group.topic, page, errors: null, values: {}, ...meetings });
    }),
  );

  router.post(
    '/groups/:groupId/join',
    requireRole('client'),
    endpoint(
      { params: groupRoute, body: { pseudonym: fields.text() } },
      async ({ params }, req, res, next) => {
        const { groupId } = params;
        const values = form(req);
        try {
          await groups.join(actorOf(req), groupId, values.pseudonym ?? '');
          res.redirect(303, `/groups/${groupId}`);
        } catch (error) {
          const page = await groups.page(actorOf(req), groupId);
          renderFormError(res, next, error, 'groups/group', { title: page.group.topic, page, values });
        }
      },
    ),
  );

  router.post(
    '/groups/:groupId/guidelines/accept',
    requireSignedIn,
    endpoint(
      { params: groupRoute, body: { version: fields.text(20) } },
      async ({ params, body }, req, res) => {
        const { groupId } = params;
        await groups.acceptGuidelines(actorOf(req), groupId, Number(body.version));
        res.redirect(303, `/groups/${groupId}`);
      },
    ),
  );

  router.post(
    '/groups/:groupId/guidelines',
    requireSignedIn,
    endpoint(
      { params: groupRoute, body: { text: fields.longText() } },
      async ({ params, body }, req, res) => {
        const { groupId } = params;
        await groups.publishGuidelines(actorOf(req), groupId, body.text ?? '');
        res.redirect(303, `/groups/${groupId}`);
      },
    ),
  );

  router.post(
    '/groups/:groupId/members/:memberId/approve',
    requireSignedIn,
    endpoint({ params: memberRoute }, async ({ params }, req, res) => {
      const { groupId } = params;
      await groups.approve(actorOf(req), groupId, params.memberId);
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  router.post(
    '/groups/:groupId/members/:memberId/remove',
    requireSignedIn,
    endpoint({ params: memberRoute, body: { block: fields.text() } }, async ({ params, body }, req, res) => {
      const { groupId } = params;
      await groups.remove(actorOf(req), groupId, params.memberId, body.block === 'yes');
      res.redirect(303, `/groups/${groupId}`);
    }),
  );

  return router;
}
