import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../../test/support/accounts';
import { launchChromium } from '../../test/support/browser';
import { signInCookie } from '../../test/support/live-session';
import { type LiveHaven } from '../../test/support/live-haven';

/** A therapist's and a client's Chromium pages in one session room, the client in the waiting room. */
export interface OneToOneCall {
  readonly therapist: Page;
  readonly client: Page;
  /** The name the therapist's "Admit <name>" button uses. */
  readonly clientName: string;
  closeBrowsers(): Promise<void>;
}

/**
 * Sets up a 1:1 call on a live Haven the way a person does (the live-session e2e test's path): the
 * therapist starts a session with their client from the clinical dashboard, and the client opens
 * the room and waits to be admitted. Each person gets their own headless Chromium.
 */
export async function openOneToOneCall(
  live: LiveHaven,
  options: { viewport: { width: number; height: number }; initScript?: string },
): Promise<OneToOneCall> {
  const browsers: Browser[] = [];
  const closeBrowsers = async (): Promise<void> => {
    for (const browser of browsers) await browser.close().catch(() => {});
  };
  try {
    await ensureAdmin(live.haven);
    const therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    const client = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const openPage = async (person: TestPerson): Promise<Page> => {
      const browser = await launchChromium();
      browsers.push(browser);
      const context = await browser.newContext({ viewport: options.viewport });
      if (options.initScript) await context.addInitScript(options.initScript);
      const cookie = await signInCookie(live, person);
      await context.addCookies([{ name: cookie.name, value: cookie.value, url: live.baseUrl }]);
      return context.newPage();
    };
    const t = await openPage(therapist);
    await t.goto(`${live.baseUrl}/clinical`);
    await t.getByRole('button', { name: 'Start a session with Alex' }).click();
    await t.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    const a = await openPage(client);
    await a.goto(t.url());
    await a.locator('#panel-waiting').waitFor({ state: 'visible' });
    return { therapist: t, client: a, clientName: 'Alex', closeBrowsers };
  } catch (error) {
    await closeBrowsers();
    throw error;
  }
}
