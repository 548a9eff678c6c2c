import { Router } from 'express';
import type { HomeService } from '../../home';
import { dateReaderOf } from '../middleware/date-locals';
import { endpoint } from './endpoint';
import { clientIp, readerLanguageOf } from './route-helpers';
import { problemTextFor } from '../error-words';

export interface HomeRoutesDeps {
  /** Role home pages (absent in tools that build the app without the features they read). */
  readonly home?: HomeService;
}

/**
 * `/`: the public front door for visitors (what this clinic offers, where to get help now); for a
 * signed-in person, their home: a therapist's "today", a client's care, a peer supporter's groups.
 * Someone who only administers the clinic has the admin console as their home.
 */
export function homeRoutes(deps: HomeRoutesDeps = {}): Router {
  const router = Router();
  router.get(
    '/',
    endpoint({}, async (_input, req, res) => {
      const user = req.user;
      if (!user || !deps.home) return res.render('home/index');
      if (!user.roles.some((r) => r !== 'admin')) return res.redirect(303, '/admin');
      const page = await deps.home.for({
        id: user.id,
        displayName: user.displayName,
        roles: user.roles,
        timeZone: user.timeZone || 'UTC',
        locale: dateReaderOf(req).locale,
        language: readerLanguageOf(req),
        ip: clientIp(req),
      });
      // The setup steps are named as keys by the home service; the page writes them in its language.
      const therapist = page.therapist && {
        ...page.therapist,
        setup:
          page.therapist.setup?.map((s) => ({
            ...s,
            label: problemTextFor(res, s.label),
            detail: problemTextFor(res, s.detail),
          })) ?? null,
      };
      res.render('home/person', { firstName: user.displayName, ...page, therapist });
    }),
  );
  return router;
}
