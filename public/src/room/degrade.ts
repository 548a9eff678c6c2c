/**
 * Degrading gracefully on a weak connection: every couple of seconds a sample from the page's own
 * getStats goes into the QualityGovernor (the pure decision part), and this module carries out the
 * level it decides: lower simulcast layers both ways, then the "switch to audio only?" question,
 * then (in the extreme) audio-only applied and said on screen, and back up as the connection heals.
 */
import type { MediaStats } from './media-stats';
import { QualityGovernor, type QualityLevel } from './quality-governor';

const SAMPLE_EVERY_MS = 2000;

/** The sentences DegradeWatch shows: audio-only applied, video back, video lowered, the question. */
export interface DegradeWords {
  readonly audioOnly: string;
  readonly improved: string;
  readonly reduced: string;
  readonly offer: string;
}

export interface DegradeDeps {
  /** The current media's counters, or null while there is none. */
  stats(): Promise<MediaStats | null>;
  /**
   * The question box (hidden unless asking) and the on-screen notice (role=status). Only what is
   * used is named, so a unit test can pass plain objects (test/unit/rooms/degrade-watch.test.ts).
   */
  readonly offer: { hidden: boolean };
  readonly notice: { textContent: string | null };
  /** Re-applies the receive layer (the page reads `maxReceiveLayer`) and caps what we send. */
  applyLayers(): Promise<void>;
  setMaxSendLayer(spatialLayer: number): Promise<void>;
  /** Audio-only on/off, as the governor's decision (not the person's own choice). */
  setAudioOnly(on: boolean): Promise<void>;
  announce(text: string): void;
  /**
   * What the notice and the screen reader say, in the page's language (the controller reads them
   * from the room bundle's strings; a unit test passes its own).
   */
  readonly words: DegradeWords;
  /** Shows the level on the page's one quality meter (after every measured sample and every change). */
  showLevel(level: QualityLevel): void;
}

export class DegradeWatch {
  readonly #deps: DegradeDeps;
  readonly #governor: QualityGovernor;
  #last: { lost: number; received: number } | null = null;
  /** Audio-only was applied by us (so we may also lift it), not chosen by the person. */
  #autoAudioOnly = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: DegradeDeps, governor = new QualityGovernor()) {
    this.#deps = deps;
    this.#governor = governor;
  }

  get level(): QualityLevel {
    return this.#governor.level;
  }

  /** The highest simulcast layer to ask for while degraded (2 = whatever fits the tile). */
  get maxReceiveLayer(): number {
    return this.#governor.level === 'normal' ? 2 : 0;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sample().catch(() => {}), SAMPLE_EVERY_MS);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The person switched audio-only themselves: their choice stands; the question goes away. */
  personChose(audioOnly: boolean): void {
    this.#autoAudioOnly = false;
    this.#governor.setManualAudioOnly(audioOnly);
    this.#deps.offer.hidden = true;
    this.#deps.notice.textContent = '';
    this.#deps.showLevel(this.level);
  }

  /** "Keep video": stay at the lower quality, and do not ask again for a while. */
  async keepVideo(): Promise<void> {
    await this.#apply(this.#governor.decline());
    this.#deps.showLevel(this.level);
  }

  async sample(): Promise<void> {
    const s = await this.#deps.stats();
    if (!s) {
      this.#last = null;
      return;
    }
    const last = this.#last;
    this.#last = { lost: s.packetsLost, received: s.packetsReceived };
    // A new media session starts its counters at zero: that sample is a new baseline only.
    if (!last || s.packetsReceived < last.received || s.packetsLost < last.lost) return;
    const lost = s.packetsLost - last.lost;
    const received = s.packetsReceived - last.received;
    const loss = lost + received > 0 ? lost / (lost + received) : 0;
    const level = this.#governor.feed({
      loss,
      rttMs: s.roundTripMs,
      outgoingBps: s.availableOutgoingBitrate,
    });
    this.#deps.showLevel(this.level);
    if (level) await this.#apply(level);
  }

  async #apply(level: QualityLevel): Promise<void> {
    const { offer, notice } = this.#deps;
    offer.hidden = level !== 'offer-audio';
    if (level === 'audio-only') {
      this.#autoAudioOnly = true;
      await this.#deps.setAudioOnly(true);
      notice.textContent = this.#deps.words.audioOnly;
      this.#deps.announce(notice.textContent);
      return;
    }
    if (this.#autoAudioOnly) {
      this.#autoAudioOnly = false;
      await this.#deps.setAudioOnly(false);
      notice.textContent = this.#deps.words.improved;
      this.#deps.announce(notice.textContent);
    }
    await this.#deps.setMaxSendLayer(level === 'normal' ? 2 : 0);
    await this.#deps.applyLayers();
    if (level === 'normal') notice.textContent = '';
    else if (level === 'reduced' && notice.textContent !== this.#deps.words.improved)
      notice.textContent = this.#deps.words.reduced;
    if (level === 'offer-audio') this.#deps.announce(this.#deps.words.offer);
  }
}
