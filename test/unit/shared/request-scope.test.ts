import assert from 'node:assert/strict';
import {
  BatchLoader,
  forgetInRequest,
  rememberInRequest,
  runInRequestScope,
} from '../../../server/shared/request-scope';

describe('request scope', () => {
  it('remembers a read for the rest of the request, and only inside it', async () => {
    let loads = 0;
    const read = (): Promise<number> => rememberInRequest('k', async () => ++loads);
    await runInRequestScope(async () => {
      assert.equal(await read(), 1);
      assert.equal(await read(), 1);
    });
    await runInRequestScope(async () => assert.equal(await read(), 2)); // a new request reads again
    assert.equal(await read(), 3); // outside any request: never remembered
    assert.equal(await read(), 4);
  });

  it('forgets by prefix (after a write) and never remembers a failure', async () => {
    await runInRequestScope(async () => {
      let loads = 0;
      await rememberInRequest('user:1', async () => ++loads);
      await rememberInRequest('care:1', async () => ++loads);
      forgetInRequest('user:');
      assert.equal(await rememberInRequest('user:1', async () => ++loads), 3);
      assert.equal(await rememberInRequest('care:1', async () => ++loads), 2);
      await assert.rejects(rememberInRequest('bad', () => Promise.reject(new Error('db down'))));
      assert.equal(await rememberInRequest('bad', async () => 'ok'), 'ok');
    });
  });

  it('primes a value read another way, inside a request only, never over what it already holds', async () => {
    let loads = 0;
    const people = new BatchLoader<string>('user', async (ids) => {
      loads += 1;
      return new Map(ids.map((id) => [id, `read ${id}`]));
    });
    await runInRequestScope(async () => {
      people.prime('a', 'primed a');
      assert.equal(await people.load('a'), 'primed a');
      assert.equal(loads, 0, 'answered from the primed value');
      assert.equal(await people.load('b'), 'read b');
      people.prime('b', 'primed b');
      assert.equal(await people.load('b'), 'read b', 'what the request read first stays');
      forgetInRequest(people.prefix);
      assert.equal(await people.load('a'), 'read a', 'a write forgets primed values too');
    });
    people.prime('c', 'primed c'); // outside a request: nothing is remembered
    assert.equal(await people.load('c'), 'read c');
  });

  it('batches the reads a page starts together into one load, and answers null for what is missing', async () => {
    const batches: string[][] = [];
    const people = new BatchLoader<string>('person', async (ids) => {
      batches.push([...ids]);
      return new Map(ids.filter((id) => id !== 'ghost').map((id) => [id, `name of ${id}`]));
    });
    await runInRequestScope(async () => {
      const rows = ['t1', 't2', 't1', 'ghost', 't3'];
      // Some callers reach the loader only after an await of their own.
      const names = await Promise.all(
        rows.map(async (id, i) => {
          if (i % 2) await Promise.resolve();
          return people.load(id);
        }),
      );
      assert.deepEqual(names, ['name of t1', 'name of t2', 'name of t1', null, 'name of t3']);
      assert.equal(await people.load('t2'), 'name of t2'); // remembered: no new batch
    });
    assert.deepEqual(
      batches.map((b) => [...b].sort()),
      [['ghost', 't1', 't2', 't3']],
    );
  });

  it('rejects every waiter of a failed batch', async () => {
    const loader = new BatchLoader<string>('x', () => Promise.reject(new Error('db down')));
    const results = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
  });
});
