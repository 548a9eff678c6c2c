import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { formatDateTime, formatTime } from '../../server/shared/date-time-format';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { makeBookable } from '../support/practice';
import { signInInBrowser } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

/** In Chromium: a client in Kolkata books a New York therapist's slot shown in Kolkata time; the therapist sees it in New York time. */
describe('scheduling in Chromium: client books in their zone, therapist sees it in theirs', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let browser: Browser;
  let base: string;
  let therapist: TestPerson;
  let client: TestPerson;

  before(async () => {
    live = await startLiveHaven({ media: false });
    base = live.baseUrl;
    const admin = await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, {
      roles: ['therapist'],
      displayName: 'Theo Therapist',
      timeZone: 'America/New_York',
    });
    client = await createPerson(live.haven, {
      roles: ['client'],
      displayName: 'Asha Client',
      timeZone: 'Asia/Kolkata',
    });
    const staff = { id: therapist.user.id, roles: therapist.user.roles };
    await live.haven.scheduling.schedule.saveSchedule(staff, therapist.user.id, {
      timeZone: 'America/New_York',
      minNoticeMinutes: 120,
      horizonDays: 14,
      slotStepMinutes: 60,
      bookingMode: 'direct',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    });
    await live.haven.scheduling.schedule.createType(
      admin ? { id: admin.user.id, roles: admin.user.roles } : staff,
      {
        name: 'Individual session',
        durationMinutes: 50,
        format: 'video',
        kind: 'individual',
        bufferAfterMinutes: 10,
      },
    );
    await makeBookable(live.haven, therapist.user, admin!.user);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  it('works end to end with no errors in the page', async () => {
    const clientContext = await browser.newContext({ locale: 'en-US' });
    const page = await clientContext.newPage();
    const problems = watchForProblems(page);
    await signInInBrowser(page, client, live);

    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await page.getByRole('button', { name: 'Book an appointment' }).click();
    await page.getByLabel('Therapist').selectOption({ label: 'Theo Therapist' });
    await page.getByLabel('Kind of appointment').selectOption({ label: 'Individual session (50 min)' });
    assert.equal(await page.getByLabel('Show times in').inputValue(), 'Asia/Kolkata');
    await page.getByRole('button', { name: 'Show free times' }).click();
    await page.getByText(/Times are in Asia\/Kolkata \(GMT\+5:30\)/).waitFor();

    // The day picker: the client's third day (more than 24 h ahead, outside the late window),
    // chosen by its link, then that day's first time.
    await page
      .locator('.day-grid li')
      .filter({ has: page.locator('a.day') })
      .nth(2)
      .locator('a')
      .click();
    await page.getByRole('heading', { name: /^Free times on / }).waitFor();
    const slot = page.locator('input[name="start"]').first();
    const start = new Date((await slot.getAttribute('value'))!);
    const shown = (await page.locator('.time-option').first().textContent())!.trim();
    const inKolkata = DateTime.fromJSDate(start, { zone: 'Asia/Kolkata' });
    const inNewYork = DateTime.fromJSDate(start, { zone: 'America/New_York' });
    assert.equal(
      shown,
      formatTime(start, { locale: 'en-US', timeZone: 'Asia/Kolkata' }),
      'the time shows the client’s wall-clock time',
    );
    assert.ok(inKolkata.toISODate()! > DateTime.now().setZone('Asia/Kolkata').toISODate()!, 'a later day');
    assert.equal(inNewYork.minute, 0, 'times start on the therapist’s hour');
    assert.ok(inNewYork.hour >= 8 && inNewYork.hour < 20, 'inside the therapist’s New York hours');

    await slot.check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Review your booking' }).waitFor();
    assert.equal(
      (await page.locator('.review-when').textContent())!.split('–')[0],
      formatDateTime(start, { locale: 'en-US', timeZone: 'Asia/Kolkata' }),
      'the review names the time in the client’s zone',
    );
    await page.getByLabel(/Anything your therapist should know/).fill('Trouble sleeping');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByRole('heading', { name: 'Appointment', exact: true }).waitFor();
    const row = page.locator('article.appointment');
    assert.equal(
      (await row.locator('.appointment-when').textContent())!.split('–')[0],
      // Chromium asks for en-US: the page writes dates the way that reader does.
      formatDateTime(start, { locale: 'en-US', timeZone: 'Asia/Kolkata' }),
    );
    assert.equal(await row.locator('.appointment-zone').textContent(), 'Asia/Kolkata (GMT+5:30)');
    await page.getByText(/You can move or cancel free of charge until/).waitFor();
    assert.deepEqual(problems, []);
    await clientContext.close();

    const therapistContext = await browser.newContext({ locale: 'en-US' });
    const tPage = await therapistContext.newPage();
    const tProblems = watchForProblems(tPage);
    await signInInBrowser(tPage, therapist, live);

    await tPage.goto(`${base}/appointments`);
    const tRow = tPage.locator('#upcoming article.appointment');
    await tRow.first().waitFor();
    assert.equal(await tRow.count(), 1);
    assert.equal(
      (await tRow.locator('.appointment-when').textContent())!.split('–')[0],
      formatDateTime(start, { locale: 'en-US', timeZone: 'America/New_York' }),
    );
    assert.match(
      (await tRow.locator('.appointment-zone').textContent())!,
      /^America\/New_York \((EST|EDT|GMT-5|GMT-4)\)$/,
    );
    assert.match((await tRow.textContent())!, /With Asha Client/);
    // Join is not open yet (hours ahead): a disabled button and when it opens.
    assert.equal(await tRow.getByRole('button', { name: 'Join' }).isDisabled(), true);
    // The therapist may read the reason (audited); it is on the details page only on request.
    await tRow.getByRole('link', { name: 'Details' }).click();
    await tPage.getByRole('link', { name: /Show the reason/ }).click();
    await tPage.getByText('Trouble sleeping').waitFor();
    assert.deepEqual(tProblems, []);
    await therapistContext.close();
  });
});
