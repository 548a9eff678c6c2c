import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/shared/paths';
import { freePort } from './free-port';
import { MEDIASOUP_WORKER_BIN, testMediaPort } from './media-worker';
import { makeTempDir } from './temp-dir';

const MAIN = join(PROJECT_ROOT, 'dist', 'server', 'main.js');

/** A Haven node in its own process, as `npm start` runs it: the one a test can kill -9. */
export interface NodeProcess {
  readonly nodeId: string;
  /** `http://127.0.0.1:<port>`: where the proxy sends this node's requests. */
  readonly baseUrl: string;
  readonly pid: number;
  /** SIGKILL, as a crash or a pulled plug: no clean leave, the registry row stays until it is dead. */
  kill9(): Promise<void>;
  /** SIGTERM if still running, then its temp directory goes; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `node dist/server/main.js` (built by `npm run build`) as node `nodeId` with the given
 * settings on top of loopback ones (its own port and media ports, one media worker, no scheduled
 * backups), and waits until it answers /readyz. `env` carries what the clinic's nodes share
 * (DATABASE_URL, secrets, PUBLIC_URL) and the cluster timings.
 */
export async function startNodeProcess(
  nodeId: string,
  env: Readonly<Record<string, string>>,
): Promise<NodeProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
  if (!MEDIASOUP_WORKER_BIN) throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
  const temp = makeTempDir('haven-node-');
  const port = await freePort();
  let output = '';
  // cwd is the temp directory, so a developer's own .env in the repo does not change the run.
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: temp.dir,
    env: {
      PATH: process.env.PATH ?? '',
      MEDIASOUP_WORKER_BIN,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: temp.dir,
      BACKUP_INTERVAL_HOURS: '0',
      MEDIA_WORKERS: '1',
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_PORT: String(testMediaPort()),
      NODE_ID: nodeId,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await end('SIGKILL');
      temp.remove();
      throw new Error(`node ${nodeId} did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    nodeId,
    baseUrl,
    pid: child.pid!,
    kill9: () => end('SIGKILL'),
    async stop() {
      await end('SIGTERM');
      temp.remove();
    },
  };
}
