import { MEASURES, type MeasureId, type Severity } from './measures';
import type { MeasureResult } from './measures.repository';

export interface ProgressPoint {
  readonly at: Date;
  readonly total: number;
  readonly severity: Severity;
  /** The band's English name (staff exports); a page writes `severity` in its reader's words. */
  readonly severityLabel: string;
  readonly crisis: boolean;
}

export interface ProgressSeries {
  readonly measure: MeasureId;
  readonly name: string;
  readonly maxScore: number;
  readonly points: readonly ProgressPoint[];
  /** The first score (the intake one when there is one): the baseline change is measured from. */
  readonly baseline: ProgressPoint | null;
  readonly latest: ProgressPoint | null;
  /** latest − baseline; negative is improvement for both measures. */
  readonly change: number | null;
}

/** Groups results by measure, oldest first, with change since intake. */
export function progressSeries(results: readonly MeasureResult[]): ProgressSeries[] {
  return (['phq9', 'gad7'] as const).map((measure) => {
    const mine = results
      .filter((r) => r.measure === measure)
      .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    const points = mine.map((r) => ({
      at: r.submittedAt,
      total: r.total,
      severity: r.severity,
      severityLabel: r.severityLabel,
      crisis: r.crisis,
    }));
    const intake = mine.find((r) => r.source === 'intake');
    const baseline = intake ? (points[mine.indexOf(intake)] ?? null) : (points[0] ?? null);
    const latest = points.at(-1) ?? null;
    return {
      measure,
      name: MEASURES[measure].name,
      maxScore: MEASURES[measure].maxScore,
      points,
      baseline,
      latest,
      change: baseline && latest && points.length > 1 ? latest.total - baseline.total : null,
    };
  });
}

const BAND_FILL: Record<Severity, string> = {
  minimal: '#e8f5e9',
  mild: '#fffde7',
  moderate: '#fff3e0',
  moderately_severe: '#fde7e0',
  severe: '#fbe0e0',
};

/** A band's English name in a measure (the same word in both measures' scales). */
function bandName(measure: MeasureId, severity: Severity): string {
  return (
    MEASURES[measure].bands.find((b) => b.severity === severity)?.label ??
    MEASURES.phq9.bands.find((b) => b.severity === severity)?.label ??
    severity
  );
}

/** A severity band as the legend under a chart shows it: colour swatch, name and score range. */
export interface BandLegendItem {
  readonly severity: Severity;
  readonly label: string;
  readonly range: string;
  readonly fill: string;
}

/** The chart's legend, in the order of the bands (lowest scores first). */
export function bandLegend(
  measure: MeasureId,
  num: (n: number) => string = String,
  name: (severity: Severity) => string = (severity) => bandName(measure, severity),
): BandLegendItem[] {
  return MEASURES[measure].bands.map((band) => ({
    severity: band.severity,
    label: name(band.severity),
    range: `${num(band.min)}–${num(band.max)}`,
    fill: BAND_FILL[band.severity],
  }));
}

/*
 * Drawn for a phone first: 360 user units wide, so on a 320 px screen (288 px of chart) the 16-unit
 * text is still about 13 px, and haven.css shrinks it on wide screens where the chart is drawn larger.
 * Band names live in the HTML legend under the chart (they were cut off when drawn beside it).
 */
const W = 360;
const H = 220;
const PAD = { left: 34, right: 8, top: 10, bottom: 30 };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ISO day, used when the caller gives no reader-facing date format (tests, exports). */
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The words a chart says (its title, description and labels), in the reader's language. */
export interface ChartWords {
  title(name: string): string;
  noScores: string;
  noScoresOf(name: string): string;
  latest(total: string, band: string, day: string): string;
  change(direction: 'down' | 'up' | 'unchanged', by: string, from: string): string;
  targetLabel(below: string): string;
  target(below: string, by: string | null): string;
  targetDate(day: string): string;
  /** A severity band's name ("Mild"): not part of the instrument's validated text, but kept faithful to it. */
  band(severity: Severity): string;
}

