/**
 * Degrading gracefully, as a pure state machine the page feeds one connection sample every couple
 * of seconds (from getStats). No DOM and no timers here, so it is unit-tested sample by sample
 * (test/unit/rooms/quality-governor.test.ts) and the page only acts on the level it returns.
 *
 * Levels, worst last. Each step down needs a *sustained* problem (several samples in a row) and
 * each step up a longer run of good samples, so one bad second never flips the call around:
 *   normal       – the simulcast layer that fits the tile (back to it needs ~20 s of good samples)
 *   reduced      – the lowest simulcast layer both ways (receive layer 0, send at most layer 0)
 *   offer-audio  – still reduced, and the page asks "switch to audio only?"
 *   audio-only   – applied for the person (no video sent or received), said on screen
 */
export type QualityLevel = 'normal' | 'reduced' | 'offer-audio' | 'audio-only';

export interface QualitySample {
  /** Fraction of incoming packets lost since the last sample (0..1). */
  readonly loss: number;
  /** Round-trip time to the media server, when known. */
  readonly rttMs: number | null;
  /** The browser's estimate of the upload bandwidth (bits/s), when known. */
  readonly outgoingBps: number | null;
}

export interface GovernorThresholds {
  /** A sample is bad from this loss, round trip or upload bandwidth on. */
  readonly badLoss: number;
  readonly badRttMs: number;
  readonly badOutgoingBps: number;
  /** …and severe from these. */
  readonly severeLoss: number;
  readonly severeRttMs: number;
  readonly severeOutgoingBps: number;
  /** Good needs all of these (below loss and round trip, at least this bandwidth). */
  readonly goodLoss: number;
  readonly goodRttMs: number;
  readonly goodOutgoingBps: number;
  /** Samples in a row before a step down (bad), to audio-only (severe), and before a step up (good). */
  readonly badRun: number;
  readonly severeRun: number;
  readonly goodRun: number;
  /** Good samples in a row before the full layers come back (longer: the estimate needs to recover). */
  readonly normalRun: number;
  /** After "keep video", samples before the question may be asked again. */
  readonly declineQuietSamples: number;
}

/** With a sample every 2 s: ~6 s of trouble to step down, ~10 s of severe trouble for audio-only. */
export const DEFAULT_THRESHOLDS: GovernorThresholds = {
  badLoss: 0.05,
  badRttMs: 400,
  badOutgoingBps: 250_000,
  severeLoss: 0.15,
  severeRttMs: 1000,
  severeOutgoingBps: 100_000,
  goodLoss: 0.02,
  goodRttMs: 250,
  goodOutgoingBps: 400_000,
  badRun: 3,
  severeRun: 5,
  goodRun: 5,
  normalRun: 10,
  declineQuietSamples: 30,
};

export type SampleClass = 'good' | 'fair' | 'bad' | 'severe';

export class QualityGovernor {
  readonly #t: GovernorThresholds;
  #level: QualityLevel = 'normal';
  #bad = 0;
  #severe = 0;
  #good = 0;
  #quietUntil = 0;
  #samples = 0;
  /** The person chose audio-only themselves: nothing here overrides that choice. */
  #manual = false;

  constructor(thresholds: Partial<GovernorThresholds> = {}) {
    this.#t = { ...DEFAULT_THRESHOLDS, ...thresholds };
  }

  get level(): QualityLevel {
    return this.#level;
  }

  /**
   * How one sample counts. The upload estimate only counts at `normal`: once we send less (the
   * smallest layer, or audio only) the browser's estimate falls with it, and counting it then would
   * push the call further down (or hold it down) by our own doing. Loss and round trip still count.
   */
  classify(sample: QualitySample): SampleClass {
    const t = this.#t;
    const rtt = sample.rttMs;
    const out = this.#level === 'normal' ? sample.outgoingBps : null;
    if (sample.loss >= t.severeLoss || (rtt !== null && rtt >= t.severeRttMs)) return 'severe';
    if (out !== null && out < t.severeOutgoingBps) return 'severe';
    if (sample.loss >= t.badLoss || (rtt !== null && rtt >= t.badRttMs)) return 'bad';
    if (out !== null && out < t.badOutgoingBps) return 'bad';
    const goodRtt = rtt === null || rtt < t.goodRttMs;
    const goodOut = out === null || out >= t.goodOutgoingBps;
    return sample.loss < t.goodLoss && goodRtt && goodOut ? 'good' : 'fair';
  }

  /** Feeds one sample; returns the new level when it changed, else null. */
  feed(sample: QualitySample): QualityLevel | null {
    this.#samples += 1;
    if (this.#manual) return null;
    const kind = this.classify(sample);
    this.#good = kind === 'good' ? this.#good + 1 : 0;
    this.#bad = kind === 'bad' || kind === 'severe' ? this.#bad + 1 : 0;
    this.#severe = kind === 'severe' ? this.#severe + 1 : 0;
    const t = this.#t;
    const quiet = this.#samples < this.#quietUntil;
    switch (this.#level) {
      case 'normal':
        if (this.#bad >= t.badRun) return this.#to('reduced');
        break;
      case 'reduced':
        if (this.#severe >= t.severeRun && quiet) return this.#to('audio-only');
        if (this.#bad >= t.badRun && !quiet) return this.#to('offer-audio');
        if (this.#good >= t.normalRun) return this.#to('normal');
        break;
      case 'offer-audio':
        if (this.#severe >= t.severeRun) return this.#to('audio-only');
        if (this.#good >= t.goodRun) return this.#to('reduced');
        break;
      case 'audio-only':
        // Video comes back at the lowest layer first; `normal` needs another good run after that.
        if (this.#good >= t.goodRun) return this.#to('reduced');
        break;
    }
    return null;
  }

  /** "Keep video": back to reduced, and the question is not asked again for a while. */
  decline(): QualityLevel {
    this.#quietUntil = this.#samples + this.#t.declineQuietSamples;
    return this.#to('reduced');
  }

  /**
   * The person turned audio-only on or off themselves. On: the governor stands aside (it never
   * turns video back on for them). Off: it starts again from normal.
   */
  setManualAudioOnly(on: boolean): void {
    this.#manual = on;
    this.#level = 'normal';
    this.#bad = this.#severe = this.#good = 0;
  }

  #to(level: QualityLevel): QualityLevel {
    this.#level = level;
    this.#bad = this.#severe = this.#good = 0;
    return level;
  }
}
