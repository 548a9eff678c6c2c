import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { freePort } from '../../support/free-port';
import { testMediaPort } from '../../support/media-worker';
import { makeTempDir } from '../../support/temp-dir';

const MAIN = join(PROJECT_ROOT, 'dist', 'server', 'main.js');

function run(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    cwd: makeTempDir().dir,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      // The media layer needs to find its worker binary where npm could not install it (see .ci/run).
      ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Waits for the process's PORT to answer /readyz. */
async function readyOrThrow(proc: ReturnType<typeof run>, port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never became ready: ${proc.output()}`);
}

/** The compiled server as production runs it: `node dist/server/main.js` (built by `npm test`). */
describe('the server process', function () {
  before(function () {
    if (!existsSync(MAIN)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
  });

  it('stops at start-up with one clear line on a bad setting', async () => {
    const temp = makeTempDir();
    const proc = run({ PORT: 'abc', DATA_DIR: temp.dir });
    assert.equal(await proc.exit, 78);
    assert.equal(
      proc.output(),
      'haven: configuration error: PORT is invalid (got "abc"): allowed is an integer from 1 to 65535\n',
    );
    temp.remove();
  });

  it('refuses a second server on the same SQLite database with one clear line (exit 75)', async function () {
    this.timeout(90_000);
    const temp = makeTempDir();
    const port = await freePort();
    const first = run({
      PORT: String(port),
      DATA_DIR: temp.dir,
      NODE_ID: 'first',
      MEDIA_WORKERS: '1',
      MEDIA_PORT: String(testMediaPort()),
    });
    try {
      await readyOrThrow(first, port);
      const second = run({
        PORT: String(await freePort()),
        DATA_DIR: temp.dir,
        NODE_ID: 'second',
        MEDIA_WORKERS: '1',
        MEDIA_PORT: String(testMediaPort()),
      });
      assert.equal(await second.exit, 75, second.output());
      assert.match(
        second.output(),
        /^haven: cannot start: another Haven, node "first" \(host [^,]+, pid \d+, last heartbeat \d+ s ago\), is already serving the SQLite database .*haven\.sqlite\. SQLite serves one Haven process only/m,
      );
    } finally {
      first.child.kill('SIGTERM');
      assert.equal(await first.exit, 0, first.output());
      temp.remove();
    }
  });

  it('serves with embedded defaults, then shuts down cleanly on SIGTERM', async function () {
    this.timeout(60_000);
    const temp = makeTempDir();
    const port = await freePort();
    // Everything else at its default; the media port is a test port, because on a shared machine
    // something else (an appliance stack's proxy, say) may hold the default 40000.
    const proc = run({ PORT: String(port), DATA_DIR: temp.dir, MEDIA_PORT: String(testMediaPort()) });
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 150 && !ready; i++) {
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(ready, `never became ready: ${proc.output()}`);
    const home = await fetch(`${base}/`);
    assert.equal(home.status, 200);
    assert.ok(existsSync(join(temp.dir, 'haven.sqlite')));
    assert.ok(existsSync(join(temp.dir, 'secrets', 'field-encryption.key')));

    const started = Date.now();
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exit, 0, proc.output());
    assert.ok(Date.now() - started < 10_000, 'exits within 10 s');
    temp.remove();
  });
});
