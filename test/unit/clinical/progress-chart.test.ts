import assert from 'node:assert/strict';
import { progressSeries, renderProgressChart, scoreMeasure } from '../../../server/clinical';
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
      assert.ok(svg.includes(band), band);
    }
    assert.equal(svg.match(/<circle /g)?.length, 3);
    assert.match(svg, /fill="#b91c1c"><title>2026-03-02: 5 \(Mild\)/, 'the item-9 answer is marked');
    assert.doesNotMatch(svg, /style=/, 'no inline styles under the CSP');
  });

  it('says so when there are no scores', () => {
    const [, gad] = progressSeries([]);
    assert.match(renderProgressChart(gad!), /No scores yet/);
  });
});
