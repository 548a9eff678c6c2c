import { Router } from 'express';
import type { RoomsFeature } from '../../rooms';
import { requireSignedIn } from '../middleware/auth';
import { pageT } from '../middleware/language-locals';
import { endpoint } from './endpoint';
import * as fields from './fields';
import { actorOf, clientIp, form } from './route-helpers';

/**
 * The therapist's per-session choice of end-to-end encrypted media (issue 23, item 3; ROOM_E2EE=
 * per-session), posted from the appointment's page (views/scheduling/_e2ee-choice.ejs). Any signed-in
 * person may post; the services decide: scheduling's rule (the appointment's therapist only, 404 to
 * whoever cannot see it, 403 to its client), then the rooms feature's (offered by the clinic, nobody
 * in the session's room). A refusal is a page in the reader's language; the appointment is unchanged.
 */
export function e2eeChoiceRoutes(rooms: RoomsFeature): Router {
  const router = Router();
  router.post(
    '/appointments/:id/e2ee',
    requireSignedIn,
    endpoint(
      { params: { id: fields.id }, body: { encrypted: fields.text(10), scope: fields.text(10) } },
      async ({ params }, req, res) => {
        const changed = await rooms.e2eeChoice.choose(actorOf(req), params.id, form(req), clientIp(req));
        const key = changed[0]?.e2eeChosen ? 'e2ee:choice.savedOn' : 'e2ee:choice.savedOff';
        req.session.flash = pageT(res)(changed.length > 1 ? `${key}Series` : key);
        res.redirect(303, `/appointments/${params.id}#encryption`);
      },
    ),
  );
  return router;
}
