import assert from 'node:assert/strict';
import { LicenceWatch } from '../../../server/directory';
import { createLogger } from '../../../server/shared/logger';

describe('licence watch', () => {
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
    await new Promise((r) => setTimeout(r, 120));
    await watch.stop();
    const seen = calls;
    assert.ok(seen >= 3, `ran ${seen} times`);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(calls, seen, 'nothing runs after stop');
    await watch.stop();
  });
});
