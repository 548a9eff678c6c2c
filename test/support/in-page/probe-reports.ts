/** What the in-page probes (page-probes.ts) report; shared by the page and the Node side (no DOM types). */

export interface OverflowReport {
  readonly scrollWidth: number;
  readonly innerWidth: number;
  /** Up to five elements that reach past the right edge of the viewport, innermost first. */
  readonly culprits: readonly string[];
}

export interface FocusRingReport {
  readonly checked: number;
  readonly problems: readonly string[];
}
