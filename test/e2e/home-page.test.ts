import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ensureAdmin } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';

/** In a real browser: the home page renders styled, runs its bundle, and asks no other host for anything. */
describe('home page in Chromium', () => {
  let live: LiveHaven;
  let browser: Browser;
  let base: string;

  before(async () => {
    live = await startLiveHaven({ media: false });
    base = live.baseUrl;
    // Without an admin every page leads to /setup (first run).
    await ensureAdmin(live.haven);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  it('loads every resource from Haven itself, with no CSP violations or script errors', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    const response = await page.goto(`${base}/`, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Welcome to Haven');

    const foreign = requested.filter((url) => new URL(url).origin !== base);
    assert.deepEqual(foreign, []);
    assert.ok(requested.some((url) => url.endsWith('/build/vendor/pico.min.css')));
    assert.ok(requested.some((url) => url.endsWith('/build/main.js')));
    assert.deepEqual(problems, []);

    // Pico applied: the page font is not the browser's default serif.
    const font = await page.evaluate<string>('getComputedStyle(document.body).fontFamily');
    assert.ok(!/^"?Times/.test(font), font);

    // The skip link is the first thing a keyboard user reaches.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement?.textContent'), 'Skip to main content');
    await page.close();
  });
});
