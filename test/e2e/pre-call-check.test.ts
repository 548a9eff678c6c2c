import '../support/media-worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { requireBinaries } from '../integration/appliance/appliance-support';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { startLoopbackCoturn, type LoopbackCoturn } from '../support/coturn';
import { signInInBrowser } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

interface Outcome {
  mode: string;
  ok: boolean;
  protocol: string | null;
  localCandidateType: string | null;
  ms: number;
  problem: string | null;
}
interface CheckState {
  videoPlaying: boolean;
  videoTime: number;
  micLevel: number;
  micPeak: number;
  network: { direct: Outcome | null; relay: Outcome | null; summary: string } | null;
}

/**
 * A network that blocks direct media, simulated inside the page: a peer connection without ICE
 * servers (the direct test) is told the media server's candidates are on port 9 of the same
 * loopback address, where nothing listens, so only the relay can work. Test instrumentation only.
 */
const BLOCK_DIRECT_MEDIA = `(() => {
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config, ...rest) {
      super(config, ...rest);
      this.direct = !(config && config.iceServers && config.iceServers.length);
    }
    setRemoteDescription(description) {
      if (this.direct && description && description.sdp) {
        const sdp = description.sdp.replace(/^(a=candidate:\\S+ \\d+ \\S+ \\d+ \\S+) \\d+ typ host/gm, '$1 9 typ host');
        return super.setRemoteDescription({ type: description.type, sdp });
      }
      return super.setRemoteDescription(description);
    }
  };
})();`;

/**
 * The pre-call check in Debian's Chromium with fake camera and microphone, against a real
 * mediasoup worker and Debian's turnserver (our config) on loopback. The media server listens on
 * 127.0.0.2, the one loopback peer the test relay may reach (test/support/coturn.ts).
 */
