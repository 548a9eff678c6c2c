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
  | 'consumed-audio'
  | 'consumed-video'
  | 'resumed-video'
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
