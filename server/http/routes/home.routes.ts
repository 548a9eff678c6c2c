import { Router } from 'express';
import { endpoint } from './endpoint';

/** The public front door: what this clinic offers and where to get help right now. */
export function homeRoutes(): Router {
  const router = Router();
  router.get(
    '/',
    endpoint({}, (_input, _req, res) => {
      res.render('home/index', { title: 'Welcome' });
    }),
  );
  return router;
}
