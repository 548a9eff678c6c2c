import assert from 'node:assert/strict';
import {
  FrameTiming,
  TOO_SLOW_MS,
  WARM_UP_FRAMES,
  WINDOW_FRAMES,
} from '../../../public/src/media/frame-timing';

describe('background effect frame timing (public/src/media/frame-timing.ts)', () => {
  it('leaves the warm-up out and gives the median and p95 of the window', () => {
    const timing = new FrameTiming();
    for (let i = 0; i < WARM_UP_FRAMES; i += 1) timing.record(1000);
    for (let i = 1; i <= 20; i += 1) timing.record(i);
    assert.deepEqual(timing.summary(), { frames: WARM_UP_FRAMES + 20, medianMs: 10, p95Ms: 19 });
  });

  it('is too slow only over a full window whose median is over the threshold', () => {
    const timing = new FrameTiming();
    for (let i = 0; i < WARM_UP_FRAMES + WINDOW_FRAMES - 1; i += 1) timing.record(TOO_SLOW_MS + 10);
    assert.equal(timing.tooSlow(), false, 'one frame short of a full window');
    timing.record(TOO_SLOW_MS + 10);
    assert.equal(timing.tooSlow(), true);
    timing.reset();
    for (let i = 0; i < WARM_UP_FRAMES + WINDOW_FRAMES; i += 1) timing.record(i % 2 === 0 ? TOO_SLOW_MS : 5);
    assert.equal(timing.tooSlow(), false, 'a median at the threshold is not over it');
  });
});
