import assert from 'node:assert/strict';
import { loggablePath } from '../../../server/http/middleware/request-logging';
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
});
