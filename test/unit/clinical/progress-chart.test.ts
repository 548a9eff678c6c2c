import assert from 'node:assert/strict';
import {
  bandLegend,
  ENGLISH_CHART,
  progressSeries,
  renderProgressChart,
  scoreMeasure,
} from '../../../server/clinical';
import type { MeasureResult } from '../../../server/clinical';

function result(measure: 'phq9' | 'gad7', answers: number[], at: string, source = 'self'): MeasureResult {
  return {
    ...scoreMeasure(measure, answers),
    id: at,
    clientId: 'c',
    source: source as MeasureResult['source'],
    difficulty: null,
    submittedAt: new Date(at),
  };
}

describe('progress chart', () => {
  const results = [
    result('phq9', [3, 3, 2, 2, 2, 2, 1, 1, 0], '2026-01-05T10:00:00Z', 'intake'),
    result('gad7', [2, 2, 2, 2, 1, 1, 1], '2026-01-05T10:00:00Z', 'intake'),
    result('phq9', [2, 2, 1, 1, 1, 1, 1, 0, 0], '2026-02-02T10:00:00Z'),
    result('phq9', [1, 1, 1, 0, 1, 0, 0, 0, 1], '2026-03-02T10:00:00Z'),
  ];

  it('measures change from the intake score to the latest', () => {
    const [phq, gad] = progressSeries(results);
    assert.equal(phq?.baseline?.total, 16);
    assert.equal(phq?.latest?.total, 5);
    assert.equal(phq?.change, -11);
    assert.equal(gad?.points.length, 1);
    assert.equal(gad?.change, null, 'one score is no change');
  });

  it('draws severity bands, one point per score, and an accessible title and description', () => {
    const [phq] = progressSeries(results);
    const svg = renderProgressChart(phq!);
    assert.match(svg, /^<svg [^>]*role="img"/);
    assert.match(svg, /<title id="chart-phq9-title">PHQ-9 scores over time<\/title>/);
    assert.match(svg, /down 11 from 16 at intake/);
    for (const band of [
      'Minimal (0–4)',
      'Mild (5–9)',
      'Moderate (10–14)',
      'Moderately severe (15–19)',
      'Severe (20–27)',
    ]) {
      assert.ok(svg.includes(`<title>${band}</title></rect>`), band);
    }
    assert.equal(svg.match(/<circle /g)?.length, 3);
    assert.match(svg, /fill="#b91c1c"><title>2026-03-02: 5 \(Mild\)/, 'the item-9 answer is marked');
    assert.doesNotMatch(svg, /style=/, 'no inline styles under the CSP');
  });

  it('draws every label inside the drawing at a size a phone can read, dates in the reader format', () => {
    const [phq] = progressSeries(results);
    const svg = renderProgressChart(phq!, (d) => `day ${d.getUTCDate()}/${d.getUTCMonth() + 1}`);
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
    assert.ok(
      width <= 360,
      'drawn for a phone: 288 px of chart on a 320 px screen is a scale of 0.8 or more',
    );
    for (const m of svg.matchAll(/<text x="([\d.]+)"[^>]*font-size="(\d+)"[^>]*>([^<]*)</g)) {
      assert.ok(Number(m[2]) >= 16, `"${m[3]}" at font-size ${m[2]} (≥ 12 px on a 320 px phone)`);
      assert.ok(Number(m[1]) <= width, `"${m[3]}" starts inside the drawing`);
    }
    assert.match(svg, />day 5\/1</, 'the first date, as the reader writes dates');
    assert.match(svg, /<title>day 2\/3: 5 \(Mild\)/);
  });

  it('gives the page a legend of the bands, lowest scores first', () => {
    assert.deepEqual(
      bandLegend('gad7').map((b) => `${b.label} (${b.range})`),
      ['Minimal (0–4)', 'Mild (5–9)', 'Moderate (10–14)', 'Severe (15–21)'],
    );
    assert.ok(bandLegend('phq9').every((b) => /^#[0-9a-f]{6}$/.test(b.fill)));
  });

  it('says so when there are no scores', () => {
    const [, gad] = progressSeries([]);
    assert.match(renderProgressChart(gad!), /No scores yet/);
  });

  it('runs right to left for an Arabic reader: time from right to left, the scores on the right, Arabic digits', () => {
    const [phq] = progressSeries(results);
    const arabic = new Intl.NumberFormat('ar-u-nu-arab');
    const svg = renderProgressChart(phq!, (d) => d.toISOString().slice(0, 10), [], {
      ...ENGLISH_CHART,
      number: (n) => arabic.format(n),
      rtl: true,
    });
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(xs.length, 3);
    assert.ok(xs[0]! > xs[1]! && xs[1]! > xs[2]!, `the oldest score is on the right: ${xs}`);
    const ticks = [...svg.matchAll(/<text x="([\d.]+)"[^>]*>([^<]+)<\/text>/g)];
    const top = ticks.find((m) => m[2] === '٢٧');
    assert.ok(top, 'the top of the scale is written ٢٧');
    assert.ok(Number(top[1]) > 300, `the score axis stands on the right (x=${top[1]})`);
    assert.match(
      svg,
      /<text x="[\d.]+" y="[\d.]+" font-size="16" text-anchor="end" fill="#444">2026-01-05<\/text>/,
    );
    const ltr = renderProgressChart(phq!);
    const ltrXs = [...ltr.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      xs.map((x) => Math.round(x)),
      ltrXs.map((x) => Math.round(360 - x)),
      'mirrored',
    );
  });
});
