import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { formatDateTime, formatTime } from '../../server/shared/date-time-format';
import { createPerson, ensureAdmin, forgetUsedCodes, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { makeBookable } from '../support/practice';
import { startTestHaven, type TestHaven } from '../support/test-haven';

function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  return problems;
}

async function setZone(t: TestHaven, person: TestPerson, zone: string): Promise<void> {
  // Direct: the profile form's list (Intl) names India Asia/Calcutta, not the IANA Asia/Kolkata.
  await t.haven.sequelize.query('UPDATE users SET time_zone = ? WHERE id = ?', {
    replacements: [zone, person.user.id],
  });
}

/** In Chromium: a client in Kolkata books a New York therapist's slot shown in Kolkata time; the therapist sees it in New York time. */
describe('scheduling in Chromium: client books in their zone, therapist sees it in theirs', function () {
  this.timeout(240_000);
  let t: TestHaven;
  let server: Server;
  let browser: Browser;
  let base: string;
  let therapist: TestPerson;
  let client: TestPerson;

  before(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestHaven({ env: { PUBLIC_URL: base } });
    server.on('request', t.haven.http);
    const admin = await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    client = await createPerson(t.haven, { roles: ['client'], displayName: 'Asha Client' });
    await setZone(t, therapist, 'America/New_York');
    await setZone(t, client, 'Asia/Kolkata');
    const staff = { id: therapist.user.id, roles: therapist.user.roles };
    await t.haven.scheduling.schedule.saveSchedule(staff, therapist.user.id, {
      timeZone: 'America/New_York',
      minNoticeMinutes: 120,
      horizonDays: 14,
      slotStepMinutes: 60,
      bookingMode: 'direct',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    });
    await t.haven.scheduling.schedule.createType(
      admin ? { id: admin.user.id, roles: admin.user.roles } : staff,
      {
        name: 'Individual session',
        durationMinutes: 50,
        format: 'video',
        kind: 'individual',
        bufferAfterMinutes: 10,
      },
    );
    await makeBookable(t.haven, therapist.user, admin!.user);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.stop();
  });

  it('works end to end with no errors in the page', async () => {
    const clientContext = await browser.newContext({ locale: 'en-US' });
    const page = await clientContext.newPage();
    const problems = watchForProblems(page);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email address').fill(client.email);
    await page.getByLabel('Password').fill(client.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

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
    await tPage.goto(`${base}/sign-in`);
    await tPage.getByLabel('Email address').fill(therapist.email);
    await tPage.getByLabel('Password').fill(therapist.password);
    await tPage.getByRole('button', { name: 'Sign in' }).click();
    await tPage.getByRole('heading', { name: 'Enter your sign-in code' }).waitFor();
    await forgetUsedCodes(t.haven, therapist.user.id);
    await tPage
      .getByRole('textbox', { name: 'Code' })
      .fill(t.haven.accounts.twoFactor.currentCode(therapist.totpSecret!));
    await tPage.getByRole('button', { name: 'Continue' }).click();
    await tPage.getByRole('button', { name: 'Sign out' }).waitFor();

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
