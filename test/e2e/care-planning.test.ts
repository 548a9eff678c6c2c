import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { listenOnLoopback, type LoopbackServer } from '../support/loopback-server';
import { horizontalOverflow } from '../support/page-checks';
import { startTestHaven, type TestHaven } from '../support/test-haven';

async function fitsWidth(page: Page): Promise<boolean> {
  const report = await horizontalOverflow(page);
  return report.scrollWidth <= report.innerWidth;
}

const PHQ9_BASELINE = [2, 2, 2, 2, 2, 2, 2, 2, 0]; // 16: moderately severe, item 9 at 0
const PHQ9_LATER = [1, 1, 1, 1, 1, 1, 1, 1, 0]; // 8: below the target of 10

/**
 * In Chromium: the therapist writes and signs a plan with a PHQ-9 target and assigns a thought record;
 * the client, on a phone-sized page, signs the plan and completes the thought record (autosaved, also
 * across a dropped connection); the therapist sees it beside the next note and the chart's target line.
 */
describe('care planning in Chromium: plan → client signs and does a thought record → beside the note', function () {
  this.timeout(300_000);
  let t: TestHaven;
  let loopback: LoopbackServer;
  let browser: Browser;
  let base: string;
  let therapist: TestPerson;
  let client: TestPerson;

  before(async () => {
    loopback = await listenOnLoopback();
    base = loopback.base;
    t = await startTestHaven({ env: { PUBLIC_URL: base } });
    loopback.serve(t.haven);
    await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    await t.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const me = { id: client.user.id, roles: client.user.roles };
    await t.haven.clinical.measures.submit(me, client.user.id, { measure: 'phq9', answers: PHQ9_BASELINE });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await loopback?.close();
    await t?.stop();
  });

  async function signIn(person: TestPerson, width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    // Waits are for conditions, never sleeps; on a loaded 2-core machine a sign-in (argon2) or a page
    // can take longer than Playwright's 30 s default, so the waits get longer, not fewer.
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    await signInInBrowser(page, person, { baseUrl: base, haven: t.haven });
    return { context, page };
  }

  it('works end to end on a desktop for the therapist and a phone for the client, with no page errors', async () => {
    const dueOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const byDay = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

    // ── The therapist writes and signs the plan, and assigns a thought record ───────────────────
    const th = await signIn(therapist, 1280);
    const thProblems = watchForProblems(th.page);
    await th.page.goto(`${base}/clinical/clients/${client.user.id}`);
    await th.page.getByRole('button', { name: /Care plan: diagnoses/ }).click();
    await th.page.getByRole('button', { name: 'Write a treatment plan' }).click();
    await th.page.getByRole('heading', { name: 'Treatment plan for Casey Client' }).waitFor();
    await th.page.getByLabel('Presenting problems').fill('Low mood and poor sleep since losing a job.');
    await th.page.getByLabel("In the client's words").first().fill('Enjoy my mornings again');
    await th.page.getByLabel('In clinical terms').first().fill('Reduce depressive symptoms');
    await th.page.getByRole('checkbox', { name: 'Behavioural activation' }).first().check();
    await th.page.getByLabel('Measurable objective').first().fill('PHQ-9 below 10');
    await th.page.getByLabel('Score target').first().selectOption('phq9');
    await th.page.getByLabel('Below').first().fill('10');
    await th.page.getByLabel('By', { exact: true }).first().fill(byDay);
    await th.page.getByRole('button', { name: /Save, sign and make it the active plan/ }).click();
    await th.page.getByRole('heading', { name: 'Treatment plan for Casey Client' }).waitFor();
    await th.page.getByText('Version 1, written by Theo Therapist.').waitFor();
    await th.page.goto(`${base}/clinical/clients/${client.user.id}/care`);
    await th.page.getByLabel('Exercise', { exact: true }).selectOption('thought_record');
    await th.page.getByLabel(/Instructions or journal prompt/).fill('Catch one thought on a hard morning.');
    await th.page.getByLabel('Due', { exact: true }).fill(dueOn);
    await th.page.getByRole('button', { name: 'Assign' }).click();
    await th.page.getByText('Exercise assigned.').waitFor();
    assert.deepEqual(thProblems, []);
    // The therapist stays signed in (as in a working day) and comes back to this page below.

    // ── The client, on a phone: signs the plan, completes the thought record ─────────────────────
    const cl = await signIn(client, 390);
    const clProblems = watchForProblems(cl.page);
    // The safety plan is one tap from every page: in the header, outside the phone menu.
    assert.ok(await cl.page.getByRole('link', { name: 'My safety plan' }).isVisible());
    await cl.page.goto(`${base}/clinical/me`);
    await cl.page.getByRole('link', { name: 'My treatment plan' }).click();
    await cl.page.getByRole('heading', { name: 'Treatment plan', exact: true }).waitFor();
    await cl.page.getByText('Enjoy my mornings again').waitFor();
    await cl.page.getByLabel('Your full name').fill('Casey Client');
    await cl.page.getByRole('button', { name: 'Sign my plan' }).click();
    await cl.page.getByText(/You signed as “Casey Client”/).waitFor();
    assert.ok(await fitsWidth(cl.page), 'the plan fits a phone');

    await cl.page.goto(`${base}/clinical/me`);
    await cl.page.getByRole('link', { name: 'Exercises between sessions' }).click();
    await cl.page.getByRole('link', { name: 'Thought record' }).click();
    await cl.page.getByText('Catch one thought on a hard morning.').waitFor();
    await cl.page
      .getByLabel('Situation: where were you, what happened?')
      .fill('Woke at 5am, thought about the job hunt.');
    await cl.page.getByText(/Draft saved at/).waitFor({ timeout: 20_000 });
    // The connection drops while they write; the answer is kept and sent when it is back.
    await cl.context.setOffline(true);
    await cl.page.getByLabel('The thought that went through your mind').fill('Nobody will ever hire me.');
    await cl.page.getByText(/Offline; will retry|Could not save just now/).waitFor({ timeout: 20_000 });
    await cl.context.setOffline(false);
    await cl.page.getByText(/Draft saved at/).waitFor({ timeout: 20_000 });
    await cl.page.reload();
    assert.equal(
      await cl.page.getByLabel('The thought that went through your mind').inputValue(),
      'Nobody will ever hire me.',
      'what was typed offline reached the server after the reconnect',
    );
    await cl.page.getByLabel('The emotion you felt (for example sad, anxious, angry)').fill('Hopeless');
    await cl.page.getByLabel('How strong was it? (0 to 100)').fill('90');
    await cl.page.getByLabel('Evidence that does not support it').fill('Two interviews last month.');
    await cl.page.getByLabel('A more balanced thought').fill('It is slow, but people are replying.');
    await cl.page.getByLabel('How strong is the emotion now? (0 to 100)').fill('55');
    assert.ok(await fitsWidth(cl.page), 'the exercise fits a phone');
    await cl.page.getByRole('button', { name: 'Save and mark done' }).click();
    await cl.page.getByText('Done. Your therapist will see it before your next session.').waitFor();
    // The only console errors allowed are the autosaves refused while the test had cut the network.
    assert.deepEqual(
      clProblems.filter((p) => !p.includes('net::ERR_INTERNET_DISCONNECTED')),
      [],
    );
    await cl.context.close();

    // A later questionnaire below the target.
    await t.haven.clinical.measures.submit({ id: client.user.id, roles: client.user.roles }, client.user.id, {
      measure: 'phq9',
      answers: PHQ9_LATER,
    });

    // ── The therapist: the thought record beside the next note, the target on the chart ─────────
    const th2 = th;
    thProblems.length = 0;
    const th2Problems = thProblems;
    await th2.page.goto(`${base}/clinical/clients/${client.user.id}`);
    await th2.page.getByRole('button', { name: 'Start note' }).click();
    const beside = th2.page.getByRole('region', { name: 'Plan and exercises' });
    await beside.waitFor();
    await beside.getByText('Thought record, due').waitFor();
    await beside.getByText('completed').waitFor();
    await beside.getByRole('checkbox', { name: 'Reduce depressive symptoms' }).check();
    await beside.getByRole('button', { name: 'Link goals to this note' }).click();
    await th2.page.getByText('Goals linked to this note.').waitFor();
    assert.ok(await beside.getByRole('checkbox', { name: 'Reduce depressive symptoms' }).isChecked());
    await beside.getByRole('link', { name: 'Thought record' }).click();
    await th2.page.getByText('Nobody will ever hire me.').waitFor();
    await th2.page.getByText('It is slow, but people are replying.').waitFor();

    await th2.page.goto(`${base}/clinical/clients/${client.user.id}/care`);
    const chart = th2.page.getByRole('img', { name: 'PHQ-9 scores over time' });
    await chart.waitFor();
    assert.equal(await chart.locator('line.target-line').count(), 1, 'the chart draws the target line');
    assert.equal(await chart.locator('line.target-date').count(), 1, 'and the date it is due by');
    await th2.page.getByText('Met', { exact: true }).waitFor();
    await th2.page.getByText('The client signed it on').waitFor();
    assert.deepEqual(th2Problems, []);
    await th2.context.close();
  });
});
