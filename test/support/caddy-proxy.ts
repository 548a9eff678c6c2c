import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { makeTempDir } from './temp-dir';

export const CADDY = '/usr/bin/caddy';

/** Debian's caddy as the clinic's proxy in front of several nodes, on loopback, plain HTTP. */
export interface CaddyProxy {
  /** `http://127.0.0.1:<port>`: every node's PUBLIC_URL. */
  readonly url: string;
  /** Points the proxy at the nodes (ids and loopback base URLs) and waits until it answers. */
  route(nodes: readonly { id: string; baseUrl: string }[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reserves the proxy's address first (the nodes need it as PUBLIC_URL before they start), then
 * `route()` writes the Caddyfile Haven documents for several nodes — `/node/<id>/…` to that node,
 * with the prefix stripped, everything else to any live node — and starts caddy with it.
 */
export async function reserveCaddyProxy(): Promise<CaddyProxy> {
  if (!existsSync(CADDY)) throw new Error(`${CADDY} is missing: apt-get install caddy`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const temp = makeTempDir('haven-caddy-');
  let child: ChildProcess | null = null;
  let output = '';
  return {
    url,
    async route(nodes) {
      const upstream = (base: string) => new URL(base).host;
      const lines = [
        '{',
        '  admin off',
        '  auto_https off',
        '}',
        `http://127.0.0.1:${port} {`,
        ...nodes.flatMap((n) => [
          `  handle_path /node/${n.id}/* {`,
          `    reverse_proxy ${upstream(n.baseUrl)}`,
          '  }',
        ]),
        // A dead node refuses the connection: try another one at once (and skip it for a while),
        // as docker/Caddyfile.scale does, so a page that asks any node reaches a live one.
        `  reverse_proxy ${nodes.map((n) => upstream(n.baseUrl)).join(' ')} {`,
        '    lb_try_duration 3s',
        '    fail_duration 10s',
        '  }',
        '}',
        '',
      ];
      const file = join(temp.dir, 'Caddyfile');
      writeFileSync(file, lines.join('\n'));
      child = spawn(CADDY, ['run', '--config', file, '--adapter', 'caddyfile'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: temp.dir,
          XDG_DATA_HOME: temp.dir,
          XDG_CONFIG_HOME: temp.dir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`${url}/readyz`).then(
          (r) => r.status > 0,
          () => false,
        );
        if (up) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`caddy did not start:\n${output}`);
    },
    async stop() {
      const running = child;
      child = null;
      if (running && running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await exited;
      }
      temp.remove();
    },
  };
}
