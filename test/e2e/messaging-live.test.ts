import assert from 'node:assert/strict';
import { formatDateTime } from '../../server/shared/date-time-format';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

/**
 * Two people with the same thread open in Chromium: a message, its read receipt and its retraction
 * reach the other page without a reload, over the socket, with no CSP violations and no request to
 * any other host.
 */
describe('messaging in Chromium: live thread pages', function () {
  this.timeout(120_000);
  let live: LiveHaven;
  let browser: Browser;
  let client: TestPerson;
  let therapist: TestPerson;
  let threadId: string;
  const problems: string[] = [];
  const foreign: string[] = [];

  async function pageFor(person: TestPerson): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, person, live, { via: 'cookie' });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${person.user.displayName}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== live.baseUrl) foreign.push(r.url());
    });
    const response = await page.goto(`${live.baseUrl}/messages/${threadId}`, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200);
    return { context, page };
  }

  before(async () => {
    live = await startLiveHaven({ media: false });
    await ensureAdmin(live.haven);
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Robin Client' });
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Kim' });
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

  it('shows a new message, its read receipt and its retraction on the other page as they happen', async () => {
    const clientSide = await pageFor(client);
    const therapistSide = await pageFor(therapist);
    // Both pages have subscribed once the therapist counts as online.
    for (let i = 0; i < 100 && !live.haven.messaging.presence.isOnline(client.user.id); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }

    // The client writes through the page's form; the therapist's open page shows it live.
    // Unique per attempt, so a retried run (e2e tier retries once) never matches an earlier message.
    const text = `Can we talk about <b>sleep</b> on Thursday? (${Date.now()})`;
    await clientSide.page.fill('#body', text);
    await Promise.all([
      clientSide.page.waitForURL(/#m-/),
      clientSide.page.click('button[type=submit]:has-text("Send")'),
    ]);
    const arrived = therapistSide.page.locator('#message-list li.message .message-body');
    await arrived.filter({ hasText: text }).waitFor({ timeout: 10_000 });
    assert.equal(await therapistSide.page.locator('#message-list b').count(), 0, 'text, never markup');
    // The time the script wrote reads exactly like the time the server wrote on the sender's page.
    const liveTime = therapistSide.page
      .locator('#message-list li.message', { hasText: text })
      .locator('time');
    const pageTime = clientSide.page.locator('#message-list li.message', { hasText: text }).locator('time');
    const sentAt = (await liveTime.getAttribute('datetime'))!;
    // The reader the server named on the page (Chromium's own language, the account's zone).
    const reader = await therapistSide.page.evaluate<Partial<Record<'locale' | 'timeZone', string>>>(
      '({ ...document.documentElement.dataset })',
    );
    assert.ok(reader.locale && reader.timeZone, 'the page names its reader');
    const expected = formatDateTime(sentAt, { locale: reader.locale, timeZone: reader.timeZone });
    assert.equal(await liveTime.textContent(), expected);
    assert.equal(await pageTime.textContent(), expected);

    // The therapist's page marked it read: the client's page says so without a reload.
    const mine = clientSide.page.locator('#message-list li.message.mine', { hasText: text });
    await mine.locator('.read-receipt', { hasText: 'Read' }).waitFor({ timeout: 10_000 });

    // The client retracts it; the therapist's page loses the body.
    await Promise.all([
      clientSide.page.waitForLoadState('load'),
      mine.locator('.retract-form button').click(),
    ]);
    await therapistSide.page.locator('.message-retracted').waitFor({ timeout: 10_000 });
    assert.equal(await therapistSide.page.getByText(text).count(), 0);

    assert.deepEqual(foreign, []);
    assert.deepEqual(problems, []);
    await clientSide.context.close();
    await therapistSide.context.close();
  });
});
