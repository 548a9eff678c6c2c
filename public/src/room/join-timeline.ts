/**
 * When each step of entering a call happened on this page (Date.now(), ms), from the admission push
 * to the first remote video frame. Only the first time of each step counts until the next entry;
 * tests and `bench:media` read it through `window.havenRoom.stats()` to show where join time goes.
 * It holds step names and times, nothing about what was said or shown.
 */
export type JoinStep =
  | 'admitted'
  | 'device'
  | 'transports'
  | 'recv-connected'
  /** The consumers' SDP round started (mediasoup-client's consume). */
  | 'wire-up'
  | 'consumed-audio'
  | 'consumed-video'
  /** The video consumer's resume asked of the server (the keyframe request follows from it). */
  | 'resume-sent'
  /** The server acknowledged that resume. */
  | 'resumed-video'
  /** The last packet of the first remote frame arrived (the browser's rVFC metadata). */
  | 'frame-received'
  /** Our own microphone and camera started going out (receiving-first.ts). */
  | 'sending'
  /** The first remote frame was shown. */
  | 'first-frame';

export class JoinTimeline {
  #marks: Partial<Record<JoinStep, number>> = {};

  mark(step: JoinStep, at = Date.now()): void {
    this.#marks[step] ??= at;
  }

  /** A new entry (admitted again after being moved back): the steps start over. */
  reset(): void {
    this.#marks = {};
  }

  snapshot(): Partial<Record<JoinStep, number>> {
    return { ...this.#marks };
  }
}
