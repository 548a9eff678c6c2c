import type { StreamKind } from './rtp-packet';

/**
 * Loss and latency over a measurement window. The window is a span of SEND times on the shared
 * monotonic clock: the sender counts packets it sent inside it, the sink counts packets whose
 * trailer says they were sent inside it (whenever they arrive, up to the report). So a packet in
 * flight at the window's edge is neither lost nor double-counted.
 */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

export type KindCounts = Record<StreamKind, number>;

export const inWindow = (window: Window | null, atUs: number): boolean =>
  window !== null && atUs >= window.fromUs && atUs < window.toUs;

/** The sender's side: packets sent in the window, and how late they left against their schedule. */
export class SentCounter {
  #window: Window | null = null;
  sent: KindCounts = { audio: 0, video: 0 };
  #slipTotalUs = 0;
  #slipMaxUs = 0;

  start(window: Window): void {
    this.#window = window;
    this.sent = { audio: 0, video: 0 };
    this.#slipTotalUs = 0;
    this.#slipMaxUs = 0;
  }

  count(kind: StreamKind, sentAtUs: number, dueAtUs: number): void {
    if (!inWindow(this.#window, sentAtUs)) return;
    this.sent[kind] += 1;
    const slip = Math.max(0, sentAtUs - dueAtUs);
    this.#slipTotalUs += slip;
    if (slip > this.#slipMaxUs) this.#slipMaxUs = slip;
  }

  /** Mean and worst lateness against the schedule, ms: a busy generator shows up here first. */
  slip(): { meanMs: number; maxMs: number } {
    const total = this.sent.audio + this.sent.video;
    return { meanMs: total ? this.#slipTotalUs / total / 1000 : 0, maxMs: this.#slipMaxUs / 1000 };
  }
}

/** The sink's side: packets received that were sent in the window, and their one-way latency. */
export class ReceivedCounter {
  #window: Window | null = null;
  received: KindCounts = { audio: 0, video: 0 };
  /** Second copies of a packet (a retransmission): counted apart, so they cannot hide a loss. */
  duplicates = 0;
  #latenciesMs: number[] = [];
  #seen = new Set<number>();

  start(window: Window): void {
    this.#window = window;
    this.received = { audio: 0, video: 0 };
    this.duplicates = 0;
    this.#latenciesMs = [];
    this.#seen = new Set();
  }

  /** Returns false for a packet outside the window or one already counted. */
  count(kind: StreamKind, sentAtUs: number, receivedAtUs: number, streamId: number, seq: number): boolean {
    if (!inWindow(this.#window, sentAtUs)) return false;
    const key = streamId * 2 ** 32 + seq;
    if (this.#seen.has(key)) {
      this.duplicates += 1;
      return false;
    }
    this.#seen.add(key);
    this.received[kind] += 1;
    this.#latenciesMs.push((receivedAtUs - sentAtUs) / 1000);
    return true;
  }

  latency(): { p50Ms: number; p99Ms: number; maxMs: number } {
    const sorted = [...this.#latenciesMs].sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? NaN };
  }
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Lost share, percent; never negative (a duplicate cannot make up for a loss). */
export function lossPercent(sent: number, received: number): number {
  if (sent <= 0) return 0;
  return (Math.max(0, sent - received) / sent) * 100;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
