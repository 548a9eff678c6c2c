import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { startTestHaven } from '../../support/test-haven';
import { makeTempDir } from '../../support/temp-dir';
import { freePort } from '../../support/free-port';
import { ensureBuilt } from './appliance-support';

const run = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly out: string;
}

describe('appliance: `npm run backup` and `scripts/restore` (the operator commands)', function () {
  this.timeout(300_000);
  let temp: { dir: string; remove: () => void };
  let env: NodeJS.ProcessEnv;

  before(async () => {
    await ensureBuilt(['server/cli/backup', 'server/cli/restore', 'server/backup/backup.service']);
    // A real Haven database, created and migrated the normal way, then closed.
    const test = await startTestHaven();
    await test.haven.close();
    temp = { dir: test.dataDir, remove: () => void test.stop() };
    env = {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: temp.dir,
      BACKUP_DIR: join(temp.dir, 'backups'),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    };
    delete env['DATABASE_URL'];
    delete env['BACKUP_PASSPHRASE'];
  });
  after(() => temp?.remove());

  async function cmd(file: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Outcome> {
    try {
      const { stdout, stderr } = await run(file, args, {
        env: { ...env, ...extraEnv },
        cwd: makeTempDir('haven-cli-cwd-').dir, // no stray .env
        timeout: 120_000,
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }
  const backupCli = (args: string[] = []): Promise<Outcome> =>
    cmd(process.execPath, [join(PROJECT_ROOT, 'dist/server/cli/backup.js'), ...args]);
  const restore = (args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<Outcome> =>
    cmd(join(PROJECT_ROOT, 'scripts/restore'), args, extraEnv);

  it('backs up, lists, refuses a corrupted file (exit 2, nothing changed), then restores a good one', async () => {
    const made = await backupCli();
    assert.equal(made.code, 0, made.out);
    const file = /backup written: (\S+)/.exec(made.out)?.[1] ?? '';
    assert.ok(statSync(file).size > 0);
    assert.match(made.out, /NOT encrypted/);
    const listed = await backupCli(['list']);
    assert.ok(listed.out.includes(file), listed.out);

    const corrupted = join(temp.dir, 'corrupted.sqlite');
    copyFileSync(file, corrupted);
    const fd = openSync(corrupted, 'r+');
    for (let offset = 4096; offset < statSync(corrupted).size; offset += 8192) {
      writeSync(fd, Buffer.alloc(256, 0x5a), 0, 256, offset);
    }
    closeSync(fd);
    const live = join(temp.dir, 'haven.sqlite');
    const liveBefore = statSync(live).mtimeMs;
    const refused = await restore([corrupted]);
    assert.equal(refused.code, 2, refused.out);
    assert.match(refused.out, /restore refused, nothing was changed/);
    assert.equal(statSync(live).mtimeMs, liveBefore);

    const restored = await restore([file]);
    assert.equal(restored.code, 0, restored.out);
    assert.match(restored.out, /restored from .*\n.*kept at .*haven\.sqlite\.before-restore-/);
  });

  it('refuses to restore while Haven answers on its port', async () => {
    const port = await freePort();
    const fakeHaven: Server = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => fakeHaven.listen(port, '127.0.0.1', resolve));
    try {
      const made = await backupCli();
      const file = /backup written: (\S+)/.exec(made.out)?.[1] ?? '';
      const refused = await restore([file], { PORT: String(port) });
      assert.equal(refused.code, 2, refused.out);
      assert.match(refused.out, /stop it before restoring/);
    } finally {
      fakeHaven.close();
    }
  });

  it('explains its usage instead of guessing', async () => {
    const usage = await restore([]);
    assert.equal(usage.code, 64);
    assert.match(usage.out, /usage: scripts\/restore <backup-file>/);
    const bad = await backupCli(['frobnicate']);
    assert.equal(bad.code, 64);
  });
});
