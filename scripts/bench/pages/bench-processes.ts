// The processes `npm run bench:pages` measures: the built Haven (dist/, plain node, as `npm start`
// runs it) with the statement probe preloaded, seeded with the demo clinic through the real
// `seed-demo` command; and the bare express reference. Both on loopback, each in its own process.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { ProbeReply, ProbeRequest } from './probe-protocol';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
/** Compiled bench helpers live beside the build, so `require('sqlite3')` finds the repo's copy. */
const BENCH_DIST = join(DIST, 'bench');

/** A demo person as `npm run seed:demo` printed them. */
export interface DemoPerson {
  readonly roles: readonly string[];
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP key for staff (they sign in with a second factor). */
  readonly totpKey: string | null;
}

export interface BenchHaven {
  readonly url: string;
  readonly pid: number;
  readonly people: readonly DemoPerson[];
  /** Asks the statement probe inside Haven. */
  probe<T extends ProbeReply['type']>(
    request: ProbeRequest,
    reply: T,
  ): Promise<Extract<ProbeReply, { type: T }>>;
  stop(): Promise<void>;
}

export interface ReferenceServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Compiles the preload and the reference apps (TypeScript) to CommonJS for plain node. */
export async function compileBenchHelpers(): Promise<void> {
  if (!existsSync(join(DIST, 'server', 'main.js'))) {
    throw new Error('no dist/server/main.js: run `npm run build` first (npm run bench:pages does)');
  }
  await build({
    entryPoints: ['sql-probe.ts', 'bare-express.ts', 'stack-floor.ts'].map((f) => join(__dirname, f)),
    outdir: BENCH_DIST,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Parses the people and second-factor keys `seed-demo` prints (its only copy of the passwords). */
export function parseDemoPeople(output: string): DemoPerson[] {
  const keys = new Map<string, string>();
  for (const match of output.matchAll(/^\s+(\S+@\S+)\s+key\s+([A-Z2-7]+)\s*$/gm)) {
    keys.set(match[1]!, match[2]!);
  }
  const people: DemoPerson[] = [];
  for (const match of output.matchAll(/^\s+([a-z_+]+)\s+(\S+@\S+)\s+(\S+)\s*$/gm)) {
    const email = match[2]!;
    people.push({
      roles: match[1]!.split('+'),
      email,
      password: match[3]!,
      totpKey: keys.get(email) ?? null,
    });
  }
  if (people.length === 0) throw new Error(`seed-demo printed no people:\n${output}`);
  return people;
}

async function waitForHealth(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Haven exited with ${child.exitCode}:\n${stderr()}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Haven did not answer /healthz within 60 s:\n${stderr()}`);
}

/**
 * Starts the built Haven on a fresh data directory with the demo clinic. Production settings
 * (NODE_ENV=production, info logging to a discarded stdout), SQLite, one media worker on a random
 * port (pages do not use it), no scheduled backups (one could land in a measurement).
 */
export async function startBenchHaven(
  options: {
    readonly nodeArgs?: readonly string[];
    /** More settings (bench:scale: a PostgreSQL DATABASE_URL, shared secrets, NODE_ID). */
    readonly env?: Readonly<Record<string, string>>;
    /** The demo people seeded by another node on the same database: seed nothing, use these. */
    readonly people?: readonly DemoPerson[];
  } = {},
): Promise<BenchHaven> {
  const dataDir = mkdtempSync(join(tmpdir(), 'haven-bench-pages-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    BACKUP_INTERVAL_HOURS: '0',
    MEDIA_WORKERS: '1',
    MEDIA_PORT: String(22_000 + Math.floor(Math.random() * 10_000)),
    ...options.env,
  };
  // cwd is the data directory, so a developer's own .env in the repo does not change the run.
  const people =
    options.people ??
    parseDemoPeople(
      (
        await promisify(execFile)(process.execPath, [join(DIST, 'server', 'cli', 'seed-demo.js')], {
          cwd: dataDir,
          env,
        })
      ).stdout,
    );

  let errors = '';
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      '--require',
      join(BENCH_DIST, 'sql-probe.js'),
      join(DIST, 'server', 'main.js'),
    ],
    { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => errors);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    people,
    probe(request, type) {
      return new Promise((resolve, reject) => {
        const onMessage = (message: ProbeReply): void => {
          if (message.type !== type) return;
          child.off('message', onMessage);
          resolve(message as Extract<ProbeReply, { type: typeof type }>);
        };
        child.on('message', onMessage);
        if (!child.send(request)) reject(new Error('the statement probe is not listening'));
      });
    },
    stop,
  };
}

/**
 * Starts a reference app in its own process: the bare express "hello" (bare-express.ts) or the
 * stack's floor for a signed-in page (stack-floor.ts).
 */
export async function startReference(
  app: 'bare-express' | 'stack-floor' = 'bare-express',
): Promise<ReferenceServer> {
  const child = spawn(process.execPath, [join(BENCH_DIST, `${app}.js`)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the reference server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
