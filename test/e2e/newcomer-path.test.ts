import '../support/media-worker';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { enrolTwoFactor, linkInMail, watchForProblems } from '../support/browser-steps';
import { signInInBrowser } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { untilRoomStats } from '../support/room-page';
import { SmtpSink } from '../support/smtp-sink';

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'newcomer');

/**
 * A zone where it is daytime now, so the therapist's 00:00–23:55 hours hold a 50-minute session
 * starting within minutes whatever the hour the test runs (the browser reports it at sign-up).
 */
function daytimeZone(): string {
  const zones = ['Europe/Lisbon', 'America/Chicago', 'Pacific/Honolulu', 'Asia/Tokyo', 'Asia/Kolkata'];
  return zones.find((z) => DateTime.now().setZone(z).hour >= 2 && DateTime.now().setZone(z).hour < 21)!;
}

/**
 * The newcomer path (issue 14), through the pages only, on a fresh install: /setup → the admin
 * turns on two-factor and invites a therapist (with the licence they checked) → the therapist
 * accepts, enrols two-factor, fills in their profile and hours (the default kinds are there) → a
 * client signs up on a 390 px phone in their own time zone, confirms the email, signs the consent,
 * answers the intake and books → both Join from their home, the client confirms the safety check
 * and waits, the therapist admits → video flows both ways → the therapist ends the session → the
 * appointment shows as completed → client and therapist message each other. No admin step after
 * the invitation, and no database shortcut anywhere.
 */
