import '../support/media-worker';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import {
  axeViolations,
  focusRingProblems,
  horizontalOverflow,
  SCREENSHOTS_DIR,
} from '../support/page-checks';
import { untilRoomStats as until } from '../support/room-page';

const SHOTS = join(SCREENSHOTS_DIR, 'room');

/** Where an element is on screen, or null when it is not rendered. */
const boxOf = (page: Page, selector: string) => page.locator(selector).first().boundingBox();

/**
 * The session room on phones (390 × 844 and 320 × 640) and a laptop (1280 × 800), with real media: the room has its own thin
 * header instead of the site menu, the call fills the screen with the controls in reach, a knocking
 * client floats above the call for the therapist, and the page never scrolls sideways. axe-core and
 * the focus-ring check run on the live call too (the every-page check only sees it connecting).
 */
describe('session room on a phone (and on a laptop)', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  const clients: TestPerson[] = [];
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function phone(person: TestPerson, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const page = await context.newPage();
    await signInInBrowser(page, person, live, { via: 'cookie' });
    return page;
  }

  async function assertFitsAndAccessible(page: Page, what: string): Promise<void> {
    const fit = await horizontalOverflow(page);
    assert.ok(
      fit.scrollWidth <= fit.innerWidth,
      `${what}: ${fit.scrollWidth}px wide; ${fit.culprits.join('; ')}`,
    );
    assert.deepEqual(await axeViolations(page), [], `${what}: axe-core`);
    assert.deepEqual((await focusRingProblems(page)).problems, [], `${what}: focus rings`);
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveHaven();
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    // One client per screen size, so each test starts with a fresh room and a fresh waiting room.
    for (const name of ['Sam', 'Kim', 'Lee']) {
      const client = await createPerson(live.haven, { roles: ['client'], displayName: name });
      await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
      clients.push(client);
    }
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await live?.stop();
  });

  for (const [i, [width, height]] of (
    [
      [390, 844],
      [320, 640],
      [1280, 800],
    ] as const
  ).entries()) {
    it(`${width} × ${height}: own header, a knock over the call, video filling the screen, controls in reach`, async () => {
      const client = clients[i]!;
      const name = client.user.displayName;
      const room = await live.haven.rooms.access.openAdhoc(
        { id: therapist.user.id, displayName: therapist.user.displayName, roles: therapist.user.roles },
        [client.user.id],
        null,
      );
      const url = `${live.baseUrl}/rooms/${room.id}`;
      const host = await phone(therapist, width, height);
      await host.goto(url);
      await host.locator('#panel-call').waitFor({ state: 'visible' });

      // The room's own header: no site menu, no footer, a way to crisis help that keeps the call.
      assert.equal(await host.locator('.site-header, .site-footer').count(), 0);
      assert.equal(await host.getByText('Menu', { exact: true }).count(), 0);
      assert.equal(await host.locator('.room-title').textContent(), `Session with ${name}`);
      const help = host.getByRole('link', { name: /Crisis help/ });
      assert.equal(await help.getAttribute('target'), '_blank');

      const guest = await phone(client, width, height);
      await guest.goto(url);
      await guest.locator('#panel-waiting').waitFor({ state: 'visible' });
      await guest.screenshot({ path: join(SHOTS, `client-waiting@${width}.png`) });
      await assertFitsAndAccessible(guest, 'client in the waiting room');

      // The knock floats over the therapist's call, inside the screen, with Admit in reach.
      const admit = host.getByRole('button', { name: `Admit ${name}` });
      await admit.waitFor();
      const knock = await boxOf(host, '.waiting-list');
      assert.ok(
        knock && knock.y >= 0 && knock.y + knock.height <= height,
        `waiting list on screen: ${JSON.stringify(knock)}`,
      );
      await host.screenshot({ path: join(SHOTS, `therapist-knock@${width}.png`) });
      await admit.click();

      for (const page of [host, guest]) {
        await until(page, 'remote video decoding', (s) => s.videoFramesDecoded > 0 && s.remoteVideoTiles > 0);
      }
      for (const [who, page] of [
        ['therapist', host],
        ['client', guest],
      ] as const) {
        // The call fills most of the screen; the other person's tile is the large one, self the small.
        const stage = await boxOf(page, '#stage');
        assert.ok(stage && stage.height >= height * 0.45, `${who}: stage ${stage?.height}px of ${height}px`);
        const remote = await boxOf(page, '#stage .tile:not(.self)');
        const self = await boxOf(page, '#stage .tile.self');
        assert.ok(
          remote && self && remote.width * remote.height > 3 * self.width * self.height,
          `${who}: tiles`,
        );
        // Mute and Leave are on the first screen without scrolling.
        for (const name of ['Mute', 'Leave']) {
          const b = await page.getByRole('button', { name, exact: true }).boundingBox();
          assert.ok(b && b.y >= 0 && b.y + b.height <= height, `${who}: ${name} at ${JSON.stringify(b)}`);
        }
        await page.screenshot({ path: join(SHOTS, `${who}-call@${width}.png`) });
        await assertFitsAndAccessible(page, `${who} in the call`);
      }

      // Chat sits below the call on a phone; "Chat" jumps to it and the controls stay pinned.
      const chatJump = guest.getByRole('link', { name: 'Chat', exact: true });
      if (width < 900) await chatJump.click();
      else assert.equal(await chatJump.count(), 0, 'on a laptop the chat sits beside the call');
      await guest.getByRole('textbox', { name: 'Message' }).fill('Hello from my phone');
      await guest.getByRole('button', { name: 'Send' }).click();
      await host.locator('#chat-log').getByText('Hello from my phone').waitFor();
      const leave = await guest.getByRole('button', { name: 'Leave', exact: true }).boundingBox();
      assert.ok(leave && leave.y + leave.height <= height, 'controls pinned while reading the chat');
      await guest.screenshot({ path: join(SHOTS, `client-chat@${width}.png`) });

      await guest.getByRole('button', { name: 'Leave', exact: true }).click();
      await host.getByRole('button', { name: 'Leave', exact: true }).click();
    });
  }
});
