import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../../test/support/accounts';
import { launchChromium } from '../../test/support/browser';
import { signInCookie, startLiveHaven } from '../../test/support/live-session';
import { admitAndTimeFirstFrame, timeReadmissions } from '../../test/support/room-page';

/**
 * Join-to-first-frame the way the live-session e2e test measures it (same helpers): a throw-away
 * Haven on loopback with one media worker, two headless Chromiums with fake cameras, the therapist
 * starts a session from the dashboard and admits the client; then moves them back and admits again.
 */
export async function measureJoinToFirstFrame(runs: number): Promise<number[]> {
  const live = await startLiveHaven();
  const browsers: Browser[] = [];
  try {
    await ensureAdmin(live.haven);
    const therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    const client = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);

    const openPage = async (person: TestPerson): Promise<Page> => {
      const browser = await launchChromium();
      browsers.push(browser);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
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

    const first = await admitAndTimeFirstFrame(t, a, 'Alex');
    return [first, ...(await timeReadmissions(t, a, 'Alex', runs - 1))];
  } finally {
    for (const browser of browsers) await browser.close().catch(() => {});
    await live.stop().catch(() => {});
  }
}
