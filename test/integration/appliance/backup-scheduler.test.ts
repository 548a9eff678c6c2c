import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { BackupScheduler, BackupService, listBackups } from '../../../server/backup';
import { createLogger } from '../../../server/shared/logger';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

const logger = createLogger('silent');
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls (a busy CI machine makes fixed sleeps flaky) until `count()` reaches `atLeast`. */
async function waitForCount(
  count: () => Promise<number>,
  atLeast: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await count();
    if (n >= atLeast) return n;
    if (Date.now() > deadline) assert.fail(`only ${n} backups after ${timeoutMs} ms (wanted ${atLeast})`);
    await wait(25);
  }
}

describe('appliance: scheduled backups', function () {
  this.timeout(60_000);
  let test: TestHaven;
  let dir: string;
  beforeEach(async () => {
    test = await startTestHaven();
    dir = join(test.dataDir, 'backups');
  });
  afterEach(() => test.stop());

  function service(intervalHours: number): BackupService {
    return new BackupService({
      database: test.config.database,
      backup: { dir, retention: 10, passphrase: undefined, intervalHours },
      dataDir: test.dataDir,
    });
  }

  it('runs soon after start when none exists, then every interval ("hours" shortened to 300 ms)', async () => {
    const scheduler = new BackupScheduler(service(1), logger, { hourMs: 300, firstRunDelayMs: 50 });
    const started = Date.now();
    scheduler.start();
    const count = async (): Promise<number> => (await listBackups(dir)).length;
    await waitForCount(count, 1);
    await waitForCount(count, 2);
    assert.ok(Date.now() - started >= 300, 'the second run waited an interval');
    await scheduler.stop();
    const taken = await listBackups(dir);
    assert.ok(taken.every((e) => e.reason === 'scheduled'));
    await wait(900);
    assert.equal(await count(), taken.length, 'nothing runs after stop()');
  });

  it('counts the next run from the newest backup on disk, so restarts do not postpone or repeat it', async () => {
    await service(1).backup('manual'); // taken "just now"
    const scheduler = new BackupScheduler(service(1), logger, { hourMs: 1000, firstRunDelayMs: 50 });
    scheduler.start();
    await wait(400);
    assert.equal((await listBackups(dir)).length, 1, 'not due yet: the newest backup is recent');
    await waitForCount(async () => (await listBackups(dir)).length, 2);
    await scheduler.stop();
  });

  it('does nothing when BACKUP_INTERVAL_HOURS is 0', async () => {
    const scheduler = new BackupScheduler(service(0), logger, { hourMs: 10, firstRunDelayMs: 10 });
    scheduler.start();
    await wait(200);
    await scheduler.stop();
    assert.deepEqual(await listBackups(dir), []);
  });
});
