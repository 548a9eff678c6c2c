import { createTranslator, mailWordsOf } from '../../../server/i18n';
import assert from 'node:assert/strict';
import { AccountLifecycle, type LifecycleDeps } from '../../../server/accounts/account-lifecycle.service';
import type { DeferredWork } from '../../../server/shared/deferred-work';

/**
 * Issue 16, item 4: the reset answer took twice as long for a registered address (its token, email
 * and audit row were written while the visitor waited), so timing told outsiders who has an
 * account. Now the request path does the same thing for every address — checks its form and
 * queues the work — and the work happens after the answer. (The benchmark `npm run bench:reset`
 * measures the times; a test only asserts which work runs when.)
 */
describe('password reset request: the same work while the person waits, known address or not', () => {
  const calls: string[] = [];
  const known = { id: 'u-1', email: 'ana@example.org', status: 'active' };
  /** A queue the test runs by hand, so "before the answer" and "afterwards" are two explicit steps. */
  const handQueue = () => {
    const tasks: Array<() => Promise<void>> = [];
    const deferred = {
      defer: (task: () => Promise<void>) => tasks.push(task) > 0,
    } as unknown as DeferredWork;
    const runAll = async () => {
      while (tasks.length > 0) await tasks.shift()!();
    };
    return { tasks, deferred, runAll };
  };
  const fakeDeps = (deferred: DeferredWork): LifecycleDeps =>
    ({
      sequelize: {
        transaction: async (work: (tx: object) => Promise<unknown>) => {
          calls.push('transaction');
          return work({});
        },
      },
      users: {
        byEmail: async (email: string) => {
          calls.push(`byEmail ${email}`);
          return email === known.email ? known : null;
        },
      },
      tokens: {
        issue: async (userId: string) => {
          calls.push(`token ${userId}`);
          return { id: 't-1', token: 'secret-token' };
        },
      },
      outbox: {
        enqueue: async (mail: { to: string }) => {
          calls.push(`email ${mail.to}`);
          return true;
        },
      },
      audit: {
        record: async (event: { action: string; targetId: string | null }) => {
          calls.push(`audit ${event.action} ${String(event.targetId)}`);
        },
      },
      clock: { now: () => new Date('2026-03-02T09:00:00Z') },
      emailContext: async () => ({
        publicUrl: 'https://clinic.example.org',
        clinicName: 'Harbour',
        words: mailWordsOf(createTranslator()),
      }),
      passwordMinLength: 12,
      deferred,
    }) as unknown as LifecycleDeps;

  it('touches nothing while the person waits, for either address; afterwards only the known one gets mail', async () => {
    const queue = handQueue();
    const lifecycle = new AccountLifecycle(fakeDeps(queue.deferred));
    calls.length = 0;
    await lifecycle.requestPasswordReset('Ana@Example.org', '203.0.113.7');
    await lifecycle.requestPasswordReset('nobody@example.org', '203.0.113.7');
    assert.deepEqual(calls, [], 'no lookup, no write before the answer, for either address');
    assert.equal(queue.tasks.length, 2, 'one queued task per request, known address or not');

    await queue.runAll();
    assert.deepEqual(calls, [
      'transaction',
      'byEmail ana@example.org',
      'token u-1',
      'email ana@example.org',
      'audit auth.password_reset.requested u-1',
      'transaction',
      'byEmail nobody@example.org',
      'audit auth.password_reset.unknown_address null',
    ]);
  });

  it('refuses a malformed address on the spot (the same for everyone) and queues nothing', async () => {
    const queue = handQueue();
    const lifecycle = new AccountLifecycle(fakeDeps(queue.deferred));
    await assert.rejects(lifecycle.requestPasswordReset('not an address', null), {
      code: 'accounts.email_invalid',
    });
    assert.equal(queue.tasks.length, 0);
  });
});
