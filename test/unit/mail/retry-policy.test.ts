import assert from 'node:assert/strict';
import { decideAfterFailure, describeMailError } from '../../../server/mail/retry-policy';

describe('mail retry policy', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };
  const half = () => 0; // jitter factor 0.5
  const full = () => 1; // jitter factor 1.0

  it('retries 4xx replies and dropped connections with exponential backoff, capped', () => {
    const tempfail = Object.assign(new Error('try later'), { responseCode: 421 });
    assert.deepEqual(decideAfterFailure(tempfail, 1, policy, full), { kind: 'retry', delayMs: 1000 });
    assert.deepEqual(decideAfterFailure(tempfail, 3, policy, full), { kind: 'retry', delayMs: 4000 });
    assert.deepEqual(decideAfterFailure(tempfail, 4, policy, half), { kind: 'retry', delayMs: 4000 });
    const dropped = Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' });
    assert.equal(decideAfterFailure(dropped, 2, policy).kind, 'retry');
    assert.deepEqual(decideAfterFailure(dropped, 4, { ...policy, maxDelayMs: 5000 }, full), {
      kind: 'retry',
      delayMs: 5000,
    });
  });

  it('gives up at once on 5xx and after the last attempt otherwise', () => {
    const rejected = Object.assign(new Error('no such user'), { responseCode: 550 });
    assert.deepEqual(decideAfterFailure(rejected, 1, policy), { kind: 'fail' });
    assert.deepEqual(decideAfterFailure(new Error('x'), 5, policy), { kind: 'fail' });
  });

  it('describes errors in one line', () => {
    assert.equal(
      describeMailError(Object.assign(new Error('Mailbox unavailable\nmore'), { responseCode: 550 })),
      'SMTP 550: Mailbox unavailable',
    );
  });
});
