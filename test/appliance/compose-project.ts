import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a command printed and how it ended. */
export interface Outcome {
  readonly code: number;
  readonly out: string;
}

/** Runs a program, never throwing: a failure is an outcome with its output. */
export async function runQuietly(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}` || (e.message ?? ''),
    };
  }
}

/**
 * Docker's Compose plugin (`docker compose`, v2) when installed, else Debian's `docker-compose` (v1).
 * Generous timeouts: compose v1 is a Python program that took over 15 s to print its version on a
 * loaded CI machine.
 */
export async function findCompose(): Promise<readonly string[] | null> {
  if ((await runQuietly('docker', ['compose', 'version'], { timeoutMs: 120_000 })).code === 0)
    return ['docker', 'compose'];
  if ((await runQuietly('docker-compose', ['version'], { timeoutMs: 120_000 })).code === 0)
    return ['docker-compose'];
  return null;
}

/**
 * The environment of an operator's shell: compose reads `${VAR}` from the shell before docker/.env,
 * so the test process's own settings (mocha's LOG_LEVEL=silent, say) must not reach it.
 */
export function operatorShellEnv(): NodeJS.ProcessEnv {
  const kept = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'DOCKER_HOST', 'DOCKER_CONFIG'];
  return Object.fromEntries(kept.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** docker/compose.yaml's services (one machine). */
export type Service = 'haven' | 'caddy' | 'coturn';
export const SERVICES: readonly Service[] = ['haven', 'caddy', 'coturn'];

/** Which compose file of docker/ and the services it runs (all with a healthcheck). */
export interface ComposeFile<S extends string> {
  /** The file's name in docker/ (`-f`); compose's default, compose.yaml, when absent. */
  readonly file?: string;
  readonly services: readonly S[];
}

/**
 * One compose project of the appliance, run the way docs/operations.md says (from the docker/
 * folder, reading its .env), under a project name of its own so it never touches a real install.
 */
export class ComposeProject<S extends string = Service> {
  readonly #compose: readonly string[];
  readonly #dir: string;
  readonly #name: string;
  readonly #file: string | undefined;
  readonly #services: readonly S[];

  constructor(
    compose: readonly string[],
    dockerDir: string,
    projectName: string,
    bundle: ComposeFile<S> = { services: SERVICES as readonly string[] as readonly S[] },
  ) {
    this.#compose = compose;
    this.#dir = dockerDir;
    this.#name = projectName;
    this.#file = bundle.file;
    this.#services = bundle.services;
  }

  get spelling(): string {
    return this.#compose.join(' ');
  }

  get services(): readonly S[] {
    return this.#services;
  }

  /** `compose [-f file] <args>` in the docker/ folder, from an operator's shell environment. */
  run(
    args: readonly string[],
    timeoutMs = 300_000,
    env: NodeJS.ProcessEnv = operatorShellEnv(),
  ): Promise<Outcome> {
    const [command, ...base] = this.#compose;
    const file = this.#file ? ['-f', this.#file] : [];
    return runQuietly(command!, [...base, ...file, '-p', this.#name, ...args], {
      cwd: this.#dir,
      env,
      timeoutMs,
    });
  }

  /** Like run, but a non-zero exit is an error carrying the output. */
  async must(args: readonly string[], timeoutMs?: number, env?: NodeJS.ProcessEnv): Promise<string> {
    const result = await this.run(args, timeoutMs, env);
    if (result.code !== 0)
      throw new Error(`${this.spelling} ${args.join(' ')} failed (${result.code}):\n${result.out}`);
    return result.out;
  }

  async containerId(service: S): Promise<string | null> {
    const result = await this.run(['ps', '-q', service], 30_000);
    return result.code === 0 ? result.out.trim().split('\n')[0] || null : null;
  }

  /** `healthy`, `starting`, `unhealthy`, or the container's state when it has no healthcheck. */
  async health(service: S): Promise<string> {
    const id = await this.containerId(service);
    if (!id) return 'absent';
    const result = await runQuietly('docker', [
      'inspect',
      '-f',
      '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}',
      id,
    ]);
    return result.out.trim();
  }

  /** Resolves with seconds waited once every service is healthy; rejects naming the laggards. */
  async waitHealthy(timeoutMs: number, since = Date.now()): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.#services.map(async (s) => [s, await this.health(s)] as const));
      if (states.every(([, state]) => state === 'healthy')) return (Date.now() - since) / 1000;
      const bad = states.filter(([, state]) => state === 'unhealthy' || state === 'exited');
      if (bad.length > 0 || Date.now() > deadline) {
        throw new Error(
          `not healthy: ${states.map(([s, state]) => `${s}=${state}`).join(', ')}\n` +
            (await this.logsOf(states.filter(([, state]) => state !== 'healthy').map(([s]) => s))),
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The last lines each service logged, headed by its name: what a failing test shows. */
  async logsOf(services: readonly S[], lines = 40): Promise<string> {
    const parts: string[] = [];
    for (const service of services) {
      const result = await this.run(['logs', '--no-color', '--tail', String(lines), service], 60_000);
      parts.push(`--- last ${lines} lines of ${service}:\n${result.out.trim()}`);
    }
    return parts.join('\n');
  }

  /** Runs `work`; when it fails, the error carries the last log lines of the named services. */
  async withLogs<T>(services: readonly S[], work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const logs = await this.logsOf(services).catch(() => '');
      if (error instanceof Error) error.message += `\n${logs}`;
      throw error;
    }
  }

  /**
   * What of this project is still on the engine: containers, networks and named volumes, by the
   * label compose puts on each (`kind name` lines; none after a clean `down -v`).
   */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.#name}`;
    const found: string[] = [];
    for (const [kind, args] of [
      ['container', ['ps', '-a', '--filter', label, '--format', '{{.Names}}']],
      ['network', ['network', 'ls', '--filter', label, '--format', '{{.Name}}']],
      ['volume', ['volume', 'ls', '--filter', label, '--format', '{{.Name}}']],
    ] as const) {
      const listed = await runQuietly('docker', args, { timeoutMs: 60_000 });
      if (listed.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${listed.out}`);
      for (const name of listed.out.split('\n').filter(Boolean)) found.push(`${kind} ${name}`);
    }
    return found;
  }

  /** A command inside a running service's container (no TTY), e.g. an operator CLI. */
  exec(service: S, command: readonly string[], timeoutMs = 120_000): Promise<Outcome> {
    return this.run(['exec', '-T', service, ...command], timeoutMs);
  }
}
