import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

const PHQ9 = [2, 2, 1, 1, 1, 1, 1, 0, 0]; // 9: mild, item 9 at 0
const GAD7 = [2, 2, 2, 1, 1, 1, 1]; // 10: moderate
const PHQ9_LATER = [1, 1, 1, 0, 0, 0, 0, 0, 0]; // 3: minimal

async function answer(page: Page, measure: 'phq9' | 'gad7', answers: number[]): Promise<void> {
  for (const [i, value] of answers.entries()) {
    await page.locator(`input[name="${measure}_${i}"][value="${value}"]`).check();
  }
}

/** In Chromium: a client signs consent, completes intake and a PHQ-9; their therapist sees the score and chart. */
describe('clinical care in Chromium: intake and PHQ-9 → the therapist sees score and chart', function () {
  // Two browser sessions and two sign-ins (argon2): generous on a busy 2-core machine.
  this.timeout(240_000);
  let live: LiveHaven;
  let browser: Browser;
  let base: string;
  let therapist: TestPerson;
  let client: TestPerson;

  before(async () => {
    live = await startLiveHaven({ media: false });
    base = live.baseUrl;
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey Client' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  it('works end to end with no errors in the page', async () => {
    const clientContext = await browser.newContext();
    const page = await clientContext.newPage();
    const problems = watchForProblems(page);

    await signInInBrowser(page, client, live);

    await page.goto(`${base}/clinical/intake`);
    await page.getByRole('heading', { name: 'Telehealth consent' }).waitFor();
    await page.getByLabel('Type your full name to sign').fill('Casey Client');
    await page.getByRole('button', { name: 'I agree and sign' }).click();

    await page.getByRole('heading', { name: 'Getting started' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Jordan Client');
    await page.getByLabel('Phone', { exact: true }).fill('+1 503 555 0100');
    await page
      .getByLabel('Where do you live? (city, state or province, country)')
      .fill('Portland, Oregon, USA');
    await page.getByLabel('What brings you here?').fill('I worry a lot and sleep badly.');
    await page.getByLabel('What would you like to be different?').fill('Sleep through the night.');
    await page.getByRole('checkbox', { name: 'anxiety' }).check();
    await answer(page, 'phq9', PHQ9);
    await answer(page, 'gad7', GAD7);
    await page.getByRole('button', { name: 'Finish intake' }).click();
    await page.getByRole('heading', { name: 'Therapists for you' }).waitFor();

    await page.goto(`${base}/clinical/measures/phq9`);
    await answer(page, 'phq9', PHQ9_LATER);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByText('Your score: 3 of 27 (Minimal).').waitFor();
    assert.equal(
      await page.getByText('Please reach out now').count(),
      0,
      'no crisis resources without an item-9 answer',
    );
    assert.deepEqual(problems, []);
    await clientContext.close();

    // The therapist signs in (password, then the authenticator code) and opens the client's record.
    const therapistContext = await browser.newContext();
    const tPage = await therapistContext.newPage();
    const tProblems = watchForProblems(tPage);
    await signInInBrowser(tPage, therapist, live);

    await tPage.goto(`${base}/clinical`);
    await tPage.getByRole('link', { name: 'Casey Client', exact: true }).click();
    await tPage.getByRole('heading', { name: 'Casey Client' }).waitFor();
    const chart = tPage.getByRole('img', { name: 'PHQ-9 scores over time' });
    await chart.waitFor();
    assert.ok(await chart.isVisible(), 'the PHQ-9 chart is drawn');
    assert.equal(await tPage.locator('svg#chart-phq9, svg[aria-labelledby^="chart-phq9"] circle').count(), 2);
    const table = tPage.getByRole('table', { name: 'PHQ-9 scores' });
    assert.deepEqual(
      (await table.locator('tbody tr td:nth-child(2)').allTextContents()).map((s) => s.trim()),
      ['9', '3'],
    );
    await tPage.getByText('Change since intake: -6').waitFor();

    // A new note autosaves its draft in the background (no submit), and the text survives a reload.
    await tPage.getByRole('button', { name: 'Start note' }).click();
    await tPage.getByLabel('Subjective').fill('Sleeping better since the worry-time exercise.');
    await tPage.getByText(/Draft saved at/).waitFor({ timeout: 20_000 });
    await tPage.reload();
    assert.equal(
      await tPage.getByLabel('Subjective').inputValue(),
      'Sleeping better since the worry-time exercise.',
    );
    assert.deepEqual(tProblems, []);
    await therapistContext.close();
  });
});
