import type { RequestHandler } from 'express';

/**
 * Every answer to a signed-in person (or an invited guest) is `Cache-Control: no-store`: their pages carry their name and
 * often health information, and a shared or family computer's back button and disk cache must not
 * keep them. A route that serves something cacheable (a photo) sets its own header and declares
 * `cacheable` (route declarations); static assets are served before this runs.
 */
export const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  // An invited guest's pages name the session's people too.
  if (req.user || req.session?.guest) res.setHeader('Cache-Control', 'no-store');
  next();
};
