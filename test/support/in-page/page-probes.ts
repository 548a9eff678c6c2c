/**
 * Probes that run inside a page under test. This file is compiled with the DOM library (its own
 * tsconfig), bundled by esbuild in `../page-checks.ts` and evaluated in the page, where it sets
 * `globalThis.havenProbes`. Keep it free of Node imports.
 */

import type { FocusRingReport, OverflowReport } from './probe-reports';

type Rgba = readonly [number, number, number, number];

/** A short CSS-like name for an element, for failure messages: `main > form#chat-form > button.x`. */
function describe(el: Element): string {
  const parts: string[] = [];
  let node: Element | null = el;
  while (node && parts.length < 3 && node !== document.body) {
    const id = node.id ? `#${node.id}` : '';
    const cls =
      !id && typeof node.className === 'string' && node.className.trim()
        ? `.${node.className.trim().split(/\s+/).slice(0, 2).join('.')}`
        : '';
    parts.unshift(`${node.tagName.toLowerCase()}${id}${cls}`);
    node = node.parentElement;
  }
  const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${parts.join(' > ')}${text ? ` ("${text}")` : ''}`;
}

/**
 * True when an ancestor clips or scrolls horizontally, so the element cannot widen the page. An
 * absolutely placed element escapes a scroller that is not its containing block, so it counts.
 */
function insideHorizontalScroller(el: Element): boolean {
  const position = getComputedStyle(el).position;
  if (position === 'absolute' || position === 'fixed') return false;
  for (let node = el.parentElement; node && node !== document.documentElement; node = node.parentElement) {
    const x = getComputedStyle(node).overflowX;
    if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
  }
  return false;
}

export function overflow(): OverflowReport {
  const limit = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= limit) return { scrollWidth, innerWidth: limit, culprits: [] };
  const sticking: Element[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 0.5) continue;
    if (insideHorizontalScroller(el)) continue;
    sticking.push(el);
  }
  // Innermost first: an element none of whose descendants also sticks out is the likely cause.
  const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
  return {
    scrollWidth,
    innerWidth: limit,
    culprits: innermost
      .slice(0, 5)
      .map((el) => `${describe(el)} right=${Math.round(el.getBoundingClientRect().right)}`),
  };
}

function parseColor(text: string): Rgba | null {
  const m = /^rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\)$/.exec(text.trim());
  if (!m) return null;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [
    top[0] * a + bottom[0] * (1 - a),
    top[1] * a + bottom[1] * (1 - a),
    top[2] * a + bottom[2] * (1 - a),
    1,
  ];
}

function luminance([r, g, b]: Rgba): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two opaque colours. */
export function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The opaque colour painted behind `from` (its own background when `includeSelf`), on a white canvas. */
function backgroundBehind(from: Element, includeSelf: boolean): Rgba {
  const layers: Rgba[] = [];
  for (let node = includeSelf ? from : from.parentElement; node; node = node.parentElement) {
    const colour = parseColor(getComputedStyle(node).backgroundColor);
    if (colour && colour[3] > 0) layers.push(colour);
    if (colour && colour[3] >= 1) break;
  }
  return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Focuses every visible focusable element (after the test pressed Tab once, so Chromium treats focus
 * as keyboard focus) and checks its ring: a solid outline at least 2px wide whose colour has a
 * contrast of at least 3:1 with what is painted next to it (WCAG 2.2, 1.4.11 and 2.4.13).
 */
export function focusRings(limit = 400): FocusRingReport {
  const problems: string[] = [];
  let checked = 0;
  const all = Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.checkVisibility({ checkVisibilityCSS: true }) && el.getBoundingClientRect().width > 0,
  );
  for (const el of all.slice(0, limit)) {
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    checked += 1;
    if (!el.matches(':focus-visible')) {
      problems.push(`${describe(el)}: focus is not :focus-visible`);
      continue;
    }
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    const colour = parseColor(style.outlineColor);
    if (style.outlineStyle === 'none' || style.outlineStyle === 'hidden' || !(width >= 2)) {
      problems.push(`${describe(el)}: no focus outline (${style.outlineStyle} ${style.outlineWidth})`);
      continue;
    }
    if (!colour) {
      problems.push(`${describe(el)}: outline colour ${style.outlineColor} not understood`);
      continue;
    }
    const behind = backgroundBehind(el, parseFloat(style.outlineOffset) < 0);
    const ratio = contrast(over(colour, behind), behind);
    if (ratio < 3) {
      problems.push(
        `${describe(el)}: focus outline ${style.outlineColor} on rgb(${behind.slice(0, 3).map(Math.round).join(', ')}) is ${ratio.toFixed(2)}:1`,
      );
    }
  }
  (document.activeElement as HTMLElement | null)?.blur();
  return { checked, problems };
}

(globalThis as unknown as { havenProbes: unknown }).havenProbes = { overflow, focusRings };
