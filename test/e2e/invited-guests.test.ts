import '../support/media-worker';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { untilRoomStats as until } from '../support/room-page';
import { actor, individualType } from '../integration/scheduling/scheduling-fixtures';

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'guests');

/**
 * An interpreter joins a session (issue 23, item 1), in three Chromiums: the therapist invites them
 * from the appointment's page, the link arrives by email, the client sees who is invited while
 * waiting, the guest knocks and is let in, and all three decode each other's video and audio. The
 * interpreter's language is on their tile; the therapist pins it; the client asks for the guest's
 * removal and the therapist decides to keep them.
 */
describe('invited guest in Chromium (therapist, client, interpreter)', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let appointmentId: string;
  const chromiums = new ChromiumPerPerson();
  const problems: string[][] = [];
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

  let typeId: string;
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    live = await startLiveHaven();
    const admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    typeId = (await individualType(live.haven, admin.user)).id;
  });
  // Each attempt (CI retries an e2e once) gets its own people and appointment: a retry on the first
  // attempt's appointment would find its invitation already there and list the guest twice.
  beforeEach(async () => {
    problems.length = 0;
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const start = new Date(Date.now() + 5 * 60_000).toISOString();
    appointmentId = (
      await live.haven.scheduling.booking.bookForClient(actor(therapist.user), {
        typeId,
        clientIds: [client.user.id],
        start,
      })
    ).id;
    await live.haven.clinical.intake.recordSafetyCheck(
      { id: client.user.id, roles: client.user.roles, ip: null },
      { appointmentId, location: 'Home', callbackNumber: '+44 113 496 0123' },
    );
  });
  after(async () => {
    await chromiums.close();
    await live?.stop();
  });

  it('invites, knocks, admits, and all three decode each other; pin and a removal request work', async () => {
    // The therapist invites the interpreter from the appointment's page.
    const t = await chromiums.signedInPage(therapist, live, { viewport: { width: 1280, height: 900 } });
    problems.push(watchForProblems(t, 'therapist'));
    await t.goto(`${live.baseUrl}/appointments/${appointmentId}`);
    await t.getByRole('link', { name: 'Invite or remove guests' }).click();
    await t.getByLabel('Joins as').selectOption('interpreter');
    await t.getByLabel('Name the others will see').fill('Ana Ruiz');
    await t.getByLabel('Their email address (for the link)').fill('ana@interpreters.test');
    await t.getByLabel('Language (interpreters)').fill('Spanish');
    await t.getByRole('button', { name: 'Send the invitation' }).click();
    await t.getByText('Invitation sent to ana@interpreters.test.').waitFor();
    await t.getByText('Ana Ruiz').first().waitFor();
    await shot(t, 'therapist-guests-1280');

    const mail = (await live.haven.mail.outbox.list()).find((m) => m.to === 'ana@interpreters.test');
    const link = /https?:\/\/\S+\/guest\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
    assert.ok(link, 'the invitation email carries the link');

    // The client, waiting, sees who else is invited and as what.
    const c = await chromiums.signedInPage(client, live, { viewport: { width: 390, height: 844 } });
    problems.push(watchForProblems(c, 'client'));
    await c.goto(`${live.baseUrl}/rooms/appointment/${appointmentId}`);
    await c.locator('#panel-waiting').getByText('Ana Ruiz').waitFor();
    assert.match((await c.locator('.invited-guests').textContent()) ?? '', /interpreter \(Spanish\)/);
    await shot(c, 'client-waiting-390');

    // The interpreter opens the link on their own machine: no account, one button, then the waiting room.
    const g = await chromiums.anonymousPage({ viewport: { width: 390, height: 844 } });
    problems.push(watchForProblems(g, 'guest'));
    await g.goto(link);
    await shot(g, 'guest-link-390');
    await g.getByRole('button', { name: 'Join now' }).click();
    await g.locator('#panel-waiting').getByText('The therapist will let you in.').waitFor();
    assert.equal(await g.locator('#chat-form').count(), 0, 'a guest has no chat form');

    // The therapist enters and lets both in.
    await t.goto(`${live.baseUrl}/rooms/appointment/${appointmentId}`);
    await t.locator('#panel-call').waitFor({ state: 'visible' });
    await t.getByRole('button', { name: 'Admit Casey' }).click();
    await t.getByRole('button', { name: 'Admit Ana Ruiz' }).click();
    for (const [who, page] of [
      ['therapist', t],
      ['client', c],
      ['interpreter', g],
    ] as const) {
      await until(
        page,
        `${who} decoding two people's video and audio`,
        (s) => s.videoTracksDecoding >= 2 && s.audioTracksReceiving >= 2 && s.videoFramesDecoded > 0,
        60_000,
      );
    }

    // The interpreter's language is on their tile and in the list, for everyone.
    for (const page of [t, c]) {
      await page.locator('.tile figcaption', { hasText: 'Ana Ruiz · interpreter (Spanish)' }).waitFor();
      await page.locator('#people-list', { hasText: 'guest, interpreter (Spanish)' }).waitFor();
    }
    // The therapist pins the interpreter's tile.
    await t.getByRole('button', { name: 'Pin Ana Ruiz' }).click();
    await t.locator('.stage.has-pinned .tile.pinned figcaption', { hasText: 'Ana Ruiz' }).waitFor();
    await shot(t, 'therapist-call-pinned-1280');

    // Chat from now on reaches the interpreter; nothing from before did.
    await t.getByRole('textbox', { name: 'Message' }).fill('Welcome, Ana');
    await t.getByRole('button', { name: 'Send' }).click();
    await g.locator('#chat-log', { hasText: 'Welcome, Ana' }).waitFor();
    await shot(g, 'guest-call-390');

    // The client asks for the interpreter's removal; the therapist decides to keep them.
    await c.getByRole('button', { name: 'Ask to remove Ana Ruiz' }).click();
    await t.locator('#guest-removal', { hasText: 'asked for Ana Ruiz to be removed' }).waitFor();
    await shot(t, 'therapist-removal-asked-1280');
    await t.getByRole('button', { name: 'Keep them' }).click();
    assert.equal(await t.locator('#guest-removal').isVisible(), false);
    await shot(c, 'client-call-390');
    const still = await until(g, 'interpreter still in', (s) => s.videoTracksDecoding >= 2);
    assert.ok(still.audioTracksReceiving >= 2);

    assert.deepEqual(problems.flat(), []);
  });
});