/** How a chart is written for its reader: words, numbers (their digits) and which way time runs. */
export interface ChartLocale {
  readonly words: ChartWords;
  readonly number: (n: number) => string;
  /** Right to left: time runs from right to left and the score axis stands on the right. */
  readonly rtl: boolean;
}

/** Haven's English, Western digits, left to right: what a chart says without a reader's locale. */
export const ENGLISH_CHART: ChartLocale = {
  words: {
    title: (name) => `${name} scores over time`,
    noScores: 'No scores yet',
    noScoresOf: (name) => `No ${name} scores yet.`,
    latest: (total, band, day) => `Latest ${total} (${band}) on ${day}`,
    change: (direction, by, from) => `${direction} ${by} from ${from} at intake`,
    targetLabel: (below) => `Target < ${below}`,
    target: (below, by) => `Target: below ${below}${by ? ` by ${by}` : ''}`,
    targetDate: (day) => `Target date ${day}`,
    band: (severity) => bandName('phq9', severity),
  },
  number: (n) => String(n),
  rtl: false,
};

/** A score target drawn on the chart: a dashed line at the total, and the date it is due by. */
export interface ChartTarget {
  /** Met when the total is below this. */
  readonly below: number;
  readonly by: Date | null;
}

/**
 * One measure's scores over time as a self-contained SVG: severity bands behind (each titled with
 * its name and range), the line of totals in front, each point titled with its date and score.
 * Presentation attributes only (no inline `style`), so it renders under the strict CSP. The page puts
 * the same numbers in a data table and the band names in a legend. `day` writes a date for the reader.
 * Treatment-plan targets (care planning) are drawn as a dashed line at the score and a dotted line at
 * the date they are due by.
 */
