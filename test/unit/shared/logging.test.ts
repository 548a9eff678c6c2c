import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { loggablePath, requestLogging } from '../../../server/http/middleware/request-logging';
import { createLogger } from '../../../server/shared/logger';

describe('logging', () => {
  function capture() {
    const lines: string[] = [];
    return { lines, logger: createLogger('info', { write: (line: string) => lines.push(line) }) };
  }

  it('redacts cookies, credentials, tokens and health information wherever they appear', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { cookie: 'haven.sid=s%3Aabc', authorization: 'Bearer xyz' } },
        form: { password: 'correct horse battery staple', token: 'reset-token-123', totpCode: '123456' },
        note: { body: 'Client disclosed panic attacks', answers: [3, 2, 1] },
        chat: { messageBody: 'I feel unsafe' },
      },
      'request',
    );
    const text = lines.join('');
    for (const secret of [
      'abc',
      'xyz',
      'correct horse',
      'reset-token-123',
      '123456',
      'panic',
      'unsafe',
      '[3,2,1]',
    ]) {
      assert.ok(!text.includes(secret), `log leaked ${secret}: ${text}`);
    }
    assert.match(text, /\[redacted\]/);
  });

  it('keeps error messages and codes, which operators need', () => {
    const { lines, logger } = capture();
    logger.error(
      { err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) },
      'db down',
    );
    assert.match(lines.join(''), /ECONNREFUSED/);
  });

  it('masks opaque tokens in paths and drops query strings', () => {
    assert.equal(loggablePath('/reset/Zk3Jd9s8dkQ0aP1sLx7uYw2b?email=a@b.c'), '/reset/:token');
    assert.equal(loggablePath('/calendar/feed/aB3dE5gH7jK9mN1pQ3sT5v.ics'), '/calendar/feed/:token');
    assert.equal(loggablePath('/account/two-factor-authentication'), '/account/two-factor-authentication');
    assert.equal(
      loggablePath('/notes/0b7c7a36-0a5e-4d0e-9a59-1f0b7c7a36aa'),
      '/notes/0b7c7a36-0a5e-4d0e-9a59-1f0b7c7a36aa',
    );
  });

  it('writes one line per request: its id, method and masked path, the status, the time taken', async () => {
    const { lines, logger } = capture();
    const app = express();
    app.use(requestLogging(logger));
    app.get('/reset/:token', (_req, res) => void res.status(404).send('gone'));
    app.get('/fails', (req, res) => {
      // As the error handler does: the error on the request's own logger (its line names the request).
      req.log.error(
        { err: Object.assign(new Error('boom'), { body: 'Client disclosed panic attacks' }) },
        'unhandled',
      );
      res.status(500).send('sorry');
    });
    const res = await request(app)
      .get('/reset/Zk3Jd9s8dkQ0aP1sLx7uYw2b?email=a@b.c')
      .set('Cookie', 'haven.sid=s%3Aabc')
      .set('X-Request-Id', 'trusted-proxy-id-1');
    assert.equal(res.headers['x-request-id'], 'trusted-proxy-id-1');
    await request(app).get('/fails').expect(500);
    const [notFound, unhandled, failed] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const { time: _t, responseTime, ...rest } = notFound!;
    assert.equal(typeof responseTime, 'number');
    assert.deepEqual(rest, {
      level: 40,
      service: 'haven',
      req: { id: 'trusted-proxy-id-1', method: 'GET', path: '/reset/:token' },
      res: { statusCode: 404 },
      msg: 'request completed',
    });
    assert.equal((unhandled!.err as { message: string }).message, 'boom');
    assert.deepEqual(unhandled!.req, {
      id: (failed!.req as { id: string }).id,
      method: 'GET',
      path: '/fails',
    });
    assert.ok(!lines.join('').includes('panic'), 'an error’s body is redacted');
    assert.equal(failed!.level, 50);
    assert.deepEqual(failed!.res, { statusCode: 500 });
    assert.equal((failed!.err as { message: string }).message, 'failed with status code 500');
  });
});
