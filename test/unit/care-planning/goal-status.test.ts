import assert from 'node:assert/strict';
import { targetProgress, type ScorePoint } from '../../../server/care-planning';

const start = new Date('2026-01-10T12:00:00Z');
const now = new Date('2026-02-01T12:00:00Z');
const at = (day: string, total: number): ScorePoint => ({ at: new Date(`${day}T09:00:00Z`), total });

/** PHQ-9 "below 10 by 1 March", baseline 18 on the day before the plan began. */
function phq(latest: number, options: { date?: string | null; on?: string; now?: Date } = {}) {
  return targetProgress({
    measure: 'phq9',
    below: 10,
    targetDate: options.date === undefined ? '2026-03-01' : options.date,
    planStart: start,
    scores: [at('2026-01-09', 18), at(options.on ?? '2026-01-31', latest)],
    now: options.now ?? now,
  });
}

describe('goal status from scores', () => {
  it('is met only strictly below the target: on it is not met, just below is', () => {
    assert.equal(phq(9).status, 'met');
    assert.notEqual(phq(10).status, 'met');
    assert.notEqual(phq(11).status, 'met');
  });

  it('counts a PHQ-9 fall of 5 points as reliable improvement (on track), 4 only against the line', () => {
    // 18 → 13: reliable improvement, on track even with no target date.
    assert.equal(phq(13, { date: null }).status, 'on_track');
    // 18 → 14: not reliable, and without a date there is no line to be on: off track.
    assert.equal(phq(14, { date: null }).status, 'off_track');
    // With 1 March as the date, 31 January is ~42% of the way: expected ~14.6, so 14 is on track, 15 is not.
    assert.equal(phq(14).status, 'on_track');
    assert.equal(phq(15).status, 'off_track');
  });

  it('is off track on a reliable worsening (5 up) but not on 4 up before the line', () => {
    assert.equal(phq(23, { date: null }).status, 'off_track');
    assert.deepEqual(phq(23, { date: null }).reason, {
      code: 'worse',
      change: 5,
      baseline: 18,
      threshold: 5,
    });
    assert.equal(phq(22, { date: null }).reason.code, 'no_reliable_change');
  });

  it('is off track once the target date has passed unmet, and met scores on that day still count', () => {
    const after = new Date('2026-03-02T00:00:01Z');
    assert.equal(phq(12, { on: '2026-03-01', now: after }).status, 'off_track');
    assert.equal(phq(9, { on: '2026-03-01', now: after }).status, 'met');
    // The whole target day still counts as "by 1 March".
    assert.equal(phq(13, { on: '2026-03-01', now: new Date('2026-03-01T23:00:00Z') }).status, 'on_track');
  });

  it('uses 4 points as reliable change for the GAD-7', () => {
    const gad = (latest: number) =>
      targetProgress({
        measure: 'gad7',
        below: 5,
        targetDate: null,
        planStart: start,
        scores: [at('2026-01-09', 15), at('2026-01-31', latest)],
        now,
      }).status;
    assert.equal(gad(11), 'on_track');
    assert.equal(gad(12), 'off_track');
  });

  it('says "no scores" until there is a score after the baseline', () => {
    const status = (scores: ScorePoint[]) =>
      targetProgress({ measure: 'phq9', below: 10, targetDate: null, planStart: start, scores, now }).status;
    assert.equal(status([]), 'no_scores');
    assert.equal(status([at('2026-01-09', 18)]), 'no_scores');
    assert.equal(status([at('2026-01-20', 8)]), 'no_scores', 'a lone score after the start is the baseline');
  });
});