export function renderProgressChart(
  series: ProgressSeries,
  day: (d: Date) => string = isoDay,
  targets: readonly ChartTarget[] = [],
  locale: ChartLocale = ENGLISH_CHART,
): string {
  const { words, number: num, rtl } = locale;
  // Right to left, every x is mirrored and text anchored from the other side.
  const X = (v: number) => (rtl ? W - v : v);
  const START = rtl ? 'end' : 'start';
  const END = rtl ? 'start' : 'end';
  const def = MEASURES[series.measure];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (score: number) => PAD.top + plotH - (score / def.maxScore) * plotH;
  // Target dates widen the time axis so the date a goal is due is on the chart.
  const times = [
    ...series.points.map((p) => p.at.getTime()),
    ...(series.points.length ? targets.flatMap((t) => (t.by ? [t.by.getTime()] : [])) : []),
  ];
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) =>
    times.length <= 1 || t1 === t0 ? PAD.left + plotW / 2 : PAD.left + ((t - t0) / (t1 - t0)) * plotW;
  const id = `chart-${series.measure}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" class="progress-chart">`,
    `<title id="${id}-title">${esc(words.title(def.name))}</title>`,
    `<desc id="${id}-desc">${esc(describe(series, day, locale) + describeTargets(targets, day, locale))}</desc>`,
  ];
  for (const band of def.bands) {
    const top = y(band.max + (band.max === def.maxScore ? 0 : 0.5));
    const bottom = y(Math.max(0, band.min - 0.5));
    parts.push(
      `<rect x="${rtl ? W - PAD.left - plotW : PAD.left}" y="${top.toFixed(1)}" width="${plotW}" height="${(bottom - top).toFixed(1)}" fill="${BAND_FILL[band.severity]}"><title>${esc(words.band(band.severity))} (${num(band.min)}–${num(band.max)})</title></rect>`,
    );
  }
  for (const tick of [0, Math.round(def.maxScore / 3), Math.round((2 * def.maxScore) / 3), def.maxScore]) {
    parts.push(
      `<text x="${X(PAD.left - 5)}" y="${(y(tick) + 5).toFixed(1)}" font-size="16" text-anchor="${END}" fill="#444">${num(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${X(PAD.left)}" y1="${PAD.top + plotH}" x2="${X(PAD.left + plotW)}" y2="${PAD.top + plotH}" stroke="#888"/>`,
    `<line x1="${X(PAD.left)}" y1="${PAD.top}" x2="${X(PAD.left)}" y2="${PAD.top + plotH}" stroke="#888"/>`,
  );
  for (const target of targets) {
    const ty = y(target.below).toFixed(1);
    const below = num(target.below);
    parts.push(
      `<line x1="${X(PAD.left)}" y1="${ty}" x2="${X(PAD.left + plotW)}" y2="${ty}" stroke="#7c2d12" stroke-width="2" stroke-dasharray="6 4" class="target-line"><title>${esc(words.target(below, target.by ? day(target.by) : null))}</title></line>`,
      `<text x="${X(PAD.left + 4)}" y="${(Number(ty) - 4).toFixed(1)}" font-size="16" text-anchor="${START}" fill="#7c2d12">${esc(words.targetLabel(below))}</text>`,
    );
    if (target.by && series.points.length > 0) {
      const tx = X(x(target.by.getTime())).toFixed(1);
      parts.push(
        `<line x1="${tx}" y1="${PAD.top}" x2="${tx}" y2="${PAD.top + plotH}" stroke="#7c2d12" stroke-dasharray="2 3" class="target-date"><title>${esc(words.targetDate(day(target.by)))}</title></line>`,
      );
    }
  }
  if (series.points.length > 0) {
    const first = day(new Date(t0));
    parts.push(
      `<text x="${X(PAD.left)}" y="${H - 8}" font-size="16" text-anchor="${START}" fill="#444">${esc(first)}</text>`,
    );
    if (t1 !== t0) {
      parts.push(
        `<text x="${X(PAD.left + plotW)}" y="${H - 8}" font-size="16" text-anchor="${END}" fill="#444">${esc(day(new Date(t1)))}</text>`,
      );
    }
    const coords = series.points.map((p) => `${X(x(p.at.getTime())).toFixed(1)},${y(p.total).toFixed(1)}`);
    parts.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="#1d4ed8" stroke-width="2.5"/>`);
    series.points.forEach((p, i) => {
      const [cx, cy] = (coords[i] as string).split(',');
      parts.push(
        `<circle cx="${cx}" cy="${cy}" r="5" fill="${p.crisis ? '#b91c1c' : '#1d4ed8'}"><title>${esc(day(p.at))}: ${num(p.total)} (${esc(words.band(p.severity))})</title></circle>`,
      );
    });
  } else {
    parts.push(
      `<text x="${X(PAD.left + plotW / 2)}" y="${PAD.top + plotH / 2}" text-anchor="middle" font-size="16" fill="#444">${esc(words.noScores)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function describeTargets(
  targets: readonly ChartTarget[],
  day: (d: Date) => string,
  locale: ChartLocale,
): string {
  return targets
    .map((t) => ` ${locale.words.target(locale.number(t.below), t.by ? day(t.by) : null)}.`)
    .join('');
}

function describe(series: ProgressSeries, day: (d: Date) => string, locale: ChartLocale): string {
  const { words, number: num } = locale;
  if (!series.latest) return words.noScoresOf(series.name);
  const latest = words.latest(
    num(series.latest.total),
    words.band(series.latest.severity),
    day(series.latest.at),
  );
  if (series.change === null || !series.baseline) return `${latest}.`;
  const direction = series.change < 0 ? 'down' : series.change > 0 ? 'up' : 'unchanged';
  return `${latest}; ${words.change(direction, num(Math.abs(series.change)), num(series.baseline.total))}.`;
}

/** What a page shows for one measure: the chart and its legend. */
export interface ProgressChart {
  readonly svg: string;
  readonly legend: readonly BandLegendItem[];
}

/**
 * Every measure's chart and legend, dates written by `day` (the reader's date format), with each
 * measure's plan targets when the caller has them.
 */
export function progressCharts(
  series: readonly ProgressSeries[],
  day: (d: Date) => string,
  targetsOf: (measure: MeasureId) => readonly ChartTarget[] = () => [],
  locale: ChartLocale = ENGLISH_CHART,
): ProgressChart[] {
  return series.map((s) => ({
    svg: renderProgressChart(s, day, targetsOf(s.measure), locale),
    legend: bandLegend(s.measure, locale.number, locale.words.band),
  }));
}
