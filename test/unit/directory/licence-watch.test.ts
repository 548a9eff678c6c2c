import assert from 'node:assert/strict';
import { mock } from 'node:test';
import { LicenceWatch } from '../../../server/directory';
import { createLogger } from '../../../server/shared/logger';

/** Lets the promise chains the timers started (a check, its catch, its finally) run to the end. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('licence watch', () => {
  // Node's own fake timers (setTimeout/setInterval only): the watch's schedule is counted in ticks,
  // not in wall-clock milliseconds a loaded machine may not give (this failed on a 20–120 ms window).
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval'] }));
  afterEach(() => mock.timers.reset());

  it('checks soon after start, then on its interval, survives a failing check, and stops', async () => {
    let calls = 0;
    const watch = new LicenceWatch(
      {
        warnExpiringLicences: async () => {
          calls += 1;
          if (calls === 2) throw new Error('database busy');
          return 0;
        },
      },
      createLogger('silent'),
      20,
      10,
    );
    watch.start();
    watch.start(); // idempotent
    mock.timers.tick(9);
    assert.equal(calls, 0, 'not before the first delay');
    mock.timers.tick(1);
    await settle();
    assert.equal(calls, 1, 'soon after start');
    mock.timers.tick(20);
    await settle();
    assert.equal(calls, 2, 'on its interval (this check fails)');
    mock.timers.tick(20);
    await settle();
    assert.equal(calls, 3, 'a failing check does not stop the watch');
    await watch.stop();
    mock.timers.tick(100);
    await settle();
    assert.equal(calls, 3, 'nothing runs after stop');
    await watch.stop();
  });
});
