import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { listenOnLoopback, type LoopbackServer } from '../support/loopback-server';
import { signInCookie, useGuestLink } from '../support/live-session';
import {
  axeViolations,
  focusRingProblems,
  horizontalOverflow,
  SCREENSHOTS_DIR,
} from '../support/page-checks';
import { startTestHaven } from '../support/test-haven';
import {
  CALLERS,
  ROWS,
  type Caller,
  type Expected,
  type MatrixRow,
  newGuestToken,
} from '../integration/http/route-matrix.expectations';
import { startMatrixHaven, type MatrixHaven } from '../integration/http/route-matrix.fixtures';

/**
 * Every page each role can reach, in Chromium at a small phone (320 px), a common phone (390 px) and
 * a laptop (1280 px): the page is never wider than the screen, axe-core finds nothing, and every
 * keyboard focus ring has at least 3:1 contrast. The pages come from the route × role matrix: a GET
 * row whose expected status for a role is 200 is a page that role reaches, so a new page is checked
 * here as soon as its matrix row exists. Each role's error page is checked once too.
 *
 * Screenshots of every page at every width go to test-results/layout/<role>/ for a person to look
 * at (CI keeps that folder as an artifact).
 */
const WIDTHS = [1280, 390, 320] as const;
const HEIGHT: Record<(typeof WIDTHS)[number], number> = { 1280: 800, 390: 844, 320: 640 };
/** Widths at which axe and the focus-ring check run (320 differs from 390 in layout only). */
const AUDITED_WIDTHS: ReadonlySet<number> = new Set([1280, 390]);

interface PageToCheck {
  readonly label: string;
  readonly url: string;
}

interface Findings {
  readonly pages: string[];
  readonly overflow: string[];
  readonly axe: string[];
  readonly focus: string[];
  readonly scripts: string[];
}

const statuses = (e: Expected): readonly number[] => (Array.isArray(e) ? e : [e as number]);

/** GET rows the caller is expected to open (200), and one row for each error status they meet. */
function pagesFor(caller: Caller, urlOf: (row: MatrixRow) => string): PageToCheck[] {
  const gets = ROWS.filter((r) => r.route.startsWith('GET '));
  const pages = gets
    .filter((r) => statuses(r.expect[caller]).includes(200))
    .map((r) => ({ label: r.route.slice(4), url: urlOf(r) }));
  for (const status of [400, 403, 404]) {
    const row = gets.find(
      (r) => statuses(r.expect[caller]).length === 1 && statuses(r.expect[caller])[0] === status,
    );
    if (row) pages.push({ label: `${status} page (${row.route.slice(4)})`, url: urlOf(row) });
  }
  return pages;
}

function fileName(label: string, width: number): string {
  const slug = label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
  return `${slug}@${width}.png`;
}

