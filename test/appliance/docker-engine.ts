import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Docker engine the appliance test talks to. */
export interface DockerEngine {
  /** Which daemon answered, for the test's log line. */
  readonly version: string;
  /** True when this test started dockerd (and stop() will stop it). */
  readonly startedHere: boolean;
  /** Stops dockerd if this test started it (bounded); otherwise does nothing. */
  stop(): Promise<void>;
}

/** The daemon's version, or null when none answers within a few seconds. */
async function daemonVersion(): Promise<string | null> {
  try {
    const { stdout } = await run('docker', ['version', '--format', '{{.Server.Version}}'], {
      timeout: 10_000,
    });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Uses the running Docker engine, or starts Debian's dockerd (root only) and waits for it, at
 * most `waitMs`. Only a daemon started here is ever stopped, by its own process id.
 */
export async function ensureDockerEngine(logDir: string, waitMs = 90_000): Promise<DockerEngine> {
  const running = await daemonVersion();
  if (running) return { version: running, startedHere: false, stop: async () => {} };

  const logFile = join(logDir, 'dockerd.log');
  const out = openSync(logFile, 'a');
  let daemon: ChildProcess;
  try {
    daemon = spawn('dockerd', [], { stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  daemon.once('error', () => {}); // "not found" shows up as an early exit below
  const deadline = Date.now() + waitMs;
  for (;;) {
    const version = await daemonVersion();
    if (version) {
      return {
        version,
        startedHere: true,
        async stop() {
          if (daemon.exitCode !== null || daemon.signalCode !== null) return;
          daemon.kill('SIGTERM');
          const stopped = await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), 30_000)),
          ]);
          if (!stopped) daemon.kill('SIGKILL');
        },
      };
    }
    const tail = (): string => readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    if (daemon.exitCode !== null) throw new Error(`dockerd exited (${daemon.exitCode}):\n${tail()}`);
    if (Date.now() > deadline) {
      daemon.kill('SIGTERM');
      throw new Error(`dockerd did not answer within ${waitMs} ms:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
