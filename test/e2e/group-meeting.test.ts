import '../support/media-worker';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureAdmin, type TestPerson } from '../support/accounts';
import { groupMeetingFixture, type GroupMeetingFixture } from '../support/group-meeting';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { roomPanelState, roomStats, untilRoomStats as until } from '../support/room-page';

/** Frames the page's <video> for one person's tile has shown so far (0 if there is no such tile). */
const framesShown = (page: Page, peerId: string): Promise<number> =>
  page.evaluate((key) => {
    // Runs in the page (this file is compiled without DOM types, as the other e2e tests are).
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const video = doc.querySelector(`#stage figure[data-key="${key}"] video`) as {
      videoWidth: number;
      getVideoPlaybackQuality(): { totalVideoFrames: number };
    } | null;
    if (!video || video.videoWidth === 0) return 0;
    return video.getVideoPlaybackQuality().totalVideoFrames;
  }, peerId);

/** Audio packets per second the page receives (all inbound audio), over two seconds. */
async function audioRate(page: Page): Promise<number> {
  const first = (await roomStats(page)).audioPacketsReceived;
  await new Promise((r) => setTimeout(r, 2000));
  return Math.round(((await roomStats(page)).audioPacketsReceived - first) / 2);
}

const audioSinks = (page: Page): Promise<number> =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('#audio-sinks audio').length,
  );

async function until2<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 45_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

/**
 * A peer-support group meeting in three headless Chromiums with fake cameras and microphones: the
 * facilitator and two members enter from the group page, the members wait in the lobby until
 * admitted, everyone decodes the facilitator's video, and a facilitator's mute stops that member's
 * audio for both other people (their consumers close; the server holds no audio of hers).
 */
