import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TwoFactorService } from '../../server/accounts';
import { forgetUsedCodes, type TestPerson } from './accounts';
import { launchChromium } from './browser';
import type { LiveHaven } from './live-haven';
import { signInCookie } from './live-session';

/**
 * Who signs in: a person made by the builder, or one a browser test made through the pages (sign-up,
 * invitation), known only by what they typed and the authenticator key they enrolled.
 */
export type BrowserSignInPerson =
  TestPerson | { readonly email: string; readonly password: string; readonly totpSecret?: string | null };

export interface BrowserSignInOptions {
  /**
   * `form` (default): type into /sign-in (and the code step) in this page, as a person does; the
   * page is left on where sign-in leads. `cookie`: sign in through the same forms over HTTP and
   * give the page's browser context the session cookie, leaving the page where it is: for tests
   * whose subject is elsewhere (the room, the header with JavaScript off) and that open many contexts.
   */
  readonly via?: 'form' | 'cookie';
}

/** The one browser sign-in: afterwards every page of this page's context is signed in as `person`. */
export async function signInInBrowser(
  page: Page,
  person: BrowserSignInPerson,
  live: Pick<LiveHaven, 'baseUrl' | 'haven'>,
  options: BrowserSignInOptions = {},
): Promise<void> {
  if (options.via === 'cookie') {
    if (!('user' in person)) throw new Error('cookie sign-in needs a person made by createPerson');
    const cookie = await signInCookie(live, person);
    await page.context().addCookies([{ name: cookie.name, value: cookie.value, url: live.baseUrl }]);
    return;
  }
  await page.goto(`${live.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (person.totpSecret) {
    await page.getByRole('heading', { name: 'Enter your sign-in code' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(await codeFor(person, live));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  // Signed in = the sign-out form is on the page (on a phone it sits in the closed menu, unseen).
  await page.locator('form[action="/sign-out"]').first().waitFor({ state: 'attached' });
}

/**
 * A code the server accepts now. For a builder-made person the replay marker is cleared (a test may
 * sign the same person in twice within one 30-second step); for one enrolled through the pages, whose
 * current step's code the enrolment may have spent, the next step's code, as an authenticator soon shows.
 */
async function codeFor(person: BrowserSignInPerson, live: Pick<LiveHaven, 'haven'>): Promise<string> {
  const secret = person.totpSecret!;
  if ('user' in person) {
    await forgetUsedCodes(live.haven, person.user.id);
    return live.haven.accounts.twoFactor.currentCode(secret);
  }
  return TwoFactorService.codeFor(secret, new Date(Date.now() + 30_000));
}

/**
 * One Chromium per person, as in a real session (two people are two machines: separate processes,
 * fake cameras and network stacks), each page signed in through the session cookie.
 */
export class ChromiumPerPerson {
  readonly #browsers: Browser[] = [];

  /** A new Chromium with one page signed in as `person`; `prepare` runs on its context before the page opens (init scripts). */
  async signedInPage(
    person: TestPerson,
    live: Pick<LiveHaven, 'baseUrl' | 'haven'>,
    options: {
      viewport: { width: number; height: number };
      prepare?: (context: BrowserContext) => Promise<void>;
    },
  ): Promise<Page> {
    const browser = await launchChromium();
    this.#browsers.push(browser);
    const context = await browser.newContext({ viewport: options.viewport });
    await options.prepare?.(context);
    const page = await context.newPage();
    await signInInBrowser(page, person, live, { via: 'cookie' });
    return page;
  }

  /** A new Chromium with one page signed in as nobody (an invited guest's machine, a visitor's). */
  async anonymousPage(options: { viewport: { width: number; height: number } }): Promise<Page> {
    const browser = await launchChromium();
    this.#browsers.push(browser);
    const context = await browser.newContext({ viewport: options.viewport });
    return context.newPage();
  }

  /** Closes every Chromium it started (after a failure too: errors of a crashed one are ignored). */
  async close(): Promise<void> {
    for (const browser of this.#browsers.splice(0)) await browser.close().catch(() => {});
  }
}
