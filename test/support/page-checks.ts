import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Page } from 'playwright-core';
import type { FocusRingReport, OverflowReport } from './in-page/probe-reports';

/**
 * Layout and accessibility checks for any page open in Chromium: horizontal overflow, axe-core, and
 * focus-ring contrast. Scripts are evaluated through the DevTools protocol, which the page's strict
 * CSP does not apply to, so nothing on the page is loosened for the test. axe-core comes from
 * node_modules (never a CDN).
 */

/** Screenshots for a person to look at (CI keeps the folder as an artifact): `<role or area>/<page>@<width>.png`. */
export const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'test-results', 'layout');

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The in-page probes, bundled once per test run from their typed source. */
const PROBES_SOURCE = buildSync({
  entryPoints: [join(__dirname, 'in-page', 'page-probes.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  write: false,
}).outputFiles[0]!.text;

/** axe rule sets checked: WCAG 2.0–2.2 A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** CSS selectors of up to three offending elements. */
  readonly targets: readonly string[];
}

async function ensureProbes(page: Page): Promise<void> {
  if (!(await page.evaluate<boolean>('typeof globalThis.havenProbes === "object"'))) {
    await page.evaluate(PROBES_SOURCE);
  }
}

/** How wide the document is against the viewport, and which elements stick out if it is too wide. */
export async function horizontalOverflow(page: Page): Promise<OverflowReport> {
  await ensureProbes(page);
  return page.evaluate<OverflowReport>('havenProbes.overflow()');
}

/** Every visible focusable element's keyboard focus ring, checked for width and ≥3:1 contrast. */
export async function focusRingProblems(page: Page): Promise<FocusRingReport> {
  await ensureProbes(page);
  // One real key press first: Chromium then treats the programmatic focus that follows as keyboard
  // focus, which is when :focus-visible rings are drawn.
  await page.keyboard.press('Tab');
  return page.evaluate<FocusRingReport>('havenProbes.focusRings()');
}

/** axe-core's violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>('typeof globalThis.axe === "object"'))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate<AxeViolation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })
      .then((r) => r.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      })))
  `);
}

/** What {@link assertLaidOut} checks besides the width and axe: the page's language and direction. */
export interface LaidOutExpectations {
  /** `<html lang>`, e.g. `ar`. */
  readonly lang?: string;
  /** `<html dir>`. */
  readonly dir?: 'ltr' | 'rtl';
  /** The folder to keep the page's full screenshot in, as `<step>.png`, for a person to look at. */
  readonly screenshotsIn?: string;
}

/**
 * The checks a page of a walked path passes (the language paths, the Nodes page): `<html lang dir>`
 * as expected, nothing wider than the screen, no serious or critical axe-core violation; then its
 * screenshot. `step` names the page in failure messages.
 */
export async function assertLaidOut(
  page: Page,
  step: string,
  expect: LaidOutExpectations = {},
): Promise<void> {
  const html = page.locator('html');
  if (expect.lang !== undefined) assert.equal(await html.getAttribute('lang'), expect.lang, `${step}: lang`);
  if (expect.dir !== undefined) assert.equal(await html.getAttribute('dir'), expect.dir, `${step}: dir`);
  const overflow = await horizontalOverflow(page);
  assert.ok(
    overflow.scrollWidth <= overflow.innerWidth,
    `${step}: ${overflow.scrollWidth} px wide on a ${overflow.innerWidth} px screen (${JSON.stringify(overflow.culprits)})`,
  );
  const serious = (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  assert.deepEqual(serious, [], `${step}: axe-core`);
  if (expect.screenshotsIn)
    await page.screenshot({ path: join(expect.screenshotsIn, `${step}.png`), fullPage: true });
}
