import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

/**
 * The header on a phone: the links fold into a "Menu" disclosure that opens and closes with
 * JavaScript turned off, and on a wide screen they sit in the header with no menu button.
 */
describe('header menu on a phone (works without JavaScript)', function () {
  this.timeout(120_000);
  let live: LiveHaven;
  let base: string;
  let browser: Browser;
  let client: TestPerson;

  before(async () => {
    live = await startLiveHaven({ media: false });
    base = live.baseUrl;
    await ensureAdmin(live.haven);
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Robin' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  async function pageAt(width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signInInBrowser(page, client, live, { via: 'cookie' });
    return page;
  }

  it('390 px: links hidden behind Menu, which opens and closes with no script, and signs out', async () => {
    const page = await pageAt(390);
    await page.goto(`${base}/appointments`);
    const menu = page.getByText('Menu', { exact: true });
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const myCare = page.getByRole('link', { name: 'My care' });
    assert.equal(await signOut.count(), 0, 'folded away: not visible, not in the accessibility tree');
    await menu.click();
    await myCare.waitFor();
    const box = await myCare.boundingBox();
    assert.ok(box && box.height >= 44, `a menu row is a comfortable tap target (${box?.height}px)`);
    assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the open menu fits the screen');
    assert.equal(await page.evaluate<number>('document.documentElement.scrollWidth'), 390);
    await menu.click();
    await myCare.waitFor({ state: 'hidden' });
    await menu.click();
    await myCare.click();
    assert.equal(new URL(page.url()).pathname, '/clinical/me');
    await menu.click();
    await signOut.click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await page.context().close();
  });

  it('with JavaScript, Escape closes the open menu and puts focus back on its button', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await signInInBrowser(page, client, live, { via: 'cookie' });
    await page.goto(`${base}/appointments`, { waitUntil: 'load' });
    await page.getByText('Menu', { exact: true }).click();
    const myCare = page.getByRole('link', { name: 'My care' });
    await myCare.waitFor();
    await page.keyboard.press('Escape');
    await myCare.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate<string>('document.activeElement?.textContent?.trim()'), 'Menu');
    await context.close();
  });

  it('1280 px: every link in the header, no menu button', async () => {
    const page = await pageAt(1280);
    await page.goto(`${base}/appointments`);
    assert.equal(await page.getByText('Menu', { exact: true }).isVisible(), false);
    for (const name of ['Appointments', 'Messages', 'My care', 'Directory']) {
      assert.ok(await page.getByRole('link', { name, exact: true }).isVisible(), name);
    }
    assert.equal(
      await page.getByRole('link', { name: 'Appointments', exact: true }).getAttribute('aria-current'),
      'page',
    );
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
    await page.context().close();
  });
});
