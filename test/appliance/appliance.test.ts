import '../support/media-worker';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/shared/paths';
import { framesDecoded, iceStats, recordPeerConnections, until } from '../support/ice-paths';
import { makeTempDir } from '../support/temp-dir';
import { ComposeProject, runQuietly, SERVICES, type Service } from './compose-project';
import { ensureDockerEngine, type DockerEngine } from './docker-engine';
import { HttpsSession } from './https-session';
import { acquireMachineLock } from './machine-lock';
import { createNatLayout, type NatLayout } from '../support/nat-layout';
import {
  appliancePrerequisites,
  demoPeople,
  prepareOperatorCheckout,
  setUpAsOperator,
  signInThroughForms,
  type DemoPerson,
} from './operator-checkout';

/** The address people reach the clinic at: on no interface of this machine (it sits behind NAT). */
const PUBLIC_IP = '203.0.113.10';
/** Below Linux's ephemeral ports and away from the default 40000 other tests start media on. */
const MEDIA_PORT = 21000;
const PROJECT = 'haven-appliance-test';
const ORIGIN = 'https://localhost';
/** Screenshots of the relay-only session, kept with the other CI artifacts. */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'appliance');

/**
 * `npm run test:appliance`: the Docker bundle built and started exactly as docs/operations.md tells
 * an operator (scripts/setup, then compose up), on a stand-in for a cloud VM behind NAT, with the
 * base images built from Debian and npm (scripts/offline-images) when Docker Hub is out of reach
 * and the offline-built mediasoup worker. Needs root (dockerd, network namespaces), Debian's
 * docker.io, docker-compose, debootstrap, coturn and chromium: `.ci/run` installs them.
 */
