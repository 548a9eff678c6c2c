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
 * Issue 20, the messaging thread in two languages at once: a client who chose Arabic, on a phone
 * (ar-SY, 390 px), and a therapist who chose Spanish (es-MX). Each page is in its
 * reader's language, <html dir> right for it, nothing wider than the phone's screen; what the
 * messaging bundle writes live (the sender's name "You", the receipt that turns to "Read") comes in
 * the page's language, not English.
 */
describe('messaging in Arabic and Spanish: the thread on a phone, live', function () {
  this.timeout(180_000);
  let live: LiveHaven;
  let browser: Browser;
  let client: TestPerson;
  let therapist: TestPerson;
  let threadId: string;

  async function threadPage(
    person: TestPerson,
    locale: string,
    width: number,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    const page = await context.newPage();
    const problems = watchForProblems(page, person.user.displayName);
    await signInInBrowser(page, person, live, { via: 'cookie' });
    const response = await page.goto(`${live.baseUrl}/messages/${threadId}`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    return { context, page, problems };
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveHaven({ media: false });
    await ensureAdmin(live.haven);
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'رنا حداد' });
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dra. Lucía Ortega' });
    // Each keeps their language in their profile, as the switcher or sign-up page would save it.
    await live.haven.accounts.lifecycle.setLanguage(client.user, 'ar');
    await live.haven.accounts.lifecycle.setLanguage(therapist.user, 'es');
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    threadId = await live.haven.messaging.inbox.open(
      { id: client.user.id, roles: client.user.roles },
      therapist.user.id,
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  it('writes each page in its reader’s language and direction, the live parts too', async () => {
    const arabic = await threadPage(client, 'ar-SY', 390);
    await arabic.page.getByRole('link', { name: 'كل الرسائل' }).waitFor();
    await arabic.page.getByText('لا رسائل بعد.').waitFor();
    await assertLaidOut(arabic.page, 'messaging-thread-empty@390', {
      lang: 'ar',
      dir: 'rtl',
      screenshotsIn: SHOTS,
    });

    const spanish = await threadPage(therapist, 'es-MX', 390);
    await spanish.page.getByRole('link', { name: 'Todos los mensajes' }).waitFor();
    for (let i = 0; i < 100 && !live.haven.messaging.presence.isOnline(therapist.user.id); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }

    // The client writes in Arabic through the page's form, its labels in Arabic.
    const text = `هل يمكننا الحديث عن النوم يوم الخميس؟ (${Date.now()})`;
    await arabic.page.getByLabel('الرسالة', { exact: true }).fill(text);
    await Promise.all([
      arabic.page.waitForURL(/#m-/),
      arabic.page.getByRole('button', { name: 'إرسال' }).click(),
    ]);
    const mine = arabic.page.locator('#message-list li.message.mine', { hasText: text });
    assert.equal(await mine.locator('.message-meta strong').textContent(), 'أنت');

    // The therapist's Spanish page shows it live (the bundle built it), then marks it read; the
    // client's Arabic page turns its receipt to the Arabic "read" without a reload.
    const arrived = spanish.page.locator('#message-list li.message', { hasText: text });
    await arrived.waitFor({ timeout: 10_000 });
    assert.equal(await arrived.locator('.message-body').getAttribute('dir'), 'auto');
    await mine.locator('.read-receipt', { hasText: 'مقروءة' }).waitFor({ timeout: 10_000 });

    // The therapist answers in Spanish; the client's page adds it live with the Arabic date digits.
    const answer = `Claro, el jueves hablamos del sueño. (${Date.now()})`;
    await spanish.page.getByLabel('Mensaje', { exact: true }).fill(answer);
    await Promise.all([
      spanish.page.waitForURL(/#m-/),
      spanish.page.getByRole('button', { name: 'Enviar' }).click(),
    ]);
    const theirs = arabic.page.locator('#message-list li.message', { hasText: answer });
    await theirs.waitFor({ timeout: 10_000 });
    assert.match((await theirs.locator('time').textContent()) ?? '', /[٠-٩]/, 'Arabic-Indic digits');
    assert.equal(
      await spanish.page.locator('#message-list li.message.mine .message-meta strong').first().textContent(),
      'Usted',
    );

    await assertLaidOut(arabic.page, 'messaging-thread@390', {
      lang: 'ar',
      dir: 'rtl',
      screenshotsIn: SHOTS,
    });
    await assertLaidOut(spanish.page, 'messaging-thread-es@390', {
      lang: 'es',
      dir: 'ltr',
      screenshotsIn: SHOTS,
    });
    // The inbox too: the unread count as an Arabic plural form.
    await arabic.page.goto(`${live.baseUrl}/messages`);
    await arabic.page.getByRole('heading', { name: 'الرسائل', level: 1 }).waitFor();
    await assertLaidOut(arabic.page, 'messaging-inbox@390', { lang: 'ar', dir: 'rtl', screenshotsIn: SHOTS });

    assert.deepEqual([...arabic.problems, ...spanish.problems], []);
    await arabic.context.close();
    await spanish.context.close();
  });
});
