import { MEASURES, type MeasureId, type Severity } from './measures';
import type { MeasureResult } from './measures.repository';

export interface ProgressPoint {
  readonly at: Date;
  readonly total: number;
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

const W = 640;
const H = 260;
const PAD = { left: 44, right: 130, top: 16, bottom: 34 };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * One measure's scores over time as a self-contained SVG: severity bands behind, the line of totals
 * in front, each point titled with its date and score. Presentation attributes only (no inline
 * `style`), so it renders under the strict CSP. The page puts the same numbers in a data table.
 */
export function renderProgressChart(series: ProgressSeries): string {
  const def = MEASURES[series.measure];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (score: number) => PAD.top + plotH - (score / def.maxScore) * plotH;
  const times = series.points.map((p) => p.at.getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) =>
    series.points.length <= 1 || t1 === t0 ? PAD.left + plotW / 2 : PAD.left + ((t - t0) / (t1 - t0)) * plotW;
  const id = `chart-${series.measure}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" class="progress-chart">`,
    `<title id="${id}-title">${esc(def.name)} scores over time</title>`,
    `<desc id="${id}-desc">${esc(describe(series))}</desc>`,
  ];
  for (const band of def.bands) {
    const top = y(band.max + (band.max === def.maxScore ? 0 : 0.5));
    const bottom = y(Math.max(0, band.min - 0.5));
    parts.push(
      `<rect x="${PAD.left}" y="${top.toFixed(1)}" width="${plotW}" height="${(bottom - top).toFixed(1)}" fill="${BAND_FILL[band.severity]}"/>`,
      `<text x="${PAD.left + plotW + 6}" y="${((top + bottom) / 2 + 4).toFixed(1)}" font-size="11" fill="#444">${esc(band.label)} (${band.min}–${band.max})</text>`,
    );
  }
  for (const tick of [0, Math.round(def.maxScore / 3), Math.round((2 * def.maxScore) / 3), def.maxScore]) {
    parts.push(
      `<text x="${PAD.left - 6}" y="${(y(tick) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#444">${tick}</text>`,
    );
  }
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#888"/>`,
  );
  if (series.points.length > 0) {
    parts.push(
      `<text x="${PAD.left}" y="${H - 8}" font-size="11" fill="#444">${day(new Date(t0))}</text>`,
      `<text x="${PAD.left + plotW}" y="${H - 8}" font-size="11" text-anchor="end" fill="#444">${day(new Date(t1))}</text>`,
    );
    const coords = series.points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.total).toFixed(1)}`);
    parts.push(`<polyline points="${coords.join(' ')}" fill="none" stroke="#1d4ed8" stroke-width="2"/>`);
    series.points.forEach((p, i) => {
      const [cx, cy] = (coords[i] as string).split(',');
      parts.push(
        `<circle cx="${cx}" cy="${cy}" r="4" fill="${p.crisis ? '#b91c1c' : '#1d4ed8'}"><title>${day(p.at)}: ${p.total} (${esc(p.severityLabel)})</title></circle>`,
      );
    });
  } else {
    parts.push(
      `<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH / 2}" text-anchor="middle" font-size="13" fill="#444">No scores yet</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function describe(series: ProgressSeries): string {
  if (!series.latest) return `No ${series.name} scores yet.`;
  const latest = `Latest ${series.latest.total} (${series.latest.severityLabel}) on ${day(series.latest.at)}`;
  if (series.change === null || !series.baseline) return `${latest}.`;
  const direction = series.change < 0 ? 'down' : series.change > 0 ? 'up' : 'unchanged';
  return `${latest}; ${direction} ${Math.abs(series.change)} from ${series.baseline.total} at intake.`;
}
