import assert from 'node:assert/strict';
import express, { Router, type RequestHandler } from 'express';
import request from 'supertest';
import { firstNamesOf, onlyWhereItCanMatch } from '../../../server/http/middleware/router-gate';

const noop: RequestHandler = (_req, _res, next) => next();

/** An app with `router` gated, then a catch-all that names the path nothing answered. */
function appWith(router: Router, walked: string[]): express.Express {
  const app = express();
  app.use(onlyWhereItCanMatch(router));
  app.use((req, res) => {
    walked.push(req.path);
    res.status(404).send('nothing');
  });
  return app;
}

describe('router gate (walk a router only where its paths can match)', () => {
  it('reads the first path segments of routes, mounts and nested routers, lower-cased', () => {
    const inner = Router();
    inner.get('/Account/two-factor', noop);
    const router = Router();
    router.use('/messages', noop);
    router.get('/messages/:id', noop);
    router.post(['/calendar-feed/:key.ics', '/book'], noop);
    router.get('/', noop);
    router.use(inner);
    assert.deepEqual([...(firstNamesOf(router.stack) ?? [])].sort(), [
      '',
      'account',
      'book',
      'calendar-feed',
      'messages',
    ]);
  });

  it('gives up (always walks) on a path-less middleware, a parameter or pattern first, or a RegExp', () => {
    const pathless = Router();
    pathless.get('/messages', noop);
    pathless.use(noop);
    assert.equal(firstNamesOf(pathless.stack), null);
    for (const path of ['/:id', '/{lang}/x', '/*rest', '/files{/:name}', '/\\:x']) {
      const router = Router();
      router.get(path, noop);
      assert.equal(firstNamesOf(router.stack), null, path);
    }
    const regexp = Router();
    regexp.get(/^\/messages/, noop);
    assert.equal(firstNamesOf(regexp.stack), null);
  });

  it('answers the same through the gate: its own paths (any case, trailing slash) reach it, others pass by', async () => {
    const router = Router();
    router.get('/messages', (_req, res) => void res.send('list'));
    router.get('/messages/:id', (req, res) => void res.send(`thread ${req.params.id}`));
    const passedBy: string[] = [];
    const app = appWith(router, passedBy);
    await request(app).get('/messages').expect(200, 'list');
    await request(app).get('/MESSAGES/').expect(200, 'list');
    await request(app).get('/Messages/7').expect(200, 'thread 7');
    await request(app).get('/messagesx').expect(404);
    await request(app).get('/schedule').expect(404);
    await request(app).get('/').expect(404);
    assert.deepEqual(passedBy, ['/messagesx', '/schedule', '/']);
  });

  it('skips the router itself (not only its answer) for other paths, and still walks it with a path-less layer', async () => {
    let walks = 0;
    const counted = Router();
    counted.use('/messages', (_req, _res, next) => {
      walks += 1;
      next();
    });
    const app = appWith(counted, []);
    await request(app).get('/schedule').expect(404);
    assert.equal(walks, 0);
    await request(app).get('/messages/3').expect(404);
    assert.equal(walks, 1);

    let everyPath = 0;
    const pathless = Router();
    pathless.use((_req, _res, next) => {
      everyPath += 1;
      next();
    });
    pathless.get('/messages', noop);
    const always = appWith(pathless, []);
    await request(always).get('/schedule').expect(404);
    assert.equal(everyPath, 1, 'a path-less middleware still runs for every path');
  });

  it('keeps the router’s layers visible, for tools that list the app’s routes', () => {
    const router = Router();
    router.get('/messages', noop);
    assert.equal(onlyWhereItCanMatch(router).stack, router.stack);
  });
});
