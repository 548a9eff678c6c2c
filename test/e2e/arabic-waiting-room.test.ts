import '../support/media-worker';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { assertLaidOut, SCREENSHOTS_DIR } from '../support/page-checks';

const SHOTS = join(SCREENSHOTS_DIR, '..', 'arabic');

/**
 * Issue 20, the session room in Arabic on a 390 px phone, with real media: the client's waiting
 * room is right to left and in Arabic — what the server wrote and what the room bundle writes while
 * they wait (their own camera's preview note) — and fits the screen; the call's controls are in
 * Arabic once admitted. The language switcher is in the waiting room (and only there): choosing
 * Spanish reloads the waiting room in Spanish, and the call then speaks Spanish; no switcher is
 * shown during the call, so a call is never reloaded by it.
 */
describe('the session room in Arabic on a phone: waiting room, switcher, call', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let browser: Browser;
  let therapist: TestPerson;
  let client: TestPerson;
  /** A second client for the switcher, so each test starts from a person in no session. */
  let other: TestPerson;
  const contexts: BrowserContext[] = [];

  async function open(person: TestPerson, locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    contexts.push(context);
    const page = await context.newPage();
    await signInInBrowser(page, person, live, { via: 'cookie' });
    return page;
  }

  /** A fresh room for the client, the therapist already in the call. */
  async function roomWithHost(guest: TestPerson): Promise<{ url: string; host: Page }> {
    const room = await live.haven.rooms.access.openAdhoc(
      { id: therapist.user.id, displayName: therapist.user.displayName, roles: therapist.user.roles },
      [guest.user.id],
      null,
    );
    const url = `${live.baseUrl}/rooms/${room.id}`;
    const host = await open(therapist, 'en-GB', 1280);
    await host.goto(url);
    await host.locator('#panel-call').waitFor({ state: 'visible' });
    return { url, host };
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveHaven();
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Rania' });
    await live.haven.accounts.lifecycle.setLanguage(client.user, 'ar');
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    other = await createPerson(live.haven, { roles: ['client'], displayName: 'Yara' });
    await live.haven.accounts.lifecycle.setLanguage(other.user, 'ar');
    await live.haven.clinical.care.assign(null, therapist.user.id, other.user.id);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await live?.stop();
  });

  it('waits and meets in Arabic, right to left, on a 390 px phone', async () => {
    const { url, host } = await roomWithHost(client);
    const guest = await open(client, 'ar-SY', 390);
    const problems = watchForProblems(guest, 'client');
    await guest.goto(url);
    const waiting = guest.locator('#panel-waiting');
    await waiting.waitFor({ state: 'visible' });
    await waiting.getByRole('heading', { name: /^مرحبًا بك في / }).waitFor();
    // The bundle's words while waiting: the preview of their own camera, said in Arabic.
    await guest.getByText('هكذا ستظهر. لا يُرسل شيء حتى تبدأ الجلسة.').waitFor({ timeout: 20_000 });
    assert.equal(await waiting.locator('.language-switcher').isVisible(), true, 'switcher while waiting');
    await assertLaidOut(guest, 'room-waiting@390', { lang: 'ar', dir: 'rtl', screenshotsIn: SHOTS });

    await host.getByRole('button', { name: 'Admit Rania' }).click();
    await guest.locator('#panel-call').waitFor({ state: 'visible' });
    await guest.getByRole('button', { name: 'كتم الصوت' }).waitFor();
    assert.equal(await guest.locator('.language-switcher:visible').count(), 0, 'no switcher in a call');
    await guest.getByRole('button', { name: 'كتم الصوت' }).click();
    await guest.getByRole('button', { name: 'إلغاء الكتم' }).waitFor();
    await assertLaidOut(guest, 'room-call@390', { lang: 'ar', dir: 'rtl', screenshotsIn: SHOTS });
    assert.deepEqual(problems, []);
  });

  it('switches language in the waiting room, and the call then speaks it', async () => {
    const { url, host } = await roomWithHost(other);
    const guest = await open(other, 'ar-SY', 390);
    await guest.goto(url);
    await guest.locator('#panel-waiting').waitFor({ state: 'visible' });
    await guest.locator('#language-choice').selectOption('es');
    await Promise.all([guest.waitForURL(url), guest.getByRole('button', { name: 'تغيير' }).click()]);
    await guest.locator('#panel-waiting').waitFor({ state: 'visible' });
    await guest.getByRole('heading', { name: /^Bienvenido\/a a / }).waitFor();
    await assertLaidOut(guest, 'room-waiting-es@390', { lang: 'es', dir: 'ltr', screenshotsIn: SHOTS });

    await host.getByRole('button', { name: 'Admit Yara' }).click();
    await guest.getByRole('button', { name: 'Silenciar' }).waitFor();
    assert.equal(await guest.locator('.language-switcher:visible').count(), 0, 'no switcher in a call');
  });
});
