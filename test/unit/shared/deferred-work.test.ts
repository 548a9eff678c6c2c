import assert from 'node:assert/strict';
import { DeferredWork } from '../../../server/shared/deferred-work';

describe('DeferredWork', () => {
  it('starts nothing before the current turn ends, then runs tasks one at a time in order', async () => {
    const log: string[] = [];
    const work = new DeferredWork({ onError: (e) => assert.fail(String(e)) });
    for (const name of ['a', 'b', 'c']) {
      work.defer(async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} end`);
      });
    }
    log.push('answer sent');
    await work.idle();
    assert.deepEqual(log, ['answer sent', 'a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    assert.equal(work.queued, 0);
  });

  it('reports a failed task and carries on with the next', async () => {
    const errors: unknown[] = [];
    const done: string[] = [];
    const work = new DeferredWork({ onError: (e) => errors.push(e) });
    work.defer(async () => {
      throw new Error('boom');
    });
    work.defer(async () => {
      done.push('next');
    });
    await work.idle();
    assert.equal((errors[0] as Error).message, 'boom');
    assert.deepEqual(done, ['next']);
  });

  it('drops (and reports) a task when the queue is full, rather than making anyone wait', async () => {
    const errors: unknown[] = [];
    const work = new DeferredWork({ onError: (e) => errors.push(e), maxQueued: 2 });
    assert.equal(
      work.defer(async () => {}),
      true,
    );
    assert.equal(
      work.defer(async () => {}),
      true,
    );
    assert.equal(
      work.defer(async () => {}),
      false,
    );
    await work.idle();
    assert.match(String(errors[0]), /queue is full/);
    assert.equal(
      work.defer(async () => {}),
      true,
      'room again once drained',
    );
    await work.idle();
  });

  it('idle() also waits for tasks queued while it waits', async () => {
    const work = new DeferredWork({ onError: (e) => assert.fail(String(e)) });
    let late = false;
    work.defer(async () => {
      work.defer(async () => {
        late = true;
      });
    });
    await work.idle();
    assert.equal(late, true);
  });
});
