import { Router } from 'express';
import type { RoomsFeature } from '../../rooms';
import { tokenSchema } from '../../shared/ids';

/**
 * A guest's link page (`/guest/<token>`, GET and POST) opens in the language the therapist chose for
 * that guest, before anyone has signed in or used the link: this reads it from the link and leaves
 * it on the request for the language middleware, which runs next (negotiation.ts: below the
 * switcher's cookie, above the browser's Accept-Language). After the link is used the guest's
 * session pass carries it. A malformed token is left alone (the route answers it).
 */
export function guestLinkLanguage(guests: Pick<RoomsFeature['guests'], 'readingLanguageOf'>): Router {
  const router = Router();
  router.all('/guest/:token', (req, _res, next) => {
    const token = req.params.token;
    if (!tokenSchema.safeParse(token).success) return next();
    guests.readingLanguageOf(token).then((language) => {
      req.invitedLanguage = language;
      next();
    }, next);
  });
  return router;
}