describe('appliance: the Docker bundle, built and started as docs/operations.md says', function () {
  this.timeout(90 * 60_000);
  const figures: string[] = [];
  const note = (line: string): void => {
    figures.push(line);
    process.stdout.write(`      ${line}\n`);
  };
  let temp: { dir: string; remove: () => void } | undefined;
  let releaseLock: (() => void) | undefined;
  let engine: DockerEngine | undefined;
  let nat: NatLayout | undefined;
  let compose: ComposeProject;
  let copyDir: string;
  let caRoot = '';
  let people = new Map<string, DemoPerson>();
  const startedAt = Date.now();

  /** Runs `work`; when it fails, the error carries the last log lines of the named services. */
  function withLogs<T>(services: readonly Service[], work: () => Promise<T>): Promise<T> {
    return compose ? compose.withLogs(services, work) : work();
  }

  before(async function () {
    const composeCommand = await appliancePrerequisites(this, 'the appliance test', [
      'docker',
      'ip',
      'iptables',
      'debootstrap',
      'turnutils_uclient',
      'chromium',
      'openssl',
    ]);
    temp = makeTempDir('haven-appliance-');
    // One appliance run per machine: it holds ports 80, 443, 3478 and 5349.
    releaseLock = await acquireMachineLock('haven-appliance-test', 45 * 60_000);
    engine = await ensureDockerEngine(temp.dir);
    note(
      `Docker engine ${engine.version}${engine.startedHere ? ' (started by this test)' : ''}; ${composeCommand.join(' ')}`,
    );

    // The operator's checkout: base images, the tree, what an air-gapped build supplies.
    copyDir = join(temp.dir, 'haven');
    const checkout = await prepareOperatorCheckout(copyDir, note);
    // scripts/setup as the docs say, for a VM whose public address is on its provider's gateway.
    const env = await setUpAsOperator(checkout, {
      project: PROJECT,
      flags: ['--public-ip', PUBLIC_IP, '--media-port', String(MEDIA_PORT), '--media-workers', '2'],
      // Every session through coturn: what this test proves.
      settings: ['MEDIA_ICE_TRANSPORT_POLICY=relay'],
    });
    assert.notEqual(env['PRIVATE_IP'], PUBLIC_IP, 'setup found this machine\u2019s own address');
    nat = createNatLayout({ publicIp: PUBLIC_IP, privateIp: env['PRIVATE_IP']!, workDir: temp.dir });

    compose = new ComposeProject(composeCommand, join(copyDir, 'docker'), PROJECT);
    await compose.run(['down', '-v', '--remove-orphans'], 120_000); // a previous run's leftovers

    let t = Date.now();
    await compose.must(['build'], 60 * 60_000);
    note(`image built in ${((Date.now() - t) / 1000).toFixed(0)} s`);

    t = Date.now();
    await withLogs(SERVICES, async () => {
      await compose.must(['up', '-d'], 10 * 60_000);
      note(`compose up -> all three healthy in ${(await compose.waitHealthy(5 * 60_000, t)).toFixed(1)} s`);
    });
    const root = await compose.exec('caddy', ['cat', '/data/caddy/pki/authorities/local/root.crt']);
    assert.equal(root.code, 0, root.out);
    caRoot = root.out;
  });

  after(async () => {
    if (compose) {
      const down = await compose.run(['down', '-v', '--remove-orphans'], 180_000);
      if (down.code !== 0) process.stderr.write(`compose down failed:\n${down.out}\n`);
    }
    nat?.remove();
    await engine?.stop();
    temp?.remove();
    releaseLock?.();
    if (figures.length) note(`appliance test took ${((Date.now() - startedAt) / 1000).toFixed(0)} s in all`);
  });

  it('serves /readyz and /setup over HTTPS through Caddy with its local CA, and TURN over TLS with the same certificate', async () => {
    await withLogs(['caddy', 'haven', 'coturn'], async () => {
      const web = new HttpsSession(ORIGIN, caRoot);
      const ready = await web.request('GET', '/readyz');
      assert.equal(ready.status, 200, ready.body);
      const body = JSON.parse(ready.body) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, 'ready');
      assert.deepEqual(body.checks, { database: 'ok', media: 'ok' });
      const setup = await web.request('GET', '/setup');
      assert.equal(setup.status, 200);
      assert.match(setup.body, /<title>Set up Haven/);

      // coturn found Caddy's certificate (local CA's folder, not Let's Encrypt's) and serves it.
      const served = await new Promise<X509Certificate>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: 5349, servername: 'localhost', ca: caRoot }, () => {
          const cert = socket.getPeerX509Certificate();
          socket.end();
          if (cert) resolve(cert);
          else reject(new Error('no certificate'));
        });
        socket.once('error', reject);
      });
      assert.match(served.subjectAltName ?? '', /DNS:localhost/);
      const caddyLeaf = await compose.exec('caddy', [
        'cat',
        '/data/caddy/certificates/local/localhost/localhost.crt',
      ]);
      assert.equal(served.fingerprint256, new X509Certificate(caddyLeaf.out).fingerprint256);
    });
  });

  it('gives a TURN credential that relays to the SFU at the public address from behind NAT, and nowhere private', async () => {
    await withLogs(['coturn', 'haven'], async () => {
      const seeded = await compose.exec('haven', ['docker/entrypoint.sh', 'seed-demo']);
      assert.equal(seeded.code, 0, seeded.out);
      assert.doesNotMatch(seeded.out, /media|worker|EADDRINUSE/i, 'operator commands start no media');
      people = demoPeople(seeded.out);
      const riley = people.get('riley.chen@demo.haven.test')!;
      const web = new HttpsSession(ORIGIN, caRoot);
      await web.signIn('riley.chen@demo.haven.test', riley.password);
      const csrf = await web.csrfOf('/check');
      const probe = await web.request('POST', '/check/probes', { json: { mode: 'relay' }, csrf });
      assert.equal(probe.status, 201, probe.body);
      const { id, iceServers } = JSON.parse(probe.body) as {
        id: string;
        iceServers: { urls: string[]; username: string; credential: string }[];
      };
      const turn = iceServers[0]!;
      assert.ok(turn.urls.includes('turn:localhost:3478?transport=udp'), JSON.stringify(turn.urls));

      // From "the internet": the client namespace reaches PUBLIC_IP through the NAT gateway.
      const relay = (peer: string): string => {
        try {
          return nat!.inClient(
            'turnutils_uclient',
            [
              '-u',
              turn.username,
              '-w',
              turn.credential,
              '-n',
              '5',
              '-m',
              '1',
              '-e',
              peer,
              '-r',
              String(MEDIA_PORT),
              PUBLIC_IP,
            ],
            60_000,
          );
        } catch (error) {
          const e = error as { stdout?: string; stderr?: string };
          return `${e.stdout ?? ''}${e.stderr ?? ''}`;
        }
      };
      const toSfu = relay(PUBLIC_IP);
      assert.doesNotMatch(toSfu, /403|Forbidden|Cannot complete Allocation/, toSfu);
      assert.match(toSfu, /tot_send_msgs=10/, `messages were relayed towards the SFU:\n${toSfu}`);
      const toLan = relay('192.168.1.1');
      assert.match(toLan, /403 \(Forbidden IP\)/, `a private peer must stay refused:\n${toLan}`);
      const coturnLog = await compose.logsOf(['coturn'], 400);
      assert.doesNotMatch(
        coturnLog,
        new RegExp(`peer IP ${env4(PUBLIC_IP)}|peer IP ${env4(nat!.privateIp)}`),
      );
      // Cleanup: the probe may already have closed itself (its lifetime is short, and the two relay
      // rounds from the client namespace can outlast it on a loaded machine).
      assert.ok([204, 404].includes((await web.request('DELETE', `/check/probes/${id}`, { csrf })).status));
    });
  });

  it('runs a relay-only session between two browsers behind NAT: both decode video, every path through coturn', async () => {
    assert.ok(people.size > 0, 'the demo clinic was seeded by the previous test');
    const browser: Browser = await chromium.launch({
      executablePath: nat!.chromiumInClient,
      headless: true,
      args: [
        '--no-sandbox',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
        '--disable-quic',
        // As if localhost were the clinic's public name: pages and TURN go to PUBLIC_IP.
        `--host-resolver-rules=MAP localhost ${PUBLIC_IP}`,
      ],
    });
    const problems: string[] = [];
    mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      await withLogs(['haven', 'coturn', 'caddy'], async () => {
        const pageFor = async (who: string): Promise<Page> => {
          // The certificate is Caddy's local CA's, checked above; the browser is told to accept it.
          const context = await browser.newContext({
            ignoreHTTPSErrors: true,
            viewport: { width: 390, height: 844 },
          });
          await recordPeerConnections(context);
          const page = await context.newPage();
          page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
          return page;
        };
        const signIn = (page: Page, email: string): Promise<void> =>
          signInThroughForms(page, ORIGIN, email, people.get(email)!);
        const therapist = await pageFor('therapist');
        await signIn(therapist, 'maya.rivera@demo.haven.test');
        await therapist.goto(`${ORIGIN}/clinical`);
        await therapist.getByRole('button', { name: 'Start a session with Riley Chen' }).click();
        await therapist.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
        const client = await pageFor('client');
        await signIn(client, 'riley.chen@demo.haven.test');
        await client.goto(therapist.url());
        const admit = therapist.getByRole('button', { name: 'Admit Riley Chen' });
        await admit.waitFor({ timeout: 60_000 });
        const clickedAt = Date.now();
        await admit.click();

        const joined: number[] = [];
        for (const [name, page] of [
          ['therapist', therapist],
          ['client', client],
        ] as const) {
          await until(
            `${name} decoding video`,
            () => iceStats(page),
            (r) => r.length >= 2 && r.every((p) => p.state === 'connected') && framesDecoded(r) > 0,
            90_000,
          );
          const shownAt = await page.evaluate(async () => {
            const room = (
              globalThis as unknown as {
                havenRoom: { stats(): Promise<{ firstRemoteFrameAt: number | null }> };
              }
            ).havenRoom;
            return (await room.stats()).firstRemoteFrameAt;
          });
          joined.push((shownAt ?? Date.now()) - clickedAt);
          const report = await iceStats(page);
          for (const p of report) {
            assert.equal(p.policy, 'relay', `${name}: the page asked for relay only`);
            // Every path is coturn's allocation (the candidate came from Haven's TURN server)...
            assert.match(
              p.localUrl ?? '',
              /^turns?:localhost:(3478|5349)\b/,
              `${name}: ${JSON.stringify(p)}`,
            );
            if (p.localType === 'relay') {
              // ...announced at the public address (external-ip PUBLIC/PRIVATE),
              assert.equal(p.localAddress, PUBLIC_IP, `${name}: ${JSON.stringify(p)}`);
            } else {
              // ...or the same allocation as the media server sees it: coturn relays from PRIVATE_IP,
              // the SFU's answer names that address, and the browser learns it as peer-reflexive.
              assert.equal(p.localType, 'prflx', `${name}: ${JSON.stringify(p)}`);
              assert.equal(p.localAddress, nat!.privateIp, `${name}: ${JSON.stringify(p)}`);
            }
            // It relays to the SFU as browsers know it: the public address, a media port.
            assert.equal(p.remoteAddress, PUBLIC_IP, `${name}: ${JSON.stringify(p)}`);
            assert.ok(
              [MEDIA_PORT, MEDIA_PORT + 1].includes(p.remotePort ?? 0),
              `${name}: ${JSON.stringify(p)}`,
            );
          }
          const before = framesDecoded(report);
          await until(
            `${name} decoding more frames`,
            () => iceStats(page),
            (r) => framesDecoded(r) > before + 10,
          );
          // For a person to look at (CI keeps test-results/): the room on a phone, through the relay.
          await page.screenshot({ path: join(SCREENSHOTS, `${name}-room-390.png`) });
        }
        note(
          `relay-only session behind NAT: Admit -> first remote frame: therapist ${joined[0]} ms, client ${joined[1]} ms`,
        );
        await therapist.getByRole('button', { name: 'Leave' }).click();
        await client.getByRole('button', { name: 'Leave' }).click();
      });
    } finally {
      await browser.close();
    }
    assert.deepEqual(problems, []);
  });

  it('keeps the data, the secrets and the certificate authority across down && up', async () => {
    const fingerprint = (pem: string): string => createHash('sha256').update(pem).digest('hex');
    const envBefore = readFileSync(join(copyDir, 'docker', '.env'), 'utf8');
    const auditBefore = await compose.exec('haven', ['docker/entrypoint.sh', 'audit-verify']);
    assert.equal(auditBefore.code, 0, auditBefore.out);
    const rowsBefore = Number(/(\d+) rows verified/.exec(auditBefore.out)?.[1]);

    await compose.must(['down'], 180_000);
    const t = Date.now();
    await withLogs(SERVICES, async () => {
      await compose.must(['up', '-d'], 10 * 60_000);
      note(
        `down && up -> all three healthy again in ${(await compose.waitHealthy(5 * 60_000, t)).toFixed(1)} s`,
      );
    });
    assert.equal(readFileSync(join(copyDir, 'docker', '.env'), 'utf8'), envBefore);
    const root = await compose.exec('caddy', ['cat', '/data/caddy/pki/authorities/local/root.crt']);
    assert.equal(fingerprint(root.out), fingerprint(caRoot), 'Caddy kept its local CA (caddy-data volume)');

    const auditAfter = await compose.exec('haven', ['docker/entrypoint.sh', 'audit-verify']);
    assert.equal(auditAfter.code, 0, auditAfter.out);
    assert.ok(Number(/(\d+) rows verified/.exec(auditAfter.out)?.[1]) >= rowsBefore, auditAfter.out);
    // The demo client signs in with the password printed before, and her messages, encrypted at
    // rest with FIELD_ENCRYPTION_KEY, read back: the database and the key both survived.
    const web = new HttpsSession(ORIGIN, caRoot);
    await web.signIn('riley.chen@demo.haven.test', people.get('riley.chen@demo.haven.test')!.password);
    const inbox = await web.request('GET', '/messages');
    assert.equal(inbox.status, 200);
    const thread = /href="(\/messages\/[0-9a-f-]{36})"/.exec(inbox.body)?.[1];
    assert.ok(thread, 'Riley has a conversation');
    const messages = await web.request('GET', thread);
    assert.match(messages.body, /breathing exercise we talked about/);
  });

  it('stops every service within 3 s of SIGTERM', async () => {
    for (const service of ['coturn', 'caddy', 'haven'] as const) {
      const id = await compose.containerId(service);
      assert.ok(id, `${service} is running`);
      const t = Date.now();
      const stopped = await runQuietly('docker', ['stop', '-t', '10', id], { timeoutMs: 30_000 });
      const ms = Date.now() - t;
      assert.equal(stopped.code, 0, stopped.out);
      const exit = (await runQuietly('docker', ['inspect', '-f', '{{.State.ExitCode}}', id])).out.trim();
      note(`${service} stopped ${ms} ms after SIGTERM (exit ${exit})`);
      assert.ok(ms < 3000, `${service} took ${ms} ms to stop\n${await compose.logsOf([service], 20)}`);
      assert.notEqual(exit, '137', `${service} was killed, not stopped`);
    }
  });
});

/** An IPv4 address as a regular expression matching it literally. */
function env4(ip: string): string {
  return ip.replaceAll('.', '\\.');
}
