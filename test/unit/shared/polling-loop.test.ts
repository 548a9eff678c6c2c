import assert from 'node:assert/strict';
import { PollingLoop } from '../../../server/shared/polling-loop';

/** A pass the test finishes by hand, so overlap and shutdown can be observed without timing. */
function gatedPasses(): {
  pass: () => Promise<number>;
  started: number;
  finish(value?: number): void;
  fail(error: Error): void;
} {
  const state = {
    started: 0,
    resolve: null as ((v: number) => void) | null,
    reject: null as ((e: Error) => void) | null,
  };
  return {
    pass: () => {
      state.started += 1;
      return new Promise<number>((resolve, reject) => {
        state.resolve = resolve;
        state.reject = reject;
      });
    },
    get started() {
      return state.started;
    },
    finish: (value = 1) => state.resolve?.(value),
    fail: (error) => state.reject?.(error),
  };
}

const until = async (test: () => boolean): Promise<void> => {
  while (!test()) await new Promise((r) => setImmediate(r));
};

describe('PollingLoop (background jobs)', () => {
  it('joins a pass asked for while one runs, and starts a fresh one after', async () => {
    const gate = gatedPasses();
    const loop = new PollingLoop({ pass: gate.pass, intervalMs: 60_000, onError: () => undefined });
    const first = loop.runOnce();
    const second = loop.runOnce();
    assert.equal(first, second);
    assert.equal(gate.started, 1);
    gate.finish(7);
    assert.equal(await first, 7);
    void loop.runOnce();
    assert.equal(gate.started, 2);
    gate.finish();
  });

  it('runs a pass at start, reports a failed pass and carries on, and stop waits for a pass in progress', async () => {
    const gate = gatedPasses();
    const errors: unknown[] = [];
    const loop = new PollingLoop({ pass: gate.pass, intervalMs: 0, onError: (e) => errors.push(e) });
    loop.start();
    loop.start(); // idempotent: still one loop
    await until(() => gate.started === 1);
    gate.fail(new Error('database away'));
    await until(() => gate.started === 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['database away'],
    );
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'stop waits for the pass in progress');
    gate.finish();
    await stopping;
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(gate.started, 2, 'no pass after stop');
  });
});
