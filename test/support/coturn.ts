import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCKER_DIR, waitForTcp } from '../integration/appliance/appliance-support';
import { freePort } from './free-port';
import { makeTempDir } from './temp-dir';

const run = promisify(execFile);

/** Debian's turnserver on loopback with Haven's policy file, as the appliance test starts it. */
export interface LoopbackCoturn {
  readonly port: number;
  /** The stand-in SFU (turnutils_peer echoing UDP), the only loopback peer the relay may reach. */
  readonly sfu: string;
  readonly sfuPort: number;
  log(): string;
  /**
   * Runs turnutils_uclient against this relay (20 messages to the stand-in SFU's port) with the
   * extra arguments given; returns its whole output, also when it fails.
   */
  uclient(args: readonly string[]): Promise<string>;
  /** A relayed round to the stand-in SFU with this credential; returns uclient's whole output. */
  relay(username: string, password: string): Promise<string>;
  stop(): void;
}

/**
 * Starts turnserver with docker/coturn/turnserver.conf unchanged, plus loopback-only listening and
 * the per-install values compose passes (the secret, realm). allow-loopback-peers is added only so
 * the stand-in SFU on 127.0.0.2 can exist; it is the one allowed-peer-ip. `ipv6` also listens and
 * relays on ::1 (to prove the IPv6 spellings of loopback are denied); `verbose` logs every request.
 */
export async function startLoopbackCoturn(
  secret: string,
  options: { ipv6?: boolean; verbose?: boolean } = {},
): Promise<LoopbackCoturn> {
  const temp = makeTempDir('haven-turn-');
  const sfu = '127.0.0.2';
  const port = await freePort();
  const sfuPort = await freePort(sfu);
  const relayBase = 50000 + Math.floor(Math.random() * 10000);
  const conf = readFileSync(join(DOCKER_DIR, 'coturn', 'turnserver.conf'), 'utf8').replace(
    /^(log-file|simple-log).*$/gm,
    '',
  );
  const file = join(temp.dir, 'turnserver.conf');
  writeFileSync(
    file,
    `${conf}\n${[
      'listening-ip=127.0.0.1',
      'relay-ip=127.0.0.1',
      ...(options.ipv6 ? ['listening-ip=::1', 'relay-ip=::1'] : []),
      `listening-port=${port}`,
      'no-tls',
      'no-dtls',
      `min-port=${relayBase}`,
      `max-port=${relayBase + 200}`,
      'allow-loopback-peers',
      `allowed-peer-ip=${sfu}`,
      `static-auth-secret=${secret}`,
      'realm=haven.test',
      `userdb=${join(temp.dir, 'turndb')}`,
      `pidfile=${join(temp.dir, 'turnserver.pid')}`,
      'log-file=stdout',
      ...(options.verbose ? ['verbose'] : []),
    ].join('\n')}\n`,
  );
  let log = '';
  const turn: ChildProcess = spawn('turnserver', ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  turn.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  turn.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const peer = spawn('turnutils_peer', ['-L', sfu, '-p', String(sfuPort)], { stdio: 'ignore' });
  const stop = (): void => {
    turn.kill('SIGTERM');
    peer.kill('SIGTERM');
    temp.remove();
  };
  try {
    await waitForTcp('127.0.0.1', port, 10_000);
  } catch (error) {
    stop();
    throw new Error(`turnserver did not start: ${String(error)}\n${log}`);
  }
  async function uclient(args: readonly string[]): Promise<string> {
    const base = ['-p', String(port), '-r', String(sfuPort), '-n', '20', '-m', '1'];
    try {
      const { stdout, stderr } = await run('turnutils_uclient', [...base, ...args], { timeout: 30_000 });
      return stdout + stderr;
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
  }
  return {
    port,
    sfu,
    sfuPort,
    log: () => log,
    uclient,
    relay: (username, password) => uclient(['-u', username, '-w', password, '-e', sfu, '127.0.0.1']),
    stop,
  };
}

/** The loss turnutils_uclient reports after a relayed round, or undefined when none happened. */
export function relayLossPercent(output: string): number | undefined {
  const match = /Total lost packets \d+ \(([\d.]+)%\)/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
