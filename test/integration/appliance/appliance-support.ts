import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/shared/paths';

/** The appliance files under test. */
export const DOCKER_DIR = join(PROJECT_ROOT, 'docker');

/** Full path of a program on PATH, or undefined (the appliance tests skip, saying which is missing). */
export function findBinary(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Skips the calling suite with a visible reason when a Debian binary is missing (the only reason
 * these tests may skip). `.ci/run` installs them: docker-compose, caddy, coturn.
 */
export function requireBinaries(ctx: Mocha.Context, names: readonly string[], apt: string): void {
  const missing = names.filter((n) => findBinary(n) === undefined);
  if (missing.length > 0) {
    process.stderr.write(
      `      SKIPPED: ${missing.join(', ')} not installed (apt-get install ${apt}); .ci/run installs it\n`,
    );
    ctx.skip();
  }
}

/** A TCP port that was free a moment ago on the given loopback address. */

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, host);
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Makes sure dist/ holds a compiled copy of each given server file that is not older than its
 * TypeScript source (the CLIs and the entrypoint run the compiled code, as in the image).
 * `npm test` builds first, so this normally does nothing.
 */
export async function ensureBuilt(serverFiles: readonly string[]): Promise<void> {
  const stale = serverFiles.some((file) => {
    const source = join(PROJECT_ROOT, `${file}.ts`);
    const built = join(PROJECT_ROOT, 'dist', `${file}.js`);
    return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
  });
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, timeout: 300_000 });
}
