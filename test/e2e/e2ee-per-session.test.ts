import '../support/media-worker';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { admitAndTimeJoin, e2eeOf, untilRoomStats as until } from '../support/room-page';
import { actor, individualType } from '../integration/scheduling/scheduling-fixtures';

/** Screenshots for people to look at (kept out of the repository; a temporary folder when not set). */
const SCREENS = process.env.HAVEN_SCREENS_DIR ?? tmpdir();
const SAFETY_CODE = /^\d{5}( \d{5}){4}$/;
const MINUTE = 60_000;

/**
 * The therapist's per-session choice (issue 23, item 3) in Debian's Chromium, ROOM_E2EE=per-session:
 * the therapist turns end-to-end encryption on for Alex's appointment on its page; the client reads it
 * there and in the waiting room; both room pages say "End-to-end encrypted", decode each other's video
 * through the encrypted frames and show the same safety code. Blake's appointment with the same
 * therapist, not chosen, is a plain session on both pages.
 */
describe('the per-session choice of end-to-end encryption in Chromium', function () {
  this.timeout(300_000);
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];
  let live: LiveHaven;
  let therapist: TestPerson;
  let alex: TestPerson;
  let blake: TestPerson;
  let alexs: string;
  let blakes: string;

  /** Both pages decode the other's video and hear their audio; each says `state` about encryption. */
  async function bothDecoding(pages: readonly Page[], state: 'on' | 'off'): Promise<void> {
    for (const p of pages)
      await until(
        p,
        `video and audio both ways (${state})`,
        (x) => x.videoFramesDecoded > 0 && x.audioPacketsReceived > 0,
      );
    for (const p of pages) {
      const e = await e2eeOf(p);
      assert.equal(e.state, state);
      if (state === 'off') assert.equal(e.frames, null, 'no frame goes through the encryption worker');
      else
        assert.ok((e.frames?.encrypted ?? 0) > 0 && (e.frames?.decrypted ?? 0) > 0, JSON.stringify(e.frames));
    }
  }

  async function pageFor(person: TestPerson, width: number): Promise<Page> {
    const page = await chromiums.signedInPage(person, live, { viewport: { width, height: 844 } });
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  before(async () => {
    // Both appointments' rooms open now: Alex's starts in 5 minutes, Blake's after it (two hours' opening).
    live = await startLiveHaven({ env: { ROOM_E2EE: 'per-session', ROOM_OPEN_BEFORE_MINUTES: '120' } });
    const admin = await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    alex = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    blake = await createPerson(live.haven, { roles: ['client'], displayName: 'Blake' });
    const type = await individualType(live.haven, admin!.user);
    const book = async (client: TestPerson, inMinutes: number) => {
      await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
      const { id } = await live.haven.scheduling.booking.bookForClient(actor(therapist.user), {
        typeId: type.id,
        clientIds: [client.user.id],
        start: new Date(Date.now() + inMinutes * MINUTE).toISOString(),
      });
      // Each client has confirmed the session's safety check (location, callback number) already.
      await live.haven.clinical.intake.recordSafetyCheck(
        { id: client.user.id, roles: client.user.roles, ip: null },
        { appointmentId: id, location: 'Home', callbackNumber: '+44 113 496 0123' },
      );
      return id;
    };
    alexs = await book(alex, 5);
    blakes = await book(blake, 70);
  });
  after(async () => {
    await chromiums.close();
    await live?.stop();
  });

  it('turned on for one appointment through its page: both pages encrypted and decoding; another appointment plain', async () => {
    // The therapist chooses on the appointment's page (a plain form).
    const t = await pageFor(therapist, 1280);
    await t.goto(`${live.baseUrl}/appointments/${alexs}`);
    await t.getByText('This session will not be end-to-end encrypted.').waitFor();
    await t.getByRole('radio', { name: /^On: only the browsers in the session/ }).check();
    await t.getByRole('button', { name: 'Save' }).click();
    await t.getByText('End-to-end encryption is on for this session.').waitFor();
    await t.getByText('This session will be end-to-end encrypted.').waitFor();
    assert.equal(await t.getByRole('radio', { name: /^On:/ }).isChecked(), true);
    await t.locator('#encryption').scrollIntoViewIfNeeded();
    await t.screenshot({ path: `${SCREENS}/e2ee-choice-therapist-1280.png`, fullPage: true });
    await t.setViewportSize({ width: 390, height: 844 });
    await t.screenshot({ path: `${SCREENS}/e2ee-choice-therapist-390.png`, fullPage: true });
    await t.setViewportSize({ width: 1280, height: 844 });

    // The client reads it on their appointment's page, with no form to change it.
    const a = await pageFor(alex, 390);
    await a.goto(`${live.baseUrl}/appointments/${alexs}`);
    await a.getByText('This session will be end-to-end encrypted.').waitFor();
    assert.equal(await a.getByRole('button', { name: 'Save' }).count(), 0);
    await a.screenshot({ path: `${SCREENS}/e2ee-choice-client-390.png`, fullPage: true });

    // Into the room from the appointment's page; the client waits, told it is encrypted.
    await t.getByRole('button', { name: 'Join' }).click();
    await t.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    await t.locator('#panel-call').waitFor({ state: 'visible' });
    await t.locator('#e2ee-on').getByText('End-to-end encrypted.').waitFor();
    await a.getByRole('button', { name: 'Join' }).click();
    await a.locator('#panel-waiting').waitFor({ state: 'visible' });
    await a.locator('#e2ee-on').getByText('End-to-end encrypted.').waitFor();
    const join = await admitAndTimeJoin(t, a, 'Alex');
    await bothDecoding([t, a], 'on');
    const codes = await Promise.all([t, a].map((p) => p.locator('#e2ee-code-digits').textContent()));
    assert.match(codes[0] ?? '', SAFETY_CODE);
    assert.equal(codes[1], codes[0], 'both pages show the same safety code');
    await t.getByRole('button', { name: 'Leave' }).click();
    await a.context().close();

    // Blake's appointment with the same therapist was not chosen: a plain session on both pages.
    const b = await pageFor(blake, 390);
    await b.goto(`${live.baseUrl}/appointments/${blakes}`);
    await b.getByText('This session will not be end-to-end encrypted.').waitFor();
    await t.goto(`${live.baseUrl}/rooms/appointment/${blakes}`);
    await t.locator('#panel-call').waitFor({ state: 'visible' });
    await t.locator('#e2ee-off').getByText('Not end-to-end encrypted.').waitFor();
    await b.goto(`${live.baseUrl}/rooms/appointment/${blakes}`);
    await b.locator('#panel-waiting').waitFor({ state: 'visible' });
    await b.locator('#e2ee-off').getByText('Not end-to-end encrypted.').waitFor();
    await admitAndTimeJoin(t, b, 'Blake');
    await bothDecoding([t, b], 'off');
    assert.equal(await b.locator('#e2ee-code').isVisible(), false, 'no safety code in a plain session');
    process.stdout.write(`      join time (click Admit → first decoded frame), chosen E2EE: ${join.ms} ms\n`);
    assert.deepEqual(problems, []);
  });
});
