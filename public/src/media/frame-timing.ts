/**
 * How long the background effect takes per frame (the time between frames it lets through), over a
 * sliding window of recent frames. The effect is given up (back to "off", with a notice) when the
 * median over a full window is above {@link TOO_SLOW_MS}: the camera sends 24 frames a second
 * (41.7 ms apart), and an effect that needs more than 50 ms a frame holds the picture below 20 frames
 * a second and takes the CPU the call needs.
 */
export const TOO_SLOW_MS = 50;

/** Frames in the window (two seconds at 24 frames a second). */
export const WINDOW_FRAMES = 48;

/** Frames not judged at the start: the model's first runs include compiling and warming caches. */
export const WARM_UP_FRAMES = 12;

export interface FrameTimeSummary {
  readonly frames: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export class FrameTiming {
  readonly #window: number[] = [];
  #seen = 0;

  record(ms: number): void {
    this.#seen += 1;
    if (this.#seen <= WARM_UP_FRAMES) return;
    this.#window.push(ms);
    if (this.#window.length > WINDOW_FRAMES) this.#window.shift();
  }

  summary(): FrameTimeSummary {
    const sorted = [...this.#window].sort((a, b) => a - b);
    return { frames: this.#seen, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
  }

  /** True once a full window has been measured and its median is over the threshold. */
  tooSlow(): boolean {
    return this.#window.length >= WINDOW_FRAMES && this.summary().medianMs > TOO_SLOW_MS;
  }

  reset(): void {
    this.#window.length = 0;
    this.#seen = 0;
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}
