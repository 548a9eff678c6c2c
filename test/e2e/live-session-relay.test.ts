import '../support/media-worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { requireBinaries } from '../integration/appliance/appliance-support';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { startLoopbackCoturn, type LoopbackCoturn } from '../support/coturn';
import { signInCookie, startLiveHaven, type LiveHaven } from '../support/live-session';

/** One RTCPeerConnection as the page's own getStats() describes its chosen path. */
interface PathReport {
  policy: string | null;
  state: string;
  localType: string | null;
  localProtocol: string | null;
  /** For a relay candidate: the address coturn relays from, and the TURN server it came from. */
  localAddress: string | null;
  localUrl: string | null;
  remoteAddress: string | null;
  remotePort: number | null;
  framesDecoded: number;
}

/**
 * Counts every RTCPeerConnection the page makes (mediasoup-client's send and receive transports), so
 * the test can ask the browser itself which path each one took. Test instrumentation only: the
 * page's code is unchanged.
 */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  const seen = [];
  window.__havenPeerConnections = seen;
  window.RTCPeerConnection = class extends Original {
    constructor(config, ...rest) {
      super(config, ...rest);
      seen.push({ pc: this, policy: (config && config.iceTransportPolicy) || null });
    }
  };
})();`;

/**
 * MEDIA_ICE_TRANSPORT_POLICY=relay: a 1:1 session where both browsers may only use the TURN relay.
 * Debian's turnserver runs our config on loopback; the media server listens on 127.0.0.2, the one
 * loopback peer that relay may reach (test/support/coturn.ts), so direct paths are not even tried.
 */
describe('live session through coturn only (MEDIA_ICE_TRANSPORT_POLICY=relay)', function () {
  this.timeout(240_000);
  const secret = randomBytes(32).toString('base64url');
  let turn: LoopbackCoturn;
  let live: LiveHaven;
  let therapist: TestPerson;
  let alex: TestPerson;
  const browsers: Browser[] = [];
  const problems: string[] = [];

  async function pageFor(person: TestPerson): Promise<Page> {
    const browser = await launchChromium();
    browsers.push(browser);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const cookie = await signInCookie(live, person);
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: live.baseUrl }]);
    await context.addInitScript({ content: RECORD_PEER_CONNECTIONS });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  /** Every connected transport of the page: its policy and the selected candidate pair. */
  const paths = (page: Page): Promise<PathReport[]> =>
    page.evaluate(async () => {
      type Stat = Record<string, unknown>;
      const seen = (
        globalThis as unknown as {
          __havenPeerConnections: Array<{
            pc: { connectionState: string; getStats(): Promise<Map<string, Stat>> };
            policy: string | null;
          }>;
        }
      ).__havenPeerConnections;
      const out: PathReport[] = [];
      for (const { pc, policy } of seen) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        const all = [...report.values()];
        const transport = all.find((s) => s.type === 'transport');
        const pair = report.get(String(transport?.selectedCandidatePairId));
        const local = pair ? report.get(String(pair.localCandidateId)) : undefined;
        const remote = pair ? report.get(String(pair.remoteCandidateId)) : undefined;
        out.push({
          policy,
          state: pc.connectionState,
          localType: (local?.candidateType as string) ?? null,
          localProtocol: (local?.relayProtocol as string) ?? (local?.protocol as string) ?? null,
          localAddress: (local?.address as string) ?? null,
          localUrl: (local?.url as string) ?? null,
          remoteAddress: (remote?.address as string) ?? null,
          remotePort: (remote?.port as number) ?? null,
          framesDecoded: all
            .filter((s) => s.type === 'inbound-rtp' && s.kind === 'video')
            .reduce((n, s) => n + Number(s.framesDecoded ?? 0), 0),
        });
      }
      return out;
    });

  async function until<T>(what: string, probe: () => Promise<T>, test: (v: T) => boolean, ms = 60_000) {
    const deadline = Date.now() + ms;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await probe();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${what} did not happen within ${ms} ms; last ${JSON.stringify(last)}`);
  }

  before(async function () {
    requireBinaries(this, ['turnserver'], 'coturn');
    turn = await startLoopbackCoturn(secret);
    live = await startLiveHaven({
      env: {
        MEDIA_LISTEN_IP: turn.sfu,
        MEDIA_ICE_TRANSPORT_POLICY: 'relay',
        TURN_HOST: '127.0.0.1',
        TURN_PORT: String(turn.port),
        TURN_SECRET: secret,
      },
    });
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    alex = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    await live.haven.clinical.care.assign(null, therapist.user.id, alex.user.id);
  });
  after(async () => {
    for (const b of browsers) await b.close().catch(() => {});
    await live?.stop();
    turn?.stop();
  });

  it('both sides decode video, every transport on a relay candidate through coturn', async () => {
    const t = await pageFor(therapist);
    await t.goto(`${live.baseUrl}/clinical`);
    await t.getByRole('button', { name: 'Start a session with Alex' }).click();
    await t.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    const a = await pageFor(alex);
    await a.goto(t.url());
    await a.locator('#panel-waiting').getByText('Your therapist will let you in.').waitFor();
    // The waiting room offers the pre-call check, in a new tab so the seat is kept.
    const check = a
      .locator('#panel-waiting')
      .getByRole('link', { name: 'Check your camera, microphone and connection' });
    assert.equal(await check.getAttribute('href'), '/check');
    assert.equal(await check.getAttribute('target'), '_blank');
    const admit = t.getByRole('button', { name: 'Admit Alex' });
    await admit.waitFor();
    const clickedAt = Date.now();
    await admit.click();

    const pages = [
      ['therapist', t],
      ['client', a],
    ] as const;
    const firstFrame: number[] = [];
    for (const [name, page] of pages) {
      await until(
        `${name} decoding video`,
        () => paths(page),
        (r) => r.length >= 2 && r.every((p) => p.state === 'connected') && r.some((p) => p.framesDecoded > 0),
      );
      // The page notes when it showed the first remote frame (as in live-session.test.ts).
      const shownAt = await page.evaluate(async () => {
        const room = (
          globalThis as unknown as { havenRoom: { stats(): Promise<{ firstRemoteFrameAt: number | null }> } }
        ).havenRoom;
        return (await room.stats()).firstRemoteFrameAt;
      });
      firstFrame.push((shownAt ?? Date.now()) - clickedAt);
    }
    for (const [name, page] of pages) {
      const report = await paths(page);
      for (const p of report) {
        assert.equal(p.policy, 'relay', `${name}: the page asked for relay only`);
        assert.equal(p.localType, 'relay', `${name}: ${JSON.stringify(p)}`);
        // Allocated on our coturn (its relay-ip), from the server Haven named in the ack.
        assert.equal(p.localAddress, '127.0.0.1', `${name}: ${JSON.stringify(p)}`);
        assert.match(p.localUrl ?? '', new RegExp(`^turn:127\\.0\\.0\\.1:${turn.port}\\?transport=`));
        assert.equal(p.remoteAddress, turn.sfu, `${name}: the far end is the media server`);
      }
      // Frames keep coming, not just one.
      const before = report.reduce((n, p) => n + p.framesDecoded, 0);
      await until(
        `${name} decoding more frames`,
        () => paths(page),
        (r) => r.reduce((n, p) => n + p.framesDecoded, 0) > before + 10,
      );
    }
    process.stdout.write(
      `      relay-only session: click Admit → first remote frame shown: therapist ${firstFrame[0]} ms, client ${firstFrame[1]} ms\n`,
    );
    await t.getByRole('button', { name: 'Leave' }).click();
    await a.getByRole('button', { name: 'Leave' }).click();
  });

  it('raised no page errors', () => {
    assert.deepEqual(problems, []);
  });
});
