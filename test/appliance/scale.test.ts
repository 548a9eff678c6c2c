import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Ack, JoinResult } from '../../server/protocol';
import { PROJECT_ROOT } from '../../server/shared/paths';
import { launchChromium } from '../support/browser';
import { makeTempDir } from '../support/temp-dir';
import { ComposeProject, runQuietly } from './compose-project';
import { ensureDockerEngine, type DockerEngine } from './docker-engine';
import { HttpsSession } from './https-session';
import { acquireMachineLock } from './machine-lock';
import {
  APPLIANCE_IMAGE,
  appliancePrerequisites,
  demoPeople,
  prepareOperatorCheckout,
  setUpAsOperator,
  signInThroughForms,
  type DemoPerson,
} from './operator-checkout';

const PROJECT = 'haven-scale-test';
const ORIGIN = 'https://localhost';
/** Node 1's media ports (node 2's are 100 above, as scripts/setup writes them): away from 40000. */
const MEDIA_PORT = 21200;
const SCALE_SERVICES = ['postgres', 'haven-1', 'haven-2', 'caddy', 'coturn'] as const;
type ScaleService = (typeof SCALE_SERVICES)[number];
type NodeId = 'haven-1' | 'haven-2';
const NODES: readonly NodeId[] = ['haven-1', 'haven-2'];
/** Screenshots of the Nodes page from the run, with the appliance test's. */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'appliance');

/** What the Nodes page says of each node, and which node served it. */
interface NodesPage {
  readonly status: number;
  readonly answering: Readonly<Record<string, boolean>>;
  readonly servedBy: string | null;
  readonly liveOfTotal: string;
}

/** Loads Admin → Nodes (`navigate` false: reloads it) and reads it as a person would. */
async function readNodesPage(page: Page, navigate: boolean): Promise<NodesPage> {
  const response = navigate ? await page.goto(`${ORIGIN}/admin/nodes`) : await page.reload();
  const status = response?.status() ?? 0;
  if (status !== 200) return { status, answering: {}, servedBy: null, liveOfTotal: '' };
  const answering: Record<string, boolean> = {};
  let servedBy: string | null = null;
  for (const item of await page.locator('li[data-node]').all()) {
    const id = (await item.getAttribute('data-node'))!;
    answering[id] = (await item.locator('.node-state').textContent())?.trim() === 'Answering';
    if ((await item.locator('.card-title em').count()) > 0) servedBy = id;
  }
  const liveOfTotal = (await page.locator('[data-nodes-answering]').textContent())?.trim() ?? '';
  return { status, answering, servedBy, liveOfTotal };
}

/** A socket.io client of the signed-in `web` person at `path` through the proxy (CA-checked). */
function socketAt(web: HttpsSession, caRoot: string, path: string): Socket {
  return io(ORIGIN, {
    path,
    ca: caRoot,
    // As the room page's own socket: same origin (the server refuses any other), the person's cookie.
    extraHeaders: { origin: ORIGIN, cookie: web.cookieHeader },
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
}

/**
 * Connects (the engine.io handshake through Caddy, then the upgrade to a WebSocket) and asks to join
 * the room; closes the socket. Bounded: a handshake that never ends fails the test, not hangs it.
 */
async function joinThrough(socket: Socket, roomId: string): Promise<Ack<JoinResult>> {
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`socket at ${socket.io.opts.path}: no handshake in 30 s`)),
        30_000,
      );
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (e) => {
        clearTimeout(timer);
        reject(new Error(`socket at ${socket.io.opts.path}: ${e.message}`));
      });
    });
    return (await socket.timeout(20_000).emitWithAck('room:join', { roomId })) as Ack<JoinResult>;
  } finally {
    socket.close();
  }
}

/**
 * `npm run test:appliance`: docker/compose.scale.yaml started as docs/operations.md ("More than one
 * machine", "With Docker") tells an operator — scripts/setup, then compose up — on the images the
 * appliance test uses (same tag: built once, the second build is the layer cache), and checked from
 * outside through Caddy's HTTPS: both nodes answering on Admin → Nodes, pages served by both, a room's
 * /node/<id>/socket.io reaching that node, and a killed node shown dead within NODE_DEAD_AFTER_SECONDS
 * while the other goes on serving. Torn down to nothing at the end, failed or not.
 */