/** Opens each page at each width in one tab of `context`, recording what fails. */
async function checkPages(
  context: BrowserContext,
  base: string,
  who: string,
  pages: readonly PageToCheck[],
): Promise<Findings> {
  const found: Findings = { pages: [], overflow: [], axe: [], focus: [], scripts: [] };
  const dir = join(SCREENSHOTS_DIR, who);
  mkdirSync(dir, { recursive: true });
  const page: Page = await context.newPage();
  let current = '';
  page.on('pageerror', (e) => found.scripts.push(`${current}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text()))
      found.scripts.push(`${current}: ${m.text()}`);
  });
  for (const target of pages) {
    for (const width of WIDTHS) {
      current = `${target.label} at ${width}px`;
      await page.setViewportSize({ width, height: HEIGHT[width] });
      let response;
      try {
        response = await page.goto(`${base}${target.url}`, { waitUntil: 'load' });
      } catch (error) {
        // A file download (an export, an attachment) is not a page.
        if (/Download is starting/.test(String(error))) break;
        throw error;
      }
      if (!(response?.headers()['content-type'] ?? '').startsWith('text/html')) break;
      if (width === WIDTHS[0]) found.pages.push(`${target.label} → ${new URL(page.url()).pathname}`);
      const fit = await horizontalOverflow(page);
      if (fit.scrollWidth > fit.innerWidth) {
        found.overflow.push(
          `${current}: ${fit.scrollWidth}px wide in a ${fit.innerWidth}px screen; sticking out: ${fit.culprits.join('; ')}`,
        );
      }
      await page.screenshot({ path: join(dir, fileName(target.label, width)), fullPage: true });
      if (!AUDITED_WIDTHS.has(width)) continue;
      for (const v of await axeViolations(page)) {
        found.axe.push(`${current}: ${v.id} (${v.impact}) ${v.help}: ${v.targets.join(' | ')}`);
      }
      const rings = await focusRingProblems(page);
      for (const p of rings.problems) found.focus.push(`${current}: ${p}`);
    }
  }
  await page.close();
  return found;
}

function assertNone(list: readonly string[], what: string): void {
  assert.deepEqual(list, [], `${what}:\n  ${list.join('\n  ')}`);
}

describe('every page at 320, 390 and 1280 px: fits the screen, axe-core clean, visible focus', function () {
  this.timeout(600_000);
  let matrix: MatrixHaven;
  let server: LoopbackServer;
  let base: string;
  let browser: Browser;

  before(async () => {
    // Only the folders this test writes: the room test keeps its own shots in room/ beside them.
    for (const who of [...CALLERS, 'first-run']) {
      rmSync(join(SCREENSHOTS_DIR, who), { recursive: true, force: true });
    }
    server = await listenOnLoopback();
    base = server.base;
    matrix = await startMatrixHaven({ env: { PUBLIC_URL: base } });
    // Live pages (messages, the room) open their socket as they would in use; media stays off.
    server.serve(matrix.t.haven, { realtime: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await matrix?.t.stop();
  });

  const urlOf = (row: MatrixRow): string => {
    const url = row.url ?? row.route.slice(4);
    return typeof url === 'function' ? url(matrix.fx) : url;
  };

  // LAYOUT_ROLES=therapist,admin narrows a local run while working on a page; CI checks every role.
  const only = process.env.LAYOUT_ROLES?.split(',');
  for (const caller of CALLERS.filter((c) => !only || only.includes(c))) {
    describe(`as ${caller}`, () => {
      let found: Findings;

      before(async () => {
        const context = await browser.newContext();
        if (caller === 'guest') {
          // An invited guest: their used link's pass is their session (no account, no sign-in).
          const { cookie } = await useGuestLink({ baseUrl: base }, await newGuestToken(matrix.fx));
          const pair = cookie ?? '';
          const at = pair.indexOf('=');
          await context.addCookies([{ name: pair.slice(0, at), value: pair.slice(at + 1), url: base }]);
        } else if (caller !== 'anonymous') {
          const cookie = await signInCookie({ baseUrl: base, haven: matrix.t.haven }, matrix.people[caller]);
          await context.addCookies([{ name: cookie.name, value: cookie.value, url: base }]);
        }
        found = await checkPages(context, base, caller, pagesFor(caller, urlOf));
        await context.close();
      });

      it('opens pages (the matrix lists some for every role)', () => {
        assert.ok(found.pages.length >= 3, found.pages.join('\n'));
      });
      it('no page is wider than the screen', () => assertNone(found.overflow, 'pages wider than the screen'));
      it('axe-core finds no violations', () => assertNone(found.axe, 'axe-core violations'));
      it('every keyboard focus ring is at least 2px with 3:1 contrast', () =>
        assertNone(found.focus, 'focus rings'));
      it('no script errors or CSP refusals', () => assertNone(found.scripts, 'script errors'));
    });
  }

  describe('first run (/setup, before any admin exists)', () => {
    it('fits the screen, axe-core clean, visible focus', async () => {
      const fresh = await startTestHaven();
      const own = await listenOnLoopback();
      try {
        own.serve(fresh.haven);
        const context = await browser.newContext();
        const found = await checkPages(context, own.base, 'first-run', [{ label: '/setup', url: '/setup' }]);
        await context.close();
        assert.equal(found.pages.length, 1);
        assertNone([...found.overflow, ...found.axe, ...found.focus, ...found.scripts], 'problems');
      } finally {
        await own.close();
        await fresh.stop();
      }
    });
  });
});