describe('pre-call check in Chromium (/check)', function () {
  this.timeout(180_000);
  const secret = randomBytes(32).toString('base64url');
  let turn: LoopbackCoturn;
  let live: LiveHaven;
  let client: TestPerson;
  let browser: Browser;
  const problems: string[] = [];
  const offHost: string[] = [];

  before(async function () {
    requireBinaries(this, ['turnserver'], 'coturn');
    turn = await startLoopbackCoturn(secret);
    live = await startLiveHaven({
      env: {
        MEDIA_LISTEN_IP: turn.sfu,
        TURN_HOST: '127.0.0.1',
        TURN_PORT: String(turn.port),
        TURN_SECRET: secret,
      },
    });
    await ensureAdmin(live.haven);
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await live?.stop();
    turn?.stop();
  });

  async function checkPage(options: { blockDirect?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    if (options.blockDirect) await context.addInitScript({ content: BLOCK_DIRECT_MEDIA });
    const page = await context.newPage();
    await signInInBrowser(page, client, live, { via: 'cookie' });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(live.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        offHost.push(r.url());
    });
    await page.goto(`${live.baseUrl}/check`);
    return page;
  }

  const state = (page: Page): Promise<CheckState> =>
    page.evaluate(() =>
      (globalThis as unknown as { havenCheck: { state(): CheckState } }).havenCheck.state(),
    );

  async function until(page: Page, what: string, test: (s: CheckState) => boolean, ms = 45_000) {
    const deadline = Date.now() + ms;
    let last: CheckState | null = null;
    while (Date.now() < deadline) {
      last = await state(page);
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${what} did not happen within ${ms} ms; last ${JSON.stringify(last)}`);
  }

  it('shows the camera playing and the microphone level moving; pickers only where there is a choice', async () => {
    const page = await checkPage();
    await page.getByRole('button', { name: 'Start camera and microphone' }).click();
    const first = await until(page, 'camera preview playing', (s) => s.videoPlaying && s.videoTime > 0);
    await until(page, 'camera preview advancing', (s) => s.videoTime > first.videoTime + 0.5);
    // Chromium's fake microphone beeps: the meter must both rise and fall again.
    const levels = new Set<number>();
    await until(page, 'level meter moving', (s) => {
      levels.add(Math.round(s.micLevel * 100));
      return s.micPeak > 0.05 && levels.size >= 3;
    });
    await page.getByText('the bar should move when you speak').waitFor();
    // A picker appears exactly when there is a choice (Chromium's fake devices: several microphones).
    type Devices = { mediaDevices: { enumerateDevices(): Promise<Array<{ kind: string }>> } };
    const counts = await page.evaluate(async () => {
      const all = await (
        globalThis as unknown as { navigator: Devices }
      ).navigator.mediaDevices.enumerateDevices();
      return {
        camera: all.filter((d) => d.kind === 'videoinput').length,
        mic: all.filter((d) => d.kind === 'audioinput').length,
      };
    });
    assert.equal(await page.locator('#pick-camera').isVisible(), counts.camera > 1);
    assert.equal(await page.locator('#pick-mic').isVisible(), counts.mic > 1);
    if (counts.mic > 1) {
      // Choosing another microphone restarts the preview with it and is remembered for sessions.
      const second = await page.locator('#pick-mic option').nth(1).getAttribute('value');
      await page.getByRole('combobox', { name: 'Microphone' }).selectOption(second!);
      await until(page, 'level meter moving on the chosen microphone', (s) => s.micLevel > 0.02);
      const saved = await page.evaluate(() =>
        (
          globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
        ).localStorage.getItem('haven.devices'),
      );
      assert.equal((JSON.parse(saved ?? '{}') as { mic?: string }).mic, second);
    }
    await page.getByRole('button', { name: 'Play a test sound' }).click();
    await page.getByText('Did you hear it?').waitFor({ timeout: 15_000 });
    await page.context().close();
  });

  it('network test: direct works (its own address, never a relay) and the relay works (relay candidate through coturn)', async () => {
    const page = await checkPage();
    const clickedAt = Date.now();
    await page.getByRole('button', { name: 'Test my connection' }).click();
    const done = await until(page, 'network test finished', (s) => s.network !== null, 60_000);
    const { direct, relay, summary } = done.network!;
    const took = Date.now() - clickedAt;
    assert.ok(direct?.ok, JSON.stringify(direct));
    // Direct means the browser's own address, never a relay: 'host', or 'prflx' when the address the
    // server saw (loopback here) is one the browser had not gathered and learnt during the checks.
    assert.ok(
      direct.localCandidateType === 'host' || direct.localCandidateType === 'prflx',
      `direct path used a ${direct.localCandidateType} candidate`,
    );
    assert.equal(direct.protocol, 'udp');
    assert.ok(relay?.ok, `${JSON.stringify(relay)}\n--- turnserver:\n${turn.log().slice(-3000)}`);
    assert.equal(relay.localCandidateType, 'relay');
    assert.match(summary, /^Direct connection works\. /);
    await page
      .locator('#net-direct')
      .getByText(/works \(UDP/)
      .waitFor();
    await page
      .locator('#net-relay')
      .getByText(/works \(UDP/)
      .waitFor();
    process.stdout.write(
      `      network test: direct ${direct.ms} ms, relay ${relay.ms} ms, whole test ${took} ms\n`,
    );
    // The page closed both probes when it was done with them.
    assert.equal(live.haven.connectivity.openCount, 0);
    await page.context().close();
  });

  it('direct media blocked: says so, and that sessions will be relayed', async () => {
    const page = await checkPage({ blockDirect: true });
    await page.getByRole('button', { name: 'Test my connection' }).click();
    const done = await until(page, 'network test finished', (s) => s.network !== null, 90_000);
    const { direct, relay, summary } = done.network!;
    assert.equal(direct?.ok, false, JSON.stringify(direct));
    assert.ok(relay?.ok, JSON.stringify(relay));
    assert.equal(relay.localCandidateType, 'relay');
    assert.equal(
      summary,
      'Your network blocks direct media; we will relay through the clinic’s server. Your sessions will work.',
    );
    await page.locator('#net-direct').getByText('does not work: no connection within 15 s').waitFor();
    await page.context().close();
  });

  it('neither path works (relay down too): says so, with advice', async () => {
    turn.stop();
    const page = await checkPage({ blockDirect: true });
    await page.getByRole('button', { name: 'Test my connection' }).click();
    const done = await until(page, 'network test finished', (s) => s.network !== null, 90_000);
    const { direct, relay, summary } = done.network!;
    assert.deepEqual([direct?.ok, relay?.ok], [false, false]);
    assert.match(
      summary,
      /^Neither works: your network blocks direct media and the clinic’s relay server\. Try another network/,
    );
    assert.equal(live.haven.connectivity.openCount, 0, 'failed tests close their probes too');
    await page.context().close();
  });

  it('pages asked nothing of any other host and raised no errors', () => {
    assert.deepEqual(offHost, []);
    assert.deepEqual(problems, []);
  });
});