describe('appliance: the several-node bundle (compose.scale.yaml) started as docs/operations.md says', function () {
  this.timeout(90 * 60_000);
  const note = (line: string): void => {
    process.stdout.write(`      ${line}\n`);
  };
  let temp: { dir: string; remove: () => void } | undefined;
  let releaseLock: (() => void) | undefined;
  let engine: DockerEngine | undefined;
  let compose: ComposeProject<ScaleService> | undefined;
  let volumesBefore = new Set<string>();
  let browser: Browser | undefined;
  let adminPage: Page;
  let caRoot = '';
  let env: Record<string, string> = {};
  let people = new Map<string, DemoPerson>();
  let roomNode: NodeId;
  let startedAt = Date.now();

  const project = (): ComposeProject<ScaleService> => compose!;
  const person = (email: string): DemoPerson => {
    const found = people.get(email);
    assert.ok(found, `${email} is one of the demo people`);
    return found;
  };
  const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);

  before(async function () {
    startedAt = Date.now(); // not at load: after the appliance test, when mocha runs both
    const composeCommand = await appliancePrerequisites(this, 'the scale bundle test', [
      'docker',
      'debootstrap',
      'chromium',
    ]);
    temp = makeTempDir('haven-scale-');
    // The appliance tests share ports 80, 443, 3478 and 5349 and the image: one at a time.
    releaseLock = await acquireMachineLock('haven-appliance-test', 45 * 60_000);
    engine = await ensureDockerEngine(temp.dir);
    note(`Docker engine ${engine.version}${engine.startedHere ? ' (started by this test)' : ''}`);

    const copyDir = join(temp.dir, 'haven');
    // scripts/setup as the docs say: it writes POSTGRES_PASSWORD and both nodes' media ports.
    env = await setUpAsOperator(await prepareOperatorCheckout(copyDir, note), {
      project: PROJECT,
      flags: ['--media-port', String(MEDIA_PORT), '--media-workers', '1'],
    });
    assert.equal(env['MEDIA_PORT_2'], String(MEDIA_PORT + 100), 'setup gave the second node its ports');

    compose = new ComposeProject(composeCommand, join(copyDir, 'docker'), PROJECT, {
      file: 'compose.scale.yaml',
      services: SCALE_SERVICES,
    });
    await compose.run(['down', '-v', '--remove-orphans'], 120_000); // a previous run's leftovers
    volumesBefore = await dockerVolumes();

    // Both nodes run one image; building it for one builds it for both.
    let t = Date.now();
    await compose.must(['build', 'haven-1'], 60 * 60_000);
    note(`image ${APPLIANCE_IMAGE} built in ${seconds(t)} s`);

    t = Date.now();
    await compose.withLogs(SCALE_SERVICES, async () => {
      await project().must(['up', '-d'], 10 * 60_000);
      note(`compose up -> all five healthy in ${(await project().waitHealthy(6 * 60_000, t)).toFixed(1)} s`);
    });
    const root = await compose.exec('caddy', ['cat', '/data/caddy/pki/authorities/local/root.crt']);
    assert.equal(root.code, 0, root.out);
    caRoot = root.out;
    // A fresh clinic offers /setup (the first administrator), as on one machine.
    const fresh = await new HttpsSession(ORIGIN, caRoot).request('GET', '/setup');
    assert.equal(fresh.status, 200);
    assert.match(fresh.body, /<title>Set up Haven/);
    const seeded = await compose.exec('haven-1', ['docker/entrypoint.sh', 'seed-demo']);
    assert.equal(seeded.code, 0, seeded.out);
    people = demoPeople(seeded.out);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async function () {
    this.timeout(10 * 60_000);
    await browser?.close().catch(() => undefined);
    const problems: string[] = [];
    if (compose) {
      const down = await compose.run(['down', '-v', '--remove-orphans'], 300_000);
      if (down.code !== 0) problems.push(`compose down failed:\n${down.out}`);
      problems.push(...(await compose.leftovers()));
      // Anonymous volumes (the image's /backups) carry no project label: compare with before.
      for (const volume of await dockerVolumes())
        if (!volumesBefore.has(volume)) problems.push(`volume ${volume}`);
    }
    await engine?.stop();
    temp?.remove();
    releaseLock?.();
    note(`scale bundle test took ${seconds(startedAt)} s in all`);
    assert.deepEqual(problems, [], 'compose down -v leaves nothing behind');
  });

  it('has both nodes in the registry and answering on Admin → Nodes (signed in through the forms over HTTPS), pages served by both', async () => {
    await project().withLogs(['haven-1', 'haven-2', 'caddy'], async () => {
      const web = new HttpsSession(ORIGIN, caRoot);
      const ready = await web.request('GET', '/readyz');
      assert.equal(ready.status, 200, ready.body);

      browser = await launchChromium();
      // Caddy's local CA, checked above by the HTTPS client, is not in Chromium's store.
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 1280, height: 900 },
      });
      adminPage = await context.newPage();
      await signInThroughForms(adminPage, ORIGIN, 'admin@demo.haven.test', person('admin@demo.haven.test'));
      await adminPage.goto(`${ORIGIN}/admin`);
      await adminPage
        .getByRole('navigation', { name: 'Admin console' })
        .getByRole('link', { name: 'Nodes' })
        .click();
      await adminPage.waitForURL(`${ORIGIN}/admin/nodes`);
      let seen = await readNodesPage(adminPage, false);
      assert.deepEqual(seen.answering, { 'haven-1': true, 'haven-2': true }, JSON.stringify(seen));
      assert.equal(seen.liveOfTotal, '2 of 2');

      // Caddy balances pages over both nodes: each marks the copy it served ("served this page").
      const servedBy = new Set<string>();
      let loads = 0;
      while (servedBy.size < NODES.length && loads < 40) {
        seen = await readNodesPage(adminPage, false);
        loads += 1;
        assert.equal(seen.status, 200);
        if (seen.servedBy) servedBy.add(seen.servedBy);
      }
      assert.deepEqual([...servedBy].sort(), [...NODES], `${loads} loads of the Nodes page`);
      note(`Nodes page: both nodes answering; both served it within ${loads} loads through Caddy`);
      for (const width of [1280, 390]) {
        await adminPage.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await adminPage.screenshot({ path: join(SCREENSHOTS, `scale-nodes-${width}.png`), fullPage: true });
      }
    });
  });

  it("reaches a room's node through the proxy at /node/<id>/socket.io; the other node's path is told where the room is", async () => {
    await project().withLogs(['haven-1', 'haven-2', 'caddy'], async () => {
      const maya = person('maya.rivera@demo.haven.test');
      const web = new HttpsSession(ORIGIN, caRoot);
      await web.signIn('maya.rivera@demo.haven.test', maya.password, maya.key);
      // "Start a session with Riley Chen", the form on the therapist's Rooms page.
      const rooms = await web.request('GET', '/rooms');
      assert.equal(rooms.status, 200);
      const button = rooms.body.indexOf('Start a session with Riley Chen');
      assert.ok(button > 0, 'Maya can start a session with Riley');
      const clientId = [
        ...rooms.body.slice(0, button).matchAll(/name="clientId" value="([^"]+)"/g),
      ].pop()?.[1];
      assert.ok(clientId);
      const started = await web.request('POST', '/rooms', {
        form: { _csrf: await web.csrfOf('/rooms'), clientId },
      });
      assert.equal(started.status, 303, started.body);
      const roomPath = started.location ?? '';
      const roomId = /^\/rooms\/([0-9a-f-]{36})$/.exec(roomPath)?.[1];
      assert.ok(roomId, roomPath);

      // The room page names the room's node: its socket goes there through Caddy.
      const roomPage = await web.request('GET', roomPath);
      assert.equal(roomPage.status, 200);
      const placed = /data-signal-path="\/node\/(haven-[12])\/socket\.io"/.exec(roomPage.body)?.[1];
      assert.ok(placed, 'the room page connects to /node/<id>/socket.io');
      roomNode = placed as NodeId;
      const other = NODES.find((n) => n !== roomNode)!;

      // One socket at a time, each listened to from its creation (it connects on its own).
      const joined = await joinThrough(socketAt(web, caRoot, `/node/${roomNode}/socket.io`), roomId);
      assert.ok(joined.ok, JSON.stringify(joined));
      assert.equal(joined.data.roomId, roomId);
      // The other node's path reaches the other node, which holds no such room and says where it is.
      const refused = await joinThrough(socketAt(web, caRoot, `/node/${other}/socket.io`), roomId);
      assert.ok(!refused.ok, JSON.stringify(refused));
      assert.equal(refused.error.code, 'room.elsewhere');
      assert.equal(refused.error.node, roomNode);
      note(
        `room placed on ${roomNode}: joined through /node/${roomNode}/socket.io, sent there from /node/${other}/`,
      );
    });
  });

  it('shows a killed node dead on the Nodes page within NODE_DEAD_AFTER_SECONDS while the other keeps serving', async () => {
    assert.ok(roomNode, 'the previous test placed a room');
    const victim = roomNode;
    const survivor = NODES.find((n) => n !== victim)!;
    const heartbeat = Number(env['NODE_HEARTBEAT_SECONDS'] ?? 5);
    const deadAfter = Number(env['NODE_DEAD_AFTER_SECONDS'] ?? 15);
    await project().withLogs([survivor, 'caddy'], async () => {
      const id = await project().containerId(victim);
      assert.ok(id, `${victim} is running`);
      const killedAt = Date.now();
      const killed = await runQuietly('docker', ['kill', id], { timeoutMs: 30_000 });
      assert.equal(killed.code, 0, killed.out);

      // Every load in the meantime is served, by the node still running.
      const loads: string[] = [];
      let seen: NodesPage;
      for (;;) {
        seen = await readNodesPage(adminPage, true);
        loads.push(`${seen.status} ${seen.servedBy ?? '-'}`);
        assert.equal(seen.status, 200, `a page through Caddy after the kill: ${loads.join(', ')}`);
        assert.equal(seen.servedBy, survivor, loads.join(', '));
        if (seen.answering[victim] === false) break;
        assert.ok(
          Date.now() - killedAt < (deadAfter + heartbeat + 10) * 1000,
          `still answering: ${loads.join(', ')}`,
        );
        await new Promise((r) => setTimeout(r, 500));
      }
      const deadIn = (Date.now() - killedAt) / 1000;
      note(
        `docker kill ${victim} -> "Not answering" on the Nodes page after ${deadIn.toFixed(1)} s (dead after ${deadAfter} s, heartbeat ${heartbeat} s; ${loads.length} loads, all served by ${survivor})`,
      );
      // Its last heartbeat was at most one heartbeat before the kill, and it is dead deadAfter after it.
      assert.ok(deadIn <= deadAfter + 3, `dead only after ${deadIn} s`);
      assert.ok(deadIn >= deadAfter - heartbeat - 1, `declared dead too soon (${deadIn} s)`);
      assert.equal(seen.answering[survivor], true);
      assert.equal(seen.liveOfTotal, '1 of 2');
      for (const width of [1280, 390]) {
        await adminPage.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await adminPage.screenshot({
          path: join(SCREENSHOTS, `scale-nodes-one-dead-${width}.png`),
          fullPage: true,
        });
      }

      // The survivor serves people's pages and runs the background jobs (mail, reminders…).
      const riley = person('riley.chen@demo.haven.test');
      const web = new HttpsSession(ORIGIN, caRoot);
      await web.signIn('riley.chen@demo.haven.test', riley.password);
      const inbox = await web.request('GET', '/messages');
      assert.equal(inbox.status, 200);
      const deadline = Date.now() + (heartbeat + 10) * 1000;
      while (!(await project().logsOf([survivor], 2000)).includes('this node now runs the background jobs')) {
        assert.ok(Date.now() < deadline, `${survivor} never took the background jobs`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
  });
});

/** Every volume on the engine, by name. */
async function dockerVolumes(): Promise<Set<string>> {
  const listed = await runQuietly('docker', ['volume', 'ls', '-q'], { timeoutMs: 60_000 });
  assert.equal(listed.code, 0, listed.out);
  return new Set(listed.out.split('\n').filter(Boolean));
}
