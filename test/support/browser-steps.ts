import type { Page } from 'playwright-core';
import { TwoFactorService } from '../../server/accounts';
import type { SmtpSink } from './smtp-sink';

/** Collects a page's script errors and console errors; a passing browser test expects none. */
export function watchForProblems(page: Page, who = ''): string[] {
  const problems: string[] = [];
  const tag = who ? `${who}: ` : '';
  page.on('pageerror', (e) => problems.push(tag + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(tag + m.text());
  });
  return problems;
}

/** Polls `probe` until it gives a value (mail arriving, a row written); the error names `what`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first link to `<base>/<path>/…` in a mail the SMTP sink received for `to`. */
export function linkInMail(sink: SmtpSink, to: string, path: string): Promise<string> {
  const pattern = new RegExp(`(https?://[^\\s/]+/${path}/[A-Za-z0-9_%-]+)`);
  return eventually(`a /${path}/ link mailed to ${to}`, () => {
    for (const mail of sink.receivedBy(to)) {
      const link = pattern.exec(mail.parsed.text ?? '')?.[1];
      if (link) return link;
    }
    return undefined;
  });
}

/**
 * On the enrolment page a staff member is sent to: reads the key as a person would type it into
 * an app, confirms with a code, and returns the key (for sign-in codes later).
 */
export async function enrolTwoFactor(page: Page): Promise<string> {
  await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  await page.getByLabel('6-digit code from the app').fill(TwoFactorService.codeFor(secret, new Date()));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  // Done when the two-factor page says it is on (the accounts e2e checks the recovery codes shown).
  await page.waitForURL(/\/account\/two-factor$/);
  const on = page.getByText(/Two-factor sign-in is on\./);
  if (!(await on.isVisible())) {
    throw new Error(`two-factor enrolment refused: ${await page.locator('main').innerText()}`);
  }
  return secret;
}
