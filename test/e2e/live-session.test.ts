import '../support/media-worker';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { FIRST_FRAME_HOLD_MS } from '../../public/src/room/receiving-first';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import {
  admitAndTimeJoin,
  knockAt,
  medianPhases,
  fromPageClickLine,
  startSessionFromDashboard,
  roomStats as stats,
  timeReadmissions,
  untilRoomStats as until,
  type RoomPageStats as PageStats,
} from '../support/room-page';

/**
 * Real browsers, real media: headless Debian Chromium with a fake camera and microphone, signed in
 * through the real forms, talking to a real mediasoup worker over loopback.
 */
describe('live session in Chromium (therapist, client, couple)', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let alex: TestPerson;
  let blake: TestPerson;
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];
  const offHost: string[] = [];

  async function pageFor(person: TestPerson): Promise<{ context: BrowserContext; page: Page }> {
    const page = await chromiums.signedInPage(person, live, { viewport: { width: 390, height: 844 } });
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${person.user.displayName}: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(live.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        offHost.push(r.url());
    });
    return { context: page.context(), page };
  }

  before(async () => {
    live = await startLiveHaven();
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    alex = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    blake = await createPerson(live.haven, { roles: ['client'], displayName: 'Blake' });
    for (const c of [alex, blake]) await live.haven.clinical.care.assign(null, therapist.user.id, c.user.id);
  });
  after(async () => {
    await chromiums.close();
    await live?.stop();
  });

  it('1:1: the client waits, the therapist admits, both decode video and audio, chat crosses', async () => {
    const t = await pageFor(therapist);
    const roomUrl = await startSessionFromDashboard(t.page, live.baseUrl, 'Alex');

    const a = await pageFor(alex);
    await knockAt(a.page, roomUrl);
    assert.equal(await a.page.locator('#panel-call').isVisible(), false);

    // Waiting, the page has its media ready ahead of admission (receive transport connected through
    // the idle warm-up channel) and receives nothing on it while the therapist sends a second more.
    await until(a.page, 'the waiting page connecting ahead', (x) => x.receiveTransport === 'connected');
    const sentBefore = (await stats(t.page)).videoFramesSent;
    await until(
      t.page,
      'the therapist sending a second of video',
      (x) => x.videoFramesSent >= sentBefore + 24,
    );
    const waiting = await stats(a.page);
    assert.equal(waiting.receiveTransport, 'connected');
    assert.deepEqual(
      [
        waiting.packetsReceived,
        waiting.inboundVideoTracks,
        waiting.audioPacketsReceived,
        waiting.remoteVideoTiles,
      ],
      [0, 0, 0, 0],
      'a waiting client receives nothing',
    );
    // Their own camera shows in the waiting room (nothing of it is sent yet).
    await a.page.locator('#waiting-preview video').waitFor({ state: 'visible' });

    // The therapist sees who is waiting (and hears a knock), then admits.
    const firstJoin = await admitAndTimeJoin(t.page, a.page, 'Alex');

    const both = [t.page, a.page];
    for (const p of both) {
      const s = await until(
        p,
        'video and audio both ways',
        (x) => x.videoFramesDecoded > 0 && x.audioPacketsReceived > 0,
      );
      assert.ok(s.videoFramesDecoded > 0 && s.audioPacketsReceived > 0);
    }

    await a.page.getByRole('textbox', { name: 'Message' }).fill('Hello from Alex');
    await a.page.getByRole('button', { name: 'Send' }).click();
    await t.page.locator('#chat-log').getByText('Hello from Alex').waitFor();
    await t.page.getByRole('textbox', { name: 'Message' }).fill('Welcome, Alex');
    await t.page.getByRole('button', { name: 'Send' }).click();
    await a.page.locator('#chat-log').getByText('Welcome, Alex').waitFor();

    // "Click Admit → first decoded frame", five times: back to the waiting room, admitted again.
    // (The helper fails if the frame it counts was shown before the click.)
    const joins = [firstJoin, ...(await timeReadmissions(t.page, a.page, 'Alex', 4))];
    // Receiving first (receiving-first.ts): each time, the client's own microphone and camera went
    // out only once it showed the therapist's first frame, or the bounded hold after its consumers
    // were wired and resumed had passed; never at admission, alongside its receive SDP round.
    for (const { phases } of joins) {
      const { sending, 'first-frame': frame, 'resumed-video': resumed } = phases;
      assert.ok(
        sending !== undefined && frame !== undefined && resumed !== undefined,
        JSON.stringify(phases),
      );
      assert.ok(
        sending >= Math.min(frame, resumed + FIRST_FRAME_HOLD_MS) - 2, // (timers: a ms either way)
        `the client started sending before its first remote frame: ${JSON.stringify(phases)}`,
      );
    }
    const samples = joins.map((j) => j.ms).sort((x, y) => x - y);
    const median = samples[2] as number;
    process.stdout.write(
      `      join time (click Admit → first decoded frame), ms: ${samples.join(', ')}; median ${median}\n` +
        `      ${fromPageClickLine(joins)}\n` +
        `      steps after the click (medians, ms): ${medianPhases(joins)}\n`,
    );

    await t.page.getByRole('button', { name: 'Leave' }).click();
    await a.page.getByRole('button', { name: 'Leave' }).click();
    await t.context.close();
    await a.context.close();
  });

  it('couple: a second client joins and everyone receives both others; audio-only sends and receives no video', async () => {
    const t = await pageFor(therapist);
    await t.page.goto(`${live.baseUrl}/rooms`);
    await t.page.getByRole('checkbox', { name: 'Alex' }).check();
    await t.page.getByRole('checkbox', { name: 'Blake' }).check();
    await t.page.getByRole('button', { name: 'Start a joint session' }).click();
    await t.page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    const roomUrl = t.page.url();
    const a = await pageFor(alex);
    const b = await pageFor(blake);
    await a.page.goto(roomUrl);
    await b.page.goto(roomUrl);
    await a.page.locator('#panel-waiting').getByText('Your therapist will let you in.').waitFor();
    await b.page.locator('#panel-waiting').getByText('Your therapist will let you in.').waitFor();
    const admitAll = t.page.getByRole('button', { name: 'Admit everyone' });
    await admitAll.waitFor();
    await admitAll.click();

    for (const p of [t.page, a.page, b.page]) {
      await until(
        p,
        'two remote videos and two remote voices',
        (s) => s.videoTracksDecoding >= 2 && s.audioTracksReceiving >= 2,
        60_000,
      );
    }

    // The button is clicked like any other; waiting for "no navigation" is pointless on a busy machine.
    await b.page.getByRole('button', { name: 'Audio only' }).click({ noWaitAfter: true });
    await until(b.page, 'audio-only on', (s) => s.audioOnly);
    await new Promise((r) => setTimeout(r, 1500));
    const before = await stats(b.page);
    const othersBefore = await Promise.all([stats(t.page), stats(a.page)]);
    await new Promise((r) => setTimeout(r, 3000));
    const after = await stats(b.page);
    const othersAfter = await Promise.all([stats(t.page), stats(a.page)]);
    assert.equal(after.videoFramesSent - before.videoFramesSent, 0, 'audio-only sends no video');
    assert.equal(after.videoFramesDecoded - before.videoFramesDecoded, 0, 'audio-only receives no video');
    assert.equal(after.remoteVideoTiles, 0);
    assert.ok(after.audioPacketsReceived > before.audioPacketsReceived, 'audio still arrives');
    assert.ok(after.audioPacketsSent > before.audioPacketsSent, 'audio still leaves');
    for (const [i, o] of othersAfter.entries()) {
      assert.ok(o.audioPacketsReceived > (othersBefore[i] as PageStats).audioPacketsReceived);
    }
    // The others still see each other.
    assert.ok(othersAfter.every((o) => o.remoteVideoTiles >= 1));

    t.page.once('dialog', (d) => void d.accept());
    await t.page.getByRole('button', { name: 'End for everyone' }).click();
    await a.page.getByRole('heading', { name: 'The session has ended' }).waitFor();
    await b.page.getByRole('heading', { name: 'The session has ended' }).waitFor();
  });

  it('pages asked nothing of any other host and raised no errors', () => {
    assert.deepEqual(offHost, []);
    assert.deepEqual(problems, []);
  });
});
