import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../../server/http/error-handler';
import { createTranslator } from '../../../server/i18n';
import { layoutEngine } from '../../../server/http/view-engine';
import { AppError } from '../../../server/shared/errors';
import { createLogger } from '../../../server/shared/logger';
import { VIEWS_DIR } from '../../../server/shared/paths';

describe('error handler', () => {
  const logged: string[] = [];
  const logger = createLogger('error', { write: (line: string) => logged.push(line) });
  const app = express();
  app.engine('ejs', layoutEngine(VIEWS_DIR, false));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.locals.clinicName = 'Test Clinic';
  app.use((_req, res, next) => {
    res.locals.currentPath = '/';
    res.setHeader('X-Request-Id', 'req-12345678');
    next();
  });
  app.get('/boom', () => {
    throw new Error('database password is hunter2 at /srv/haven/secret.ts:42');
  });
  app.get('/taken', () => {
    throw new AppError('appointment.slot_taken', 'conflict', 'Someone else just booked that time.');
  });
  app.use(errorHandler(logger, createTranslator()));

  it('turns an unknown error into a 500 page with no stack, message or path, and logs it', async () => {
    const res = await request(app).get('/boom').expect(500);
    assert.match(res.text, /Something went wrong on our side/);
    assert.ok(!res.text.includes('hunter2'));
    assert.ok(!res.text.includes('secret.ts'));
    assert.match(res.text, /req-12345678/);
    assert.ok(logged.some((line) => line.includes('unhandled error')));
  });

  it('maps an AppError code to its status and friendly message', async () => {
    const res = await request(app).get('/taken').expect(409);
    assert.match(res.text, /Someone else just booked that time\./);
    const json = await request(app).get('/taken').set('Accept', 'application/json').expect(409);
    assert.deepEqual(json.body.error, {
      code: 'appointment.slot_taken',
      message: 'Someone else just booked that time.',
      requestId: 'req-12345678',
    });
  });
});
