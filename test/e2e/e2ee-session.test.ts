import '../support/media-worker';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import type { ProducerView } from '../../server/protocol';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import {
  admitAndTimeJoin,
  e2eeOf,
  roomStats,
  timeReadmissions,
  untilRoomStats as until,
  type JoinSample,
} from '../support/room-page';
import {
  e2eeTrailerCounters,
  isVp8KeyFrameHeader,
  RtpTap,
  vp8Frames,
  type RtpPacket,
} from '../support/rtp-tap';

/** Run in a page before its scripts: its worker never gets the others' sender keys (a page without the key). */
const WITHOUT_PEER_KEYS = `(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === 'peer-key') return;
    return post.call(this, message, ...rest);
  };
})()`;

/** Screenshots for people to look at (kept out of the repository; a temporary folder when not set). */
const SCREENS = process.env.HAVEN_SCREENS_DIR ?? tmpdir();
const SAFETY_CODE = /^\d{5}( \d{5}){4}$/;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * End-to-end encrypted sessions (issue 23, item 3) in Debian's Chromium with fake camera and
 * microphone: both pages decode, show the same safety code, and what the media server forwards (read
 * by a server-side consumer on a loopback PlainTransport) carries Haven's encrypted frames, unlike a
 * plain session's; a third page without the others' keys decodes no picture.
 */
