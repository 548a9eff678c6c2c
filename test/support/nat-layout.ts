import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A cloud VM behind its provider's NAT, stood in for with two network namespaces of the test's
 * own (root only), so nothing of the machine's own network configuration is touched:
 *
 *   client ns ("the internet")      router ns ("the provider's gateway")        this machine
 *   198.51.100.2 ──────────────── 198.51.100.1 | 10.x.y.2 ───────────────────── 10.x.y.1
 *                                  DNAT  PUBLIC_IP → PRIVATE_IP                 (PRIVATE_IP on its
 *                                  masquerade towards the machine                own interface)
 *
 * PUBLIC_IP is on no interface anywhere: exactly what coturn sees on such a VM. Everything the
 * client sends to PUBLIC_IP reaches PRIVATE_IP on this machine, as a provider's gateway forwards it:
 * the machine's own address for the appliance (where Docker publishes Caddy and the SFU, and coturn
 * listens), or by default 10.x.y.1, the link's own end on this machine, which nothing else uses.
 */
export interface NatLayout {
  readonly publicIp: string;
  readonly privateIp: string;
  readonly clientNamespace: string;
  /** A program that runs `/usr/bin/chromium` inside the client namespace (for playwright). */
  readonly chromiumInClient: string;
  /** Runs a program inside the client namespace; returns its output, throwing on failure. */
  inClient(command: string, args: readonly string[], timeoutMs?: number): string;
  /** Removes the namespaces and their links; idempotent. */
  remove(): void;
}

const sh = (command: string, args: readonly string[]): string =>
  execFileSync(command, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function createNatLayout(options: {
  publicIp: string;
  privateIp?: string;
  workDir: string;
}): NatLayout {
  const id = randomBytes(3).toString('hex');
  const client = `hvn-c-${id}`;
  const router = `hvn-r-${id}`;
  // A /30 for the router's link to this machine, away from Docker's 172.16/12 and common LANs.
  const [a, b] = [randomBytes(1)[0]! % 200, (randomBytes(1)[0]! % 63) * 4];
  const hostSide = `10.${200 + (a % 50)}.${b}.1`;
  const routerSide = `10.${200 + (a % 50)}.${b}.2`;
  const links = { toHost: [`hvh${id}`, `hvr${id}`], toClient: [`hvq${id}`, `hvc${id}`] } as const;
  const privateIp = options.privateIp ?? hostSide;
  let removed = false;

  const remove = (): void => {
    if (removed) return;
    removed = true;
    for (const ns of [client, router]) {
      try {
        sh('ip', ['netns', 'delete', ns]);
      } catch {
        // not created
      }
    }
    try {
      sh('ip', ['link', 'delete', links.toHost[0]]); // normally gone with the namespace
    } catch {
      // gone
    }
  };

  try {
    for (const ns of [client, router]) {
      sh('ip', ['netns', 'add', ns]);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    // this machine ↔ router
    sh('ip', ['link', 'add', links.toHost[0], 'type', 'veth', 'peer', 'name', links.toHost[1]]);
    sh('ip', ['link', 'set', links.toHost[1], 'netns', router]);
    sh('ip', ['addr', 'add', `${hostSide}/30`, 'dev', links.toHost[0]]);
    sh('ip', ['link', 'set', links.toHost[0], 'up']);
    sh('ip', ['-n', router, 'addr', 'add', `${routerSide}/30`, 'dev', links.toHost[1]]);
    sh('ip', ['-n', router, 'link', 'set', links.toHost[1], 'up']);
    sh('ip', ['-n', router, 'route', 'add', 'default', 'via', hostSide]);
    // router ↔ client
    sh('ip', [
      '-n',
      router,
      'link',
      'add',
      links.toClient[0],
      'type',
      'veth',
      'peer',
      'name',
      links.toClient[1],
    ]);
    sh('ip', ['-n', router, 'link', 'set', links.toClient[1], 'netns', client]);
    sh('ip', ['-n', router, 'addr', 'add', '198.51.100.1/24', 'dev', links.toClient[0]]);
    sh('ip', ['-n', router, 'link', 'set', links.toClient[0], 'up']);
    sh('ip', ['-n', client, 'addr', 'add', '198.51.100.2/24', 'dev', links.toClient[1]]);
    sh('ip', ['-n', client, 'link', 'set', links.toClient[1], 'up']);
    sh('ip', ['-n', client, 'route', 'add', 'default', 'via', '198.51.100.1']);
    // The gateway: forward, send PUBLIC_IP to PRIVATE_IP, and hide the client behind itself.
    sh('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const nat = ['netns', 'exec', router, 'iptables', '-t', 'nat', '-A'];
    sh('ip', [...nat, 'PREROUTING', '-d', options.publicIp, '-j', 'DNAT', '--to-destination', privateIp]);
    sh('ip', [...nat, 'POSTROUTING', '-o', links.toHost[1], '-j', 'MASQUERADE']);
  } catch (error) {
    remove();
    throw error;
  }

  const chromiumInClient = join(options.workDir, `chromium-in-${client}`);
  writeFileSync(chromiumInClient, `#!/bin/sh\nexec ip netns exec ${client} /usr/bin/chromium "$@"\n`, {
    mode: 0o755,
  });

  return {
    publicIp: options.publicIp,
    privateIp,
    clientNamespace: client,
    chromiumInClient,
    inClient(command, args, timeoutMs = 60_000) {
      return execFileSync('ip', ['netns', 'exec', client, command, ...args], {
        encoding: 'utf8',
        timeout: timeoutMs,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    remove,
  };
}
