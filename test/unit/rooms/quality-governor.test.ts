import assert from 'node:assert/strict';
import {
  QualityGovernor,
  type QualityLevel,
  type QualitySample,
} from '../../../public/src/room/quality-governor';

const GOOD: QualitySample = { loss: 0, rttMs: 40, outgoingBps: 1_500_000 };
const FAIR: QualitySample = { loss: 0.03, rttMs: 120, outgoingBps: 800_000 };
const LOSSY: QualitySample = { loss: 0.08, rttMs: 120, outgoingBps: 800_000 };
const THIN_UPLINK: QualitySample = { loss: 0, rttMs: 60, outgoingBps: 180_000 };
const SEVERE: QualitySample = { loss: 0.3, rttMs: 900, outgoingBps: 60_000 };

/** Feeds samples; returns every level change in order. */
function run(governor: QualityGovernor, samples: QualitySample[]): QualityLevel[] {
  const changes: QualityLevel[] = [];
  for (const s of samples) {
    const level = governor.feed(s);
    if (level) changes.push(level);
  }
  return changes;
}
const times = (n: number, s: QualitySample): QualitySample[] => Array.from({ length: n }, () => s);

describe('quality governor (degrading gracefully)', () => {
  it('classifies samples by loss, round trip and upload estimate', () => {
    const g = new QualityGovernor();
    assert.equal(g.classify(GOOD), 'good');
    assert.equal(g.classify(FAIR), 'fair');
    assert.equal(g.classify(LOSSY), 'bad');
    assert.equal(g.classify(THIN_UPLINK), 'bad');
    assert.equal(g.classify({ loss: 0, rttMs: 500, outgoingBps: null }), 'bad');
    assert.equal(g.classify(SEVERE), 'severe');
    assert.equal(g.classify({ loss: 0.2, rttMs: null, outgoingBps: null }), 'severe');
    assert.equal(g.classify({ loss: 0, rttMs: null, outgoingBps: null }), 'good');
  });

  it('a short burst of loss changes nothing: only sustained trouble steps down', () => {
    const g = new QualityGovernor();
    assert.deepEqual(run(g, [LOSSY, LOSSY, GOOD, LOSSY, LOSSY, FAIR, SEVERE, SEVERE, GOOD]), []);
    assert.equal(g.level, 'normal');
  });

  it('steps down one level at a time: layers first, then the audio-only offer, then audio-only', () => {
    const g = new QualityGovernor();
    assert.deepEqual(run(g, times(3, THIN_UPLINK)), ['reduced']);
    assert.deepEqual(run(g, times(3, LOSSY)), ['offer-audio']);
    // Merely bad (not severe) never forces audio-only.
    assert.deepEqual(run(g, times(20, LOSSY)), []);
    assert.equal(g.level, 'offer-audio');
    assert.deepEqual(run(g, times(4, SEVERE)), []);
    assert.deepEqual(run(g, [SEVERE]), ['audio-only']);
  });

  it('recovers upward when conditions improve: video back at a low layer first, then full', () => {
    const g = new QualityGovernor();
    run(g, times(30, SEVERE));
    assert.equal(g.level, 'audio-only');
    // In audio-only the upload estimate does not count (audio needs little): loss and RTT do.
    assert.deepEqual(run(g, times(4, { loss: 0, rttMs: 50, outgoingBps: 40_000 })), []);
    assert.deepEqual(run(g, [{ loss: 0, rttMs: 50, outgoingBps: 40_000 }]), ['reduced']);
    assert.deepEqual(
      run(g, [...times(9, GOOD), FAIR, ...times(9, GOOD)]),
      [],
      'a fair sample resets the run',
    );
    assert.deepEqual(run(g, [GOOD]), ['normal']);
  });

  it('below normal, the upload estimate (which falls with what we send) neither pushes down nor holds down', () => {
    const g = new QualityGovernor();
    run(g, times(3, THIN_UPLINK));
    assert.equal(g.level, 'reduced');
    const lowEstimate = { loss: 0, rttMs: 40, outgoingBps: 60_000 };
    assert.equal(g.classify(lowEstimate), 'good');
    assert.deepEqual(run(g, times(10, lowEstimate)), ['normal']);
    assert.equal(g.classify(lowEstimate), 'severe', 'at normal it counts again');
  });

  it('"keep video" is respected for a while, but the extreme still applies audio-only', () => {
    const g = new QualityGovernor({ declineQuietSamples: 20 });
    run(g, times(6, LOSSY));
    assert.equal(g.level, 'offer-audio');
    assert.equal(g.decline(), 'reduced');
    assert.deepEqual(run(g, times(8, LOSSY)), [], 'no second question during the quiet time');
    assert.deepEqual(run(g, times(5, SEVERE)), ['audio-only']);
    const later = new QualityGovernor({ declineQuietSamples: 3 });
    run(later, times(6, LOSSY));
    later.decline();
    assert.deepEqual(run(later, times(6, LOSSY)), ['offer-audio'], 'asked again after the quiet time');
  });

  it("never overrides a person's own audio-only choice, and starts afresh when they turn it off", () => {
    const g = new QualityGovernor();
    run(g, times(3, LOSSY));
    g.setManualAudioOnly(true);
    assert.deepEqual(run(g, [...times(20, SEVERE), ...times(20, GOOD)]), []);
    assert.equal(g.level, 'normal');
    g.setManualAudioOnly(false);
    assert.deepEqual(run(g, times(3, LOSSY)), ['reduced']);
  });
});
