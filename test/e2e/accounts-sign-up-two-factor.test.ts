import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { TwoFactorService } from '../../server/accounts';
import { ensureAdmin } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { SmtpSink } from '../support/smtp-sink';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * In Chromium, the whole way in for a new client: sign up, confirm the address from the email the
 * loopback SMTP server received, sign in, enrol an authenticator, sign out, sign in with a code.
 */
describe('accounts in Chromium: sign up → verify by email → enrol TOTP → sign out → sign in with a code', () => {
  let sink: SmtpSink;
  let live: LiveHaven;
  let browser: Browser;
  let base: string;

  before(async () => {
    sink = await SmtpSink.start();
    // Its PUBLIC_URL is the address the browser uses, so links in the email lead back here.
    live = await startLiveHaven({
      media: false,
      env: { SMTP_URL: sink.url, MAIL_POLL_INTERVAL_MS: '100' },
      background: true,
    });
    base = live.baseUrl;
    await ensureAdmin(live.haven);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
    await sink?.stop();
  });

  it('works end to end with no errors in the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    // Unique per attempt: the e2e tier retries a failed test once, and this address then exists.
    const email = `river-${Date.now()}@example.org`;
    const password = 'a river runs through it 7';

    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Create an account' }).first().click();
    await page.getByLabel('Your name (as others will see it)').fill('River');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const mail = await waitFor('the verification email', () =>
      sink.received.find((m) => m.envelopeTo.includes(email)),
    );
    const link = /(http:\/\/127\.0\.0\.1:\d+\/verify-email\/[A-Za-z0-9_-]+)/.exec(
      mail.parsed.text ?? '',
    )?.[1];
    assert.ok(link, 'the email carries a verification link to this server');
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await page.getByText('Your email address is confirmed').waitFor();

    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await page.goto(`${base}/account/two-factor`);
    await page
      .getByRole('button', { name: 'Set it up' })
      .or(page.getByRole('link', { name: 'Set it up' }))
      .click();
    const qr = page.locator('img.qr');
    await qr.waitFor();
    assert.ok(
      (await qr.getAttribute('src'))?.startsWith('data:image/svg+xml;base64,'),
      'QR rendered by Haven itself',
    );
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('6-digit code from the app').fill(TwoFactorService.codeFor(secret, new Date()));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();

    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter your sign-in code' }).waitFor();
    // The enrolment used this 30-second step's code; an authenticator shows the next one soon.
    await page
      .getByRole('textbox', { name: 'Code' })
      .fill(TwoFactorService.codeFor(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${base}/account`);
    await page.getByText(`Signed in as ${email}`).waitFor();

    assert.deepEqual(problems, []);
    await context.close();
  });
});