describe('the newcomer path in Chromium: fresh install to a first session and a message', function () {
  this.timeout(300_000);
  let sink: SmtpSink;
  let live: LiveHaven;
  let browser: Browser;
  let problems: string[] = [];
  let open: Array<[string, Page]> = [];
  let afterChecks: Array<() => void> = [];
  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

  // Each attempt gets its own fresh Haven (the e2e tier retries a failed test once: a second
  // attempt on the first one's Haven would find /setup done and the addresses taken).
  beforeEach(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    problems = [];
    open = [];
    afterChecks = [];
    sink = await SmtpSink.start();
    live = await startLiveHaven({
      env: { SMTP_URL: sink.url, MAIL_POLL_INTERVAL_MS: '100' },
      background: true,
    });
    browser = await launchChromium();
  });
  afterEach(async function () {
    // A failed walk leaves each person's last page for someone to look at (a CI artifact).
    if (this.currentTest?.state === 'failed') {
      for (const [who, page] of open) await shot(page, `failed-${who}`, false).catch(() => {});
    }
    await browser?.close();
    await live?.stop();
    await sink?.stop();
  });

  async function pageIn(who: string, width: number, timezoneId: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 844 }, timezoneId });
    const page = await context.newPage();
    open.push([who, page]);
    const seen = watchForProblems(page, who);
    afterChecks.push(() => problems.push(...seen));
    return page;
  }

  it('works end to end with no admin step after the invitation', async () => {
    const base = live.baseUrl;
    const stamp = Date.now();
    const adminEmail = `ada-${stamp}@example.org`;
    const therapistEmail = `theo-${stamp}@example.org`;
    const clientEmail = `casey-${stamp}@example.org`;
    const password = 'a quiet harbour at dawn 9';
    const therapistZone = daytimeZone();
    const clientZone = therapistZone === 'America/Chicago' ? 'Europe/Lisbon' : 'America/Chicago';

    // ── The admin: first run, two-factor, invitation with the licence they checked ──────────────
    const admin = await pageIn('admin', 1280, therapistZone);
    await admin.goto(`${base}/`);
    await admin.waitForURL(/\/setup$/);
    await admin.getByLabel('Clinic name').fill('Harbour Clinic');
    await admin.getByLabel('Your name').fill('Ada Admin');
    await admin.getByLabel('Your email address').fill(adminEmail);
    await admin.getByLabel('Password').fill(password);
    await admin.getByRole('button', { name: 'Create the admin account' }).click();
    await admin.getByLabel('Email address').fill(adminEmail);
    await admin.getByLabel('Password').fill(password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await enrolTwoFactor(admin);
    await admin.goto(`${base}/admin/people`);
    const invite = admin.locator('form', { has: admin.getByRole('button', { name: 'Send invitation' }) });
    await invite.getByLabel('Email address').fill(therapistEmail);
    await invite.locator('#f-invite-role').selectOption('therapist');
    await invite.getByText('Therapists: the licence you checked (optional)').click();
    await invite.getByLabel('Licence type (e.g. LPC, LCSW)').fill('LPC');
    await invite.getByLabel('Number').fill('OR-20391');
    await invite.getByLabel('Issuing state or country').fill('Oregon');
    await invite.getByLabel('Expires on').fill('2099-12-31');
    await invite.getByLabel('How you checked it (e.g. state board online lookup)').fill('Board lookup');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const invitation = await linkInMail(sink, therapistEmail, 'invite');
    await admin.context().close(); // the admin's part ends here

    // ── The therapist: accept, two-factor, profile, hours ───────────────────────────────────────
    const therapist = await pageIn('therapist', 1280, therapistZone);
    await therapist.goto(invitation);
    await therapist.getByLabel('Your name (as others will see it)').fill('Theo Marsh');
    await therapist.getByLabel('Password').fill(password);
    assert.equal(
      await therapist.getByLabel('Time zone').inputValue(),
      therapistZone,
      'browser zone proposed',
    );
    await therapist.getByRole('button', { name: 'Create my account' }).click();
    await enrolTwoFactor(therapist);
    await therapist.goto(`${base}/`);
    const setup = therapist.getByRole('article', { name: 'Before new clients can book you' });
    await setup.getByRole('link', { name: 'Your practice profile' }).click();
    await therapist.getByLabel('About you').fill('I work with adults facing anxiety and low mood.');
    await therapist.getByRole('checkbox', { name: 'anxiety' }).check();
    await therapist.getByRole('checkbox', { name: 'video' }).check();
    await therapist.getByRole('checkbox', { name: 'Accepting new clients' }).check();
    assert.equal(
      await therapist.getByLabel('Number').inputValue(),
      'OR-20391',
      'licence from the invitation',
    );
    await therapist.getByRole('button', { name: 'Save profile' }).click();
    await therapist.goto(`${base}/`);
    await setup.getByRole('link', { name: 'Your hours' }).click();
    for (let day = 1; day <= 7; day += 1) {
      await therapist.locator(`input[name="start_${day}"]`).fill('00:00');
      await therapist.locator(`input[name="end_${day}"]`).fill('23:55');
    }
    await therapist.locator('input[name="minNoticeHours"]').fill('0');
    await therapist.locator('input[name="slotStepMinutes"]').fill('5');
    await therapist.getByRole('button', { name: 'Save hours' }).click();
    const kinds = therapist.locator('#kinds').locator('..');
    for (const kind of ['Intake', 'Session', 'Couples session', 'Check-in']) {
      await kinds.locator(`input[name="name"][value="${kind}"]`).first().waitFor({ state: 'attached' });
    }
    await therapist.goto(`${base}/`);
    await therapist.getByRole('heading', { name: /^Today, / }).waitFor();
    assert.equal(await setup.count(), 0, 'profile, verified licence and hours: nothing left to set up');

    // ── The client, on a phone: sign up in their own zone, confirm, consent, intake, book ───────
    const client = await pageIn('client', 390, clientZone);
    await client.goto(`${base}/`);
    await client.getByRole('link', { name: 'Create an account' }).first().click();
    await client.getByLabel('Your name (as others will see it)').fill('Casey');
    await client.getByLabel('Email address').fill(clientEmail);
    await client.getByLabel('Password').fill(password);
    assert.equal(await client.getByLabel('Time zone').inputValue(), clientZone, 'browser zone proposed');
    await client.getByRole('button', { name: 'Create account' }).click();
    await client.getByRole('heading', { name: 'Check your email' }).waitFor();
    await client.goto(await linkInMail(sink, clientEmail, 'verify-email'));
    await client.getByRole('button', { name: 'Confirm my email address' }).click();
    await client.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInInBrowser(client, { email: clientEmail, password }, live);
    await client.getByRole('heading', { name: 'Before your first session' }).waitFor();
    await client.getByRole('button', { name: 'Continue' }).click();
    await client.getByLabel('Type your full name to sign').fill('Casey Newcomer');
    await client.getByRole('button', { name: 'I agree and sign' }).click();
    await client.getByLabel('Name', { exact: true }).fill('Sam Newcomer');
    await client.getByLabel('Phone', { exact: true }).fill('+1 312 555 0100');
    await client.getByLabel('Where do you live? (city, state or province, country)').fill('Chicago, USA');
    await client.getByLabel('What brings you here?').fill('I have been anxious at work.');
    await client.getByLabel('What would you like to be different?').fill('Feel calmer in meetings.');
    for (const [measure, items] of [
      ['phq9', 9],
      ['gad7', 7],
    ] as const) {
      // Mild answers; PHQ-9 item 9 (thoughts of self-harm) at 0, or the crisis page opens instead.
      for (let i = 0; i < items; i += 1) {
        const value = measure === 'phq9' && i === 8 ? 0 : 1;
        await client.locator(`input[name="${measure}_${i}"][value="${value}"]`).check();
      }
    }
    await client.getByRole('button', { name: 'Finish intake' }).click();
    await client.getByRole('heading', { name: 'Therapists for you' }).waitFor();
    await client.goto(`${base}/`);
    await shot(client, 'client-home-empty-390');
    // The therapist opens today's hours from the next few minutes (a client is offered starts an
    // appointment apart from the start of the hours, so the first time today is then minutes away
    // and Join opens at once).
    await therapist.goto(`${base}/schedule`);
    const soon = DateTime.now().setZone(therapistZone).plus({ minutes: 2 });
    const opensAt = soon.plus({ minutes: (5 - (soon.minute % 5)) % 5 });
    await therapist.locator(`input[name="start_${opensAt.weekday}"]`).fill(opensAt.toFormat('HH:mm'));
    await therapist.getByRole('button', { name: 'Save hours' }).click();
    await therapist.locator(`input[name="start_${opensAt.weekday}"]`).waitFor();

    await client.getByRole('button', { name: 'Book a session' }).click();
    await client.getByLabel('Therapist').selectOption({ label: 'Theo Marsh' });
    await client.getByLabel('Kind of appointment').selectOption({ label: 'Session (50 min)' });
    await client.getByRole('button', { name: 'Show free times' }).click();
    // A day picker and that day's times (issue 14 item 9), not two weeks of buttons: today is chosen.
    await client.getByRole('heading', { name: /^Free times on / }).waitFor();
    assert.equal(await client.locator('.day-grid [aria-current="date"]').count(), 1, 'one day chosen');
    const height = await client.evaluate<number>('document.documentElement.scrollHeight');
    assert.ok(height < 6000, `the booking page is a few screens on a phone, not ${height} px`);
    await shot(client, 'client-book-390');
    const first = client.locator('input[name="start"]').first();
    const start = new Date((await first.getAttribute('value'))!);
    assert.equal(
      start.getTime(),
      opensAt.startOf('minute').toMillis(),
      'the first time is when the hours open',
    );
    await first.check();
    await client.getByRole('button', { name: 'Continue' }).click();
    await client.getByRole('heading', { name: 'Review your booking' }).waitFor();
    await client
      .getByLabel('Anything your therapist should know beforehand (optional, private)')
      .fill('It is my first time in therapy.');
    await shot(client, 'client-book-review-390');
    await client.getByRole('button', { name: 'Book this time' }).click();
    await client.getByRole('heading', { name: 'Appointment' }).waitFor();

    // ── Both Join from their home; safety check; waiting room; admit; video both ways ──────────
    await client.goto(`${base}/`);
    await shot(client, 'client-home-booked-390');
    assert.match(
      (await client.locator('.appointment-zone').first().textContent()) ?? '',
      new RegExp(clientZone),
    );
    await client.getByRole('button', { name: 'Join' }).click();
    await client.getByRole('heading', { name: 'Before your session' }).waitFor();
    await client.getByLabel('Where are you right now? (address or place, city)').fill('Home, Chicago');
    await client.getByLabel('Callback phone number').fill('+1 312 555 0101');
    await client.getByRole('button', { name: 'Confirm' }).click();
    await client.locator('#panel-waiting').waitFor({ state: 'visible' });
    await shot(client, 'client-waiting-390');

    await therapist.goto(`${base}/`);
    await therapist.getByText('Casey is in the waiting room.').waitFor();
    await therapist.getByText('Safety check: Casey has confirmed where they are').waitFor();
    await shot(therapist, 'therapist-today-1280');
    await therapist.setViewportSize({ width: 390, height: 844 });
    await shot(therapist, 'therapist-today-390');
    await therapist.setViewportSize({ width: 1280, height: 844 });
    await therapist.getByRole('button', { name: 'Join' }).click();
    await therapist.getByRole('button', { name: 'Admit Casey' }).click();
    for (const [page, who] of [
      [client, 'client'],
      [therapist, 'therapist'],
    ] as const) {
      await untilRoomStats(page, `${who} decoding video and hearing audio`, (s) => {
        return s.videoFramesDecoded > 0 && s.audioPacketsReceived > 0 && s.videoFramesSent > 0;
      });
    }
    await shot(client, 'client-room-390');
    therapist.once('dialog', (d) => void d.accept()); // "End the session for everyone?"
    await therapist.getByRole('button', { name: 'End for everyone' }).click();
    await client.getByRole('heading', { name: 'The session has ended' }).waitFor();

    // ── After: completed on both sides; messages both ways ─────────────────────────────────────
    await therapist.goto(`${base}/appointments`);
    await therapist.locator('#past .appointment-status', { hasText: 'Completed' }).waitFor();
    await client.goto(`${base}/appointments`);
    await client.locator('#past .appointment-status', { hasText: 'Completed' }).waitFor();
    assert.equal(await client.locator('#upcoming').count(), 0, 'nothing upcoming, no Join left');

    await client.goto(`${base}/messages`);
    await client.getByRole('button', { name: 'Write to Theo Marsh' }).click();
    await client.locator('#body').fill('Thank you for today. See you next week?');
    await client.getByRole('button', { name: 'Send' }).click();
    await client.getByText('Thank you for today. See you next week?').waitFor();
    await therapist.goto(`${base}/messages`);
    await therapist.getByRole('link', { name: /Casey/ }).first().click();
    await therapist.getByText('Thank you for today. See you next week?').waitFor();
    await therapist.locator('#body').fill('Yes, same time works. Take care, Casey.');
    await therapist.getByRole('button', { name: 'Send' }).click();
    await client.goto(`${base}/messages`);
    await client
      .getByRole('link', { name: /Theo Marsh/ })
      .first()
      .click();
    await client.getByText('Yes, same time works. Take care, Casey.').waitFor();

    for (const collect of afterChecks) collect();
    assert.deepEqual(problems, []);
  });
});