describe('end-to-end encrypted sessions in Chromium', function () {
  this.timeout(300_000);
  const tap = new RtpTap();
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];
  const joins: Record<'e2ee' | 'plain', JoinSample[]> = { e2ee: [], plain: [] };
  let therapist: TestPerson;
  let alex: TestPerson;
  let blake: TestPerson;

  async function people(live: LiveHaven): Promise<void> {
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    alex = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    blake = await createPerson(live.haven, { roles: ['client'], displayName: 'Blake' });
    for (const c of [alex, blake]) await live.haven.clinical.care.assign(null, therapist.user.id, c.user.id);
  }

  async function pageFor(live: LiveHaven, person: TestPerson, width: number): Promise<Page> {
    const page = await chromiums.signedInPage(person, live, { viewport: { width, height: 844 } });
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  /** The therapist's page in a new one-to-one session with Alex ("Start a session with Alex"). */
  async function oneToOneRoom(live: LiveHaven): Promise<Page> {
    const t = await pageFor(live, therapist, 1280);
    await t.goto(`${live.baseUrl}/clinical`);
    await t.getByRole('button', { name: 'Start a session with Alex' }).click();
    await t.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    return t;
  }

  /** The therapist's camera and microphone as the room's media server has them. */
  function therapistProducers(live: LiveHaven, roomId: string): { camera: ProducerView; mic: ProducerView } {
    const producers = live.haven.rooms.live.liveRoom(roomId)?.media?.producers() ?? [];
    const mine = producers.filter((p) => p.peerId === therapist.user.id);
    const camera = mine.find((p) => p.source === 'camera');
    const mic = mine.find((p) => p.source === 'mic');
    assert.ok(camera && mic, `the therapist sends camera and microphone: ${JSON.stringify(producers)}`);
    return { camera, mic };
  }

  async function captureTherapist(
    live: LiveHaven,
    roomId: string,
  ): Promise<{ video: Buffer[]; audio: Buffer[] }> {
    const { camera, mic } = therapistProducers(live, roomId);
    const [video, audio] = await Promise.all([
      tap.capture(camera.producerId, 3000),
      tap.capture(mic.producerId, 3000),
    ]);
    const frames = vp8Frames(video);
    assert.ok(frames.length >= 10, `VP8 frames on the wire: ${frames.length} from ${video.length} packets`);
    assert.ok(audio.length >= 10, `Opus packets on the wire: ${audio.length}`);
    return { video: frames, audio: audio.map((p: RtpPacket) => p.payload) };
  }

  before(() => tap.watch());
  after(async () => {
    await chromiums.close();
    tap.close();
    const line = (k: 'e2ee' | 'plain') =>
      `${joins[k].map((j) => j.ms).join(', ')}; median ${median(joins[k].map((j) => j.ms))}`;
    if (joins.e2ee.length && joins.plain.length)
      process.stdout.write(
        `      join time (click Admit → first decoded frame), ms: E2EE ${line('e2ee')}; plain ${line('plain')}; ` +
          `ratio ${(median(joins.e2ee.map((j) => j.ms)) / median(joins.plain.map((j) => j.ms))).toFixed(2)}\n`,
      );
  });

  describe('ROOM_E2EE=on', () => {
    let live: LiveHaven;
    before(async () => {
      live = await startLiveHaven({ env: { ROOM_E2EE: 'on' } });
      await people(live);
    });
    after(async () => live?.stop());

    it('both decode with the same safety code; the server forwards encrypted frames; a page without the key sees no picture', async () => {
      const t = await pageFor(live, therapist, 1280);
      await t.goto(`${live.baseUrl}/rooms`);
      await t.getByRole('checkbox', { name: 'Alex' }).check();
      await t.getByRole('checkbox', { name: 'Blake' }).check();
      await t.getByRole('button', { name: 'Start a joint session' }).click();
      await t.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
      const roomUrl = t.url();
      const roomId = roomUrl.split('/').pop()!;
      await t.locator('#panel-call').waitFor({ state: 'visible' });
      await t.locator('#e2ee-on').getByText('End-to-end encrypted.').waitFor();

      const a = await pageFor(live, alex, 390);
      await a.goto(roomUrl);
      await a.locator('#panel-waiting').waitFor({ state: 'visible' });
      await a.locator('#e2ee-on').getByText('End-to-end encrypted.').waitFor();
      await a.screenshot({ path: `${SCREENS}/e2ee-waiting-390.png` });
      assert.equal(await a.locator('#e2ee-code').isVisible(), false, 'no safety code while waiting');
      joins.e2ee.push(await admitAndTimeJoin(t, a, 'Alex'));

      for (const p of [t, a])
        await until(
          p,
          'video and audio both ways, decrypted',
          (x) => x.videoFramesDecoded > 0 && x.audioPacketsReceived > 0,
        );
      const [codeT, codeA] = [
        await t.locator('#e2ee-code-digits').textContent(),
        await a.locator('#e2ee-code-digits').textContent(),
      ];
      assert.match(codeT ?? '', SAFETY_CODE);
      assert.equal(codeA, codeT, 'both pages show the same safety code');
      assert.ok(((await e2eeOf(a)).frames?.decrypted ?? 0) > 0);

      // What the SFU forwards: VP8 and Opus frames whose clear header bytes are intact, followed by
      // ciphertext and Haven's trailer (a counter that counts up, a key id).
      const wire = await captureTherapist(live, roomId);
      assert.ok(wire.video.some(isVp8KeyFrameHeader), 'a key frame whose clear header the SFU can read');
      assert.ok(e2eeTrailerCounters(wire.video), 'VP8 frames carry the E2EE trailer');
      assert.ok(e2eeTrailerCounters(wire.audio), 'Opus frames carry the E2EE trailer');

      // Blake's page joins, but its worker never receives anyone's sender key.
      const b = await pageFor(live, blake, 390);
      await b.addInitScript(WITHOUT_PEER_KEYS);
      await b.goto(roomUrl);
      await t.getByRole('button', { name: 'Admit Blake' }).click();
      const before = {
        t: (await roomStats(t)).videoFramesDecoded,
        a: (await roomStats(a)).videoFramesDecoded,
      };
      const blind = await until(
        b,
        'the keyless page receiving both others',
        (x) => x.inboundVideoTracks >= 2 && x.audioTracksReceiving >= 2 && x.packetsReceived > 300,
        60_000,
      );
      assert.equal(blind.videoFramesDecoded, 0, 'a page without the key decodes no picture');
      assert.ok(((await e2eeOf(b)).frames?.undecryptable ?? 0) > 0, 'its frames arrived and did not open');
      // The others re-keyed for three and still decode each other (Blake's own frames too).
      await until(t, 'the therapist decoding after the re-key', (x) => x.videoFramesDecoded > before.t + 30);
      await until(a, 'Alex decoding after the re-key', (x) => x.videoFramesDecoded > before.a + 30);
      const three = await Promise.all([t, a, b].map((p) => p.locator('#e2ee-code-digits').textContent()));
      assert.match(three[0] ?? '', SAFETY_CODE);
      assert.deepEqual(new Set(three).size, 1, `one safety code on all three pages: ${three.join(' / ')}`);
      assert.notEqual(three[0], codeT, 'a third person changes the safety code');
      assert.equal((await roomStats(b)).videoFramesDecoded, 0);

      // Moved back to the waiting room and admitted again: keys are exchanged again each time.
      await t.getByRole('button', { name: 'Move Blake back to the waiting room' }).click();
      joins.e2ee.push(...(await timeReadmissions(t, a, 'Alex', 2)));
      // …and the therapist decodes Alex again (Alex drew a new key for the call it came back to).
      const back = (await roomStats(t)).videoFramesDecoded;
      await until(
        t,
        'the therapist decoding Alex after the readmission',
        (x) => x.videoFramesDecoded > back + 30,
      );
      await until(t, 'a picture of Alex', (x) => x.remoteVideoTiles >= 1 && x.videoTracksDecoding >= 1);
      await t.screenshot({ path: `${SCREENS}/e2ee-therapist-1280.png` });
      await a.screenshot({ path: `${SCREENS}/e2ee-client-390.png` });
      assert.deepEqual(problems, []);
      for (const p of [t, a, b]) await p.context().close();
    });

    it('a browser without the Encoded Transform API is told so and sends and receives nothing', async () => {
      const t = await oneToOneRoom(live);
      const a = await pageFor(live, alex, 390);
      await a.addInitScript('delete globalThis.RTCRtpScriptTransform');
      await a.goto(t.url());
      await a.locator('#e2ee-refused').waitFor({ state: 'visible' });
      await t.getByRole('button', { name: 'Admit Alex' }).click();
      await a.locator('#panel-call').waitFor({ state: 'visible' });
      await until(t, 'the therapist sending', (x) => x.videoFramesSent > 30);
      const s = await roomStats(a);
      assert.deepEqual(
        [s.videoFramesSent, s.audioPacketsSent, s.inboundVideoTracks, s.audioPacketsReceived],
        [0, 0, 0, 0],
        'no media either way',
      );
      assert.equal((await e2eeOf(a)).state, 'refused');
      assert.equal(await a.getByRole('button', { name: 'Mute' }).isDisabled(), true);
      await a.screenshot({ path: `${SCREENS}/e2ee-refused-390.png` });
      assert.deepEqual(problems, []);
      for (const p of [t, a]) await p.context().close();
    });
  });

  describe('ROOM_E2EE=off (the plain run to compare with)', () => {
    let live: LiveHaven;
    before(async () => {
      live = await startLiveHaven();
      await people(live);
    });
    after(async () => live?.stop());

    it('says the session is not end-to-end encrypted, and the SFU forwards plain VP8 and Opus', async () => {
      const t = await oneToOneRoom(live);
      const roomUrl = t.url();
      const roomId = roomUrl.split('/').pop()!;
      await t.locator('#e2ee-off').getByText('Not end-to-end encrypted.').waitFor();
      const a = await pageFor(live, alex, 390);
      await a.goto(roomUrl);
      joins.plain.push(await admitAndTimeJoin(t, a, 'Alex'));
      await until(a, 'video and audio', (x) => x.videoFramesDecoded > 0 && x.audioPacketsReceived > 0);
      assert.equal((await e2eeOf(a)).state, 'off');
      assert.equal(await a.locator('#e2ee-code').isVisible(), false);

      const wire = await captureTherapist(live, roomId);
      assert.ok(wire.video.some(isVp8KeyFrameHeader));
      assert.equal(e2eeTrailerCounters(wire.video), null, 'plain VP8 does not look like the E2EE framing');
      assert.equal(e2eeTrailerCounters(wire.audio), null, 'plain Opus does not look like the E2EE framing');
      joins.plain.push(...(await timeReadmissions(t, a, 'Alex', 2)));
      assert.deepEqual(problems, []);
      for (const p of [t, a]) await p.context().close();
    });
  });
});