describe('group meeting in Chromium (facilitator and two members)', function () {
  this.timeout(300_000);
  let live: LiveHaven;
  let fx: GroupMeetingFixture;
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];

  async function pageFor(person: TestPerson): Promise<Page> {
    const page = await chromiums.signedInPage(person, live, { viewport: { width: 800, height: 900 } });
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  async function enterFromGroupPage(page: Page): Promise<void> {
    await page.goto(`${live.baseUrl}/groups/${fx.groupId}`);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
  }

  before(async () => {
    live = await startLiveHaven();
    await ensureAdmin(live.haven);
    fx = await groupMeetingFixture(live.haven, [
      { realName: 'Alice Realname', pseudonym: 'Blue Heron' },
      { realName: 'Bob Realname', pseudonym: 'Quiet Fox' },
    ]);
  });
  after(async () => {
    await chromiums.close();
    await live?.stop();
  });

  it('lobby, everyone decodes the facilitator, a mute silences that member for everyone; hand, report, remove', async () => {
    const [alice, bob] = fx.members as [GroupMeetingFixture['members'][0], GroupMeetingFixture['members'][0]];
    const f = await pageFor(fx.facilitator);
    await enterFromGroupPage(f);
    await f.locator('#panel-call').waitFor({ state: 'visible' });
    const facilitatorId = (await f.locator('#room').getAttribute('data-self-id')) as string;
    assert.notEqual(facilitatorId, fx.facilitator.user.id);

    const a = await pageFor(alice);
    const b = await pageFor(bob);
    for (const p of [a, b]) {
      await enterFromGroupPage(p);
      // A failed wait names the panel the page shows instead (it failed once in a full e2e run).
      await p
        .locator('#panel-waiting')
        .getByText('A facilitator will let you in.')
        .waitFor()
        .catch(async (e: Error) => {
          throw new Error(
            `${e.message}\nthe page showed: ${await roomPanelState(p)}; page errors: ${problems.join(' | ')}`,
          );
        });
    }
    // The lobby shows group names; admit everyone at once.
    await f.getByRole('button', { name: 'Admit Blue Heron' }).waitFor();
    await f.getByRole('button', { name: 'Admit Quiet Fox' }).waitFor();
    await f.getByRole('button', { name: 'Admit everyone' }).click();

    for (const p of [f, a, b]) {
      await until(
        p,
        'both others seen and heard',
        (s) => s.videoTracksDecoding >= 2 && s.audioTracksReceiving >= 2,
        90_000,
      );
    }
    // Both members decode the facilitator's own video (its tile is playing frames that keep coming).
    for (const p of [a, b]) {
      const first = await until2(
        'facilitator video',
        () => framesShown(p, facilitatorId),
        (n) => n > 0,
      );
      await until2(
        'facilitator video keeps playing',
        () => framesShown(p, facilitatorId),
        (n) => n > first + 5,
      );
    }

    // Nothing on a member's page names another member by real name, email or user id.
    const html = await b.content();
    for (const leak of [alice.user.displayName, alice.email, alice.user.id, fx.facilitator.user.id]) {
      assert.ok(!html.includes(leak), `Bob's page carries ${leak}`);
    }
    assert.ok(html.includes('Blue Heron'));

    // The facilitator mutes Blue Heron: her consumer closes on both other pages, and the audio
    // packets they receive drop to one voice's rate (two voices before).
    assert.equal(await audioSinks(f), 2);
    assert.equal(await audioSinks(b), 2);
    const rateBefore = await Promise.all([f, b].map((p) => audioRate(p)));
    await f.getByRole('button', { name: 'Mute Blue Heron' }).click();
    for (const p of [f, b])
      await until2(
        'her consumer closed',
        () => audioSinks(p),
        (n) => n === 1,
      );
    const rateAfter = await Promise.all([f, b].map((p) => audioRate(p)));
    process.stdout.write(
      `      audio packets/s received (facilitator, Quiet Fox): before ${rateBefore.join(', ')}; after the mute ${rateAfter.join(', ')}\n`,
    );
    rateAfter.forEach((after, i) =>
      assert.ok(after < (rateBefore[i] as number) * 0.7, 'her audio still arrives'),
    );
    // The other voice still flows (the mute was hers only), and her own page cannot unmute.
    const heard = (await roomStats(b)).audioPacketsReceived;
    await until(b, 'the facilitator still heard', (s) => s.audioPacketsReceived > heard + 20);
    await a.getByText('A facilitator muted you.').waitFor({ state: 'attached' });
    assert.equal(await a.locator('#btn-mic').isDisabled(), true);
    const room = live.haven.rooms.live.admitted({ id: alice.user.id, displayName: '', roles: [] }, fx.roomId);
    const audioOfHers = room.live.media
      ?.producers()
      .filter((p) => p.peerId === alice.user.id && p.kind === 'audio');
    assert.deepEqual(audioOfHers, [], 'the server holds no audio of hers');

    // Unmuted by the facilitator, her voice comes back for everyone.
    await f.getByRole('button', { name: 'Unmute Blue Heron' }).click();
    for (const p of [f, b])
      await until2(
        'her voice back',
        () => audioSinks(p),
        (n) => n === 2,
      );

    // A raised hand shows on the facilitator's list; a report reaches the facilitator at once.
    await b.getByRole('button', { name: 'Raise hand' }).click();
    await f.locator('#meeting-members').getByText('Quiet Fox (hand raised)').waitFor();
    await b.getByLabel('About').selectOption({ label: 'Blue Heron' });
    await b.getByLabel('What happened').fill('Asked for my number');
    await b.getByRole('button', { name: 'Send to the facilitator' }).click();
    await f
      .locator('#meeting-reports')
      .getByText('Quiet Fox reported Blue Heron: Asked for my number')
      .waitFor();

    // Removed: out at once, and the meeting cannot be entered again.
    f.once('dialog', (d) => void d.accept());
    await f.getByRole('button', { name: 'Remove Quiet Fox from this meeting' }).click();
    await b.locator('#panel-ended').getByText('You were removed from the meeting').waitFor();
    await b.goto(`${live.baseUrl}/groups/${fx.groupId}/meetings/${fx.meetingId}`);
    assert.match(await b.content(), /You were removed from this meeting/);
    assert.deepEqual(problems, []);
  });
});
