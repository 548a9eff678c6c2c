import '../support/media-worker';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { requireBinaries } from '../integration/appliance/appliance-support';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { startLoopbackCoturn, type LoopbackCoturn } from '../support/coturn';
import { framesDecoded, iceStats, recordPeerConnections, until } from '../support/ice-paths';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { knockAt, startSessionFromDashboard } from '../support/room-page';

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
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];

  async function pageFor(person: TestPerson): Promise<Page> {
    const page = await chromiums.signedInPage(person, live, {
      viewport: { width: 390, height: 844 },
      prepare: recordPeerConnections,
    });
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
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
    await chromiums.close();
    await live?.stop();
    turn?.stop();
  });

  it('both sides decode video, every transport on a relay candidate through coturn', async () => {
    const t = await pageFor(therapist);
    const roomUrl = await startSessionFromDashboard(t, live.baseUrl, 'Alex');
    const a = await pageFor(alex);
    await knockAt(a, roomUrl);
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
        () => iceStats(page),
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
      const report = await iceStats(page);
      for (const p of report) {
        assert.equal(p.policy, 'relay', `${name}: the page asked for relay only`);
        assert.equal(p.localType, 'relay', `${name}: ${JSON.stringify(p)}`);
        // Allocated on our coturn (its relay-ip), from the server Haven named in the ack.
        assert.equal(p.localAddress, '127.0.0.1', `${name}: ${JSON.stringify(p)}`);
        assert.match(p.localUrl ?? '', new RegExp(`^turn:127\\.0\\.0\\.1:${turn.port}\\?transport=`));
        assert.equal(p.remoteAddress, turn.sfu, `${name}: the far end is the media server`);
      }
      // Frames keep coming, not just one.
      const before = framesDecoded(report);
      await until(
        `${name} decoding more frames`,
        () => iceStats(page),
        (r) => framesDecoded(r) > before + 10,
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
