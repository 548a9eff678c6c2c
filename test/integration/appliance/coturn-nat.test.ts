import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { relayLossPercent } from '../../support/coturn';
import { createNatLayout, type NatLayout } from '../../support/nat-layout';
import { makeTempDir } from '../../support/temp-dir';
import { freePort } from '../../support/free-port';
import { DOCKER_DIR, requireBinaries, waitForTcp } from './appliance-support';

/** Where people reach the clinic: on no interface of this machine, as on a cloud VM behind NAT. */
const PUBLIC_IP = '203.0.113.10';

/** A turnserver started for one case, with what it logged. */
interface RunningTurn {
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * coturn on a VM behind its provider's NAT, the layout of every cloud VM: the public address is on
 * the provider's gateway, the VM only has a private one. Two network namespaces of the test's own
 * stand in for "the internet" (the client) and the gateway (DNAT PUBLIC_IP → PRIVATE_IP); coturn
 * and a stand-in SFU listen on PRIVATE_IP, the gateway's link on this machine. The client, like a
 * browser, asks the relay for the SFU at the address it knows: PUBLIC_IP.
 *
 * The first case starts turnserver with the flags compose used to pass (--external-ip=PUBLIC_IP
 * --allowed-peer-ip=PUBLIC_IP) and shows the defect (403): coturn maps a peer equal to its external
 * IP to its own relay address before checking allowed-peer-ip. The others run docker/coturn/start.sh
 * itself, which passes --external-ip=PUBLIC/PRIVATE and allows PRIVATE_IP.
 */
describe('appliance: coturn behind NAT (network namespaces: the internet, a DNAT gateway, this VM)', function () {
  this.timeout(120_000);
  const secret = randomBytes(32).toString('base64url');
  let temp: { dir: string; remove: () => void } | undefined;
  let nat: NatLayout | undefined;
  let peer: ChildProcess | undefined;
  let policy = '';
  let turnPort = 0;
  let sfuPort = 0;

  before(async function () {
    if (process.getuid?.() !== 0) {
      process.stderr.write('      SKIPPED: network namespaces need root (.ci/run runs as root)\n');
      this.skip();
    }
    requireBinaries(this, ['turnserver', 'turnutils_uclient', 'turnutils_peer', 'ip', 'iptables'], 'coturn');
    temp = makeTempDir('haven-turn-nat-');
    nat = createNatLayout({ publicIp: PUBLIC_IP, workDir: temp.dir });
    turnPort = await freePort(nat.privateIp);
    sfuPort = await freePort(nat.privateIp);
    // Our policy file, on ports of this run's own (the real ones may be in use on this machine).
    const relayBase = 50000 + Math.floor(Math.random() * 10000);
    policy = join(temp.dir, 'turnserver.conf');
    writeFileSync(
      policy,
      readFileSync(join(DOCKER_DIR, 'coturn', 'turnserver.conf'), 'utf8')
        .replace(/^listening-port=.*$/m, `listening-port=${turnPort}`)
        .replace(/^tls-listening-port=.*$/m, `tls-listening-port=${await freePort(nat.privateIp)}`)
        .replace(/^min-port=.*$/m, `min-port=${relayBase}`)
        .replace(/^max-port=.*$/m, `max-port=${relayBase + 100}`),
    );
    peer = spawn('turnutils_peer', ['-L', nat.privateIp, '-p', String(sfuPort)], { stdio: 'ignore' });
  });

  after(() => {
    peer?.kill('SIGTERM');
    nat?.remove();
    temp?.remove();
  });

  /** Starts `command` and waits until it listens on PRIVATE_IP; stop() ends it and waits. */
  async function startTurn(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunningTurn> {
    let log = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    try {
      await waitForTcp(nat!.privateIp, turnPort, 15_000);
    } catch (error) {
      await stop();
      throw new Error(`turnserver did not start: ${String(error)}\n${log}`);
    }
    return { log: () => log, stop };
  }

  /** Runs turnutils_uclient (-v: it prints its relay address) in the client namespace against PUBLIC_IP, naming `target` as peer. */
  function relayFromInternet(target: string): string {
    try {
      return nat!.inClient('turnutils_uclient', [
        ...['-p', String(turnPort), '-r', String(sfuPort), '-n', '10', '-m', '1'],
        ...['-v', '-W', secret, '-e', target, PUBLIC_IP],
      ]);
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
  }

  it('is refused (403) with the flags compose used to pass: --external-ip=PUBLIC_IP, allowed peer PUBLIC_IP', async () => {
    const conf = join(temp!.dir, 'old.conf');
    writeFileSync(conf, `${readFileSync(policy, 'utf8')}\nstatic-auth-secret=${secret}\n`);
    const turn = await startTurn(
      'turnserver',
      [
        ...['-c', conf, '--realm=haven.test', `--userdb=${join(temp!.dir, 'old.db')}`],
        ...[`--listening-ip=${nat!.privateIp}`, `--relay-ip=${nat!.privateIp}`],
        ...[`--external-ip=${PUBLIC_IP}`, `--allowed-peer-ip=${PUBLIC_IP}`],
      ],
      process.env,
    );
    try {
      const out = relayFromInternet(PUBLIC_IP);
      assert.doesNotMatch(out, /tot_recv_msgs=[1-9]/, `relayed after all:\n${out}`);
      assert.match(out, /403/, `${out}\n--- turnserver:\n${turn.log()}`);
    } finally {
      await turn.stop();
    }
  });

  describe('docker/coturn/start.sh, as compose runs it', () => {
    let turn: RunningTurn | undefined;
    before(async () => {
      const work = join(temp!.dir, 'start');
      mkdirSync(join(work, 'certificates'), { recursive: true });
      turn = await startTurn('sh', [join(DOCKER_DIR, 'coturn', 'start.sh')], {
        PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        DOMAIN: 'haven.test',
        PUBLIC_IP,
        PRIVATE_IP: nat!.privateIp,
        TURN_SECRET: secret,
        TURN_POLICY_FILE: policy,
        TURN_WORK_DIR: join(work, 'run'),
        TURN_CERT_ROOT: join(work, 'certificates'),
        TURN_TLS_WAIT_SECONDS: '0',
        // The test's own user: nothing here needs the privilege drop the container does.
        TURN_PROC_USER: userInfo().username,
      });
    });
    after(async () => {
      await turn?.stop();
    });

    it('relays from the internet to the SFU at its public address, with 0 loss, announcing the public relay address', () => {
      const out = relayFromInternet(PUBLIC_IP);
      assert.equal(relayLossPercent(out), 0, `${out}\n--- turnserver:\n${turn!.log()}`);
      assert.match(out, /tot_recv_msgs=[1-9]/, out);
      // Browsers are told the relay is at PUBLIC_IP (what the gateway forwards), never PRIVATE_IP.
      assert.match(out, new RegExp(`Received relay addr: ${PUBLIC_IP.replaceAll('.', '\\.')}:\\d+`), out);
    });

    it('still refuses a private peer (the LAN behind the gateway) and the private address of another host', () => {
      for (const target of ['192.168.1.1', '10.0.0.1']) {
        const out = relayFromInternet(target);
        assert.doesNotMatch(out, /tot_recv_msgs=[1-9]/, `relayed to ${target}:\n${out}`);
        assert.match(out, /403/, `${target}: ${out}`);
      }
    });
  });
});
