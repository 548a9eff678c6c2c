import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Sequelize } from 'sequelize';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { makeTempDir } from '../../support/temp-dir';

const exec = promisify(execFile);

/** Runs a compiled operator command against a temp DATA_DIR; resolves with its exit code and output. */
async function cli(
  name: string,
  dataDir: string,
  args: string[] = [],
): Promise<{ code: number; out: string }> {
  const script = join(PROJECT_ROOT, 'dist', 'server', 'cli', `${name}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  try {
    const { stdout, stderr } = await exec(process.execPath, [script, ...args], {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('operator commands', function () {
  this.timeout(60_000);
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('migrate applies migrations, then reports the database up to date', async () => {
    const first = await cli('migrate', temp.dir);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /applied 20261126-0001-users/);
    const second = await cli('migrate', temp.dir);
    assert.equal(second.out.trim(), 'database is up to date');
    const status = await cli('migrate', temp.dir, ['status']);
    assert.ok(!status.out.includes('pending'));
  });

  it('seed:demo creates the demo clinic once, prints passwords once, and refuses a second run', async () => {
    const seeded = await cli('seed-demo', temp.dir);
    assert.equal(seeded.code, 0, seeded.out);
    for (const role of ['admin', 'therapist', 'peer_supporter', 'client'])
      assert.match(seeded.out, new RegExp(role));
    assert.equal((seeded.out.match(/@demo\.haven\.test/g) ?? []).length >= 6, true);

    const again = await cli('seed-demo', temp.dir);
    assert.equal(again.code, 2);
    assert.match(again.out, /already present/);
  });

  it('seed:demo refuses a database with real users', async () => {
    await cli('migrate', temp.dir);
    const db = new Sequelize({ dialect: 'sqlite', storage: join(temp.dir, 'haven.sqlite'), logging: false });
    await db.query(
      "INSERT INTO users (id, email, display_name, status, is_demo, created_at, updated_at) VALUES ('u1', 'real@clinic.test', 'Real Person', 'active', 0, '2026-01-01', '2026-01-01')",
    );
    await db.close();
    const result = await cli('seed-demo', temp.dir);
    assert.equal(result.code, 2);
    assert.match(result.out, /real users: refusing/);
  });

  it('audit:verify exits 0 on an intact chain and 3 after tampering', async () => {
    await cli('seed-demo', temp.dir); // writes audit rows
    const ok = await cli('audit-verify', temp.dir);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /audit trail intact: \d+ rows verified/);

    const db = new Sequelize({ dialect: 'sqlite', storage: join(temp.dir, 'haven.sqlite'), logging: false });
    await db.query('DROP TRIGGER audit_events_no_update');
    await db.query("UPDATE audit_events SET action = 'nothing.to.see' WHERE seq = 2");
    await db.close();
    const broken = await cli('audit-verify', temp.dir);
    assert.equal(broken.code, 3);
    assert.match(broken.out, /AUDIT TRAIL BROKEN: row 2 was altered/);
  });

  it('outbox lists waiting mail and says why it waits', async () => {
    const result = await cli('outbox', temp.dir);
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /queued: \d+ {3}sending: 0 {3}sent: 0 {3}failed: 0/);
    assert.match(result.out, /No SMTP_URL is configured/);
  });
});

describe('operator commands as npm runs them (scripts/cli.mjs)', function () {
  this.timeout(60_000);
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  /** `node <launcher> …` with a clean environment; resolves with the exit code and all output. */
  async function launch(
    launcher: string,
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; out: string }> {
    try {
      const { stdout, stderr } = await exec(process.execPath, [launcher, ...args], {
        cwd: temp.dir,
        env: { PATH: process.env.PATH ?? '', DATA_DIR: temp.dir, ...env },
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }
  const LAUNCHER = join(PROJECT_ROOT, 'scripts', 'cli.mjs');

  it('starts no media: with no usable worker and warnings shown, nothing mentions media', async () => {
    // Before, every command started mediasoup workers like the server; beside a running server they
    // failed on its ports and logged an error. Here a missing worker binary would do the same.
    const env = { LOG_LEVEL: 'warn', MEDIASOUP_WORKER_BIN: join(temp.dir, 'no-such-worker') };
    // Both go through runCli (cli-support.ts), as seed-demo and create-admin do.
    for (const command of ['outbox', 'audit-verify']) {
      const result = await launch(LAUNCHER, [command], env);
      assert.equal(result.code, 0, `${command}: ${result.out}`);
      assert.doesNotMatch(result.out, /media|mediasoup|worker/i, `${command}: ${result.out}`);
    }
  });

  it('refuses an unknown command with its usage (64)', async () => {
    const result = await launch(LAUNCHER, ['format-disk']);
    assert.equal(result.code, 64);
    assert.match(result.out, /usage: node scripts\/cli\.mjs <[a-z-|]*outbox[a-z-|]*>/);
  });

  it('never builds: says what to run when dist/ is missing, and notes sources newer than the build', async () => {
    // A project of its own: the launcher finds commands and dist/ next to itself.
    mkdirSync(join(temp.dir, 'scripts'));
    mkdirSync(join(temp.dir, 'server', 'cli'), { recursive: true });
    copyFileSync(LAUNCHER, join(temp.dir, 'scripts', 'cli.mjs'));
    writeFileSync(join(temp.dir, 'server', 'cli', 'outbox.ts'), '// source\n');
    const own = join(temp.dir, 'scripts', 'cli.mjs');

    const missing = await launch(own, ['outbox']);
    assert.equal(missing.code, 69, missing.out);
    assert.match(missing.out, /outbox is not built yet: run `npm run build`/);

    mkdirSync(join(temp.dir, 'dist', 'server', 'cli'), { recursive: true });
    const compiled = join(temp.dir, 'dist', 'server', 'cli', 'outbox.js');
    writeFileSync(
      compiled,
      "process.stdout.write('built outbox ' + process.argv.slice(2).join(' '));\nprocess.exit(3);\n",
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(compiled, hourAgo, hourAgo);
    const stale = await launch(own, ['outbox', 'show', 'x1']);
    assert.equal(stale.code, 3, "the command's own exit code");
    assert.match(stale.out, /built outbox show x1/);
    assert.match(stale.out, /server\/ changed after the last build; this runs the built code/);
  });
});
