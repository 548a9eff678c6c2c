import assert from 'node:assert/strict';
import {
  FREQUENCY_OPTIONS,
  GAD7,
  PHQ9,
  bandFor,
  scoreMeasure,
  type MeasureId,
} from '../../../server/clinical/measures';

/** Answers adding up to `total` for a measure with `items` items (fills from the front, max 3 each). */
function answersFor(total: number, items: number, avoidLast = false): number[] {
  const answers = new Array<number>(items).fill(0);
  let left = total;
  const order = [...answers.keys()];
  if (avoidLast) order.push(order.splice(items - 1, 1)[0] as number);
  for (const i of order) {
    const take = Math.min(3, left);
    answers[i] = take;
    left -= take;
  }
  return answers;
}

describe('clinical measures', () => {
  it('uses the published response options', () => {
    assert.deepEqual(
      FREQUENCY_OPTIONS.map((o) => `${o.value} ${o.label}`),
      ['0 Not at all', '1 Several days', '2 More than half the days', '3 Nearly every day'],
    );
  });

  it('has the published PHQ-9 and GAD-7 items', () => {
    assert.equal(PHQ9.items.length, 9);
    assert.equal(PHQ9.items[0], 'Little interest or pleasure in doing things');
    assert.equal(
      PHQ9.items[8],
      'Thoughts that you would be better off dead or of hurting yourself in some way',
    );
    assert.equal(GAD7.items.length, 7);
    assert.equal(GAD7.items[0], 'Feeling nervous, anxious or on edge');
    assert.equal(GAD7.items[6], 'Feeling afraid as if something awful might happen');
  });

  const boundaries: Array<[MeasureId, number, string]> = [
    ['phq9', 0, 'minimal'],
    ['phq9', 4, 'minimal'],
    ['phq9', 5, 'mild'],
    ['phq9', 9, 'mild'],
    ['phq9', 10, 'moderate'],
    ['phq9', 14, 'moderate'],
    ['phq9', 15, 'moderately_severe'],
    ['phq9', 19, 'moderately_severe'],
    ['phq9', 20, 'severe'],
    ['phq9', 27, 'severe'],
    ['gad7', 0, 'minimal'],
    ['gad7', 4, 'minimal'],
    ['gad7', 5, 'mild'],
    ['gad7', 9, 'mild'],
    ['gad7', 10, 'moderate'],
    ['gad7', 14, 'moderate'],
    ['gad7', 15, 'severe'],
    ['gad7', 21, 'severe'],
  ];
  for (const [measure, total, severity] of boundaries) {
    it(`${measure} total ${total} is ${severity}`, () => {
      const items = measure === 'phq9' ? 9 : 7;
      // Keep PHQ-9 item 9 at 0 where possible so the band test is not also a crisis test.
      const score = scoreMeasure(measure, answersFor(total, items, measure === 'phq9'));
      assert.equal(score.total, total);
      assert.equal(score.severity, severity);
      assert.equal(bandFor(measure, total).severity, severity);
    });
  }

  it('bands cover every possible total exactly once', () => {
    for (const def of [PHQ9, GAD7]) {
      for (let total = 0; total <= def.maxScore; total++) {
        assert.equal(def.bands.filter((b) => total >= b.min && total <= b.max).length, 1);
      }
      assert.throws(() => bandFor(def.id, def.maxScore + 1), RangeError);
      assert.throws(() => bandFor(def.id, -1), RangeError);
    }
  });

  it('flags a crisis on any PHQ-9 item 9 answer above 0, whatever the total', () => {
    const low = scoreMeasure('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(low.total, 1);
    assert.equal(low.severity, 'minimal');
    assert.equal(low.crisis, true);
    assert.equal(scoreMeasure('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 3]).crisis, true);
    assert.equal(scoreMeasure('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]).crisis, false);
    assert.equal(scoreMeasure('gad7', [3, 3, 3, 3, 3, 3, 3]).crisis, false);
  });

  it('refuses incomplete or out-of-range answers', () => {
    assert.throws(() => scoreMeasure('phq9', [0, 0, 0]), RangeError);
    assert.throws(() => scoreMeasure('gad7', [0, 0, 0, 0, 0, 0, 4]), RangeError);
    assert.throws(() => scoreMeasure('gad7', [0, 0, 0, 0, 0, 0, -1]), RangeError);
    assert.throws(() => scoreMeasure('gad7', [0, 0, 0, 0, 0, 0, 1.5]), RangeError);
  });
});
