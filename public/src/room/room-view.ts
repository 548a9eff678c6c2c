/**
 * What the room page shows, and nothing it decides: the four panels, the screen-reader status line,
 * the state of the call buttons and the one connection-quality meter. The controller
 * (room-controller.ts) tells it what to show; the meter renders DegradeWatch's level, so the words
 * on screen and the layer/audio-only decisions always come from the same thresholds.
 */
import type { QualityLevel } from './quality-governor';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export type Panel = 'panel-connecting' | 'panel-waiting' | 'panel-call' | 'panel-ended';

/** The meter's words and colour for each governor level (room.css colours `fair` and `poor`). */
const METER: Record<QualityLevel, { text: string; level: 'good' | 'fair' | 'poor' }> = {
  normal: { text: t('quality.good'), level: 'good' },
  reduced: { text: t('quality.reduced'), level: 'fair' },
  'offer-audio': { text: t('quality.weak'), level: 'fair' },
  'audio-only': { text: t('quality.audioOnly'), level: 'poor' },
};

export class RoomView {
  readonly #doc: Document;
  readonly #status: HTMLElement;

  constructor(doc: Document) {
    this.#doc = doc;
    this.#status = this.el('room-status');
  }

  /** An element the room page always has (views/rooms/room.ejs); missing means the page is broken. */
  el<T extends HTMLElement = HTMLElement>(id: string): T {
    const found = this.#doc.getElementById(id) as T | null;
    if (!found) throw new Error(`#${id} missing`);
    return found;
  }

  /** An element only some pages have (the host's buttons). */
  maybe<T extends HTMLElement = HTMLElement>(id: string): T | null {
    return this.#doc.getElementById(id) as T | null;
  }

  /** Said to screen readers (role=status), and the last thing said stays readable for tests. */
  announce(text: string): void {
    this.#status.textContent = text;
  }

  /** One panel at a time; focus moves to its heading so a screen reader hears where it is. */
  show(panel: Panel): void {
    for (const id of ['panel-connecting', 'panel-waiting', 'panel-call', 'panel-ended'] as const)
      this.el(id).hidden = id !== panel;
    this.el(panel).querySelector<HTMLElement>('h1[tabindex]')?.focus();
  }

  ended(title: string, detail: string): void {
    this.el('ended-heading').textContent = title;
    this.el('ended-detail').textContent = detail;
    this.show('panel-ended');
  }

  /** A toggle button's pressed state and its label for what a press would do next. */
  toggle(id: string, pressed: boolean, on: string, off: string): void {
    const b = this.el(id);
    b.setAttribute('aria-pressed', String(pressed));
    b.textContent = pressed ? on : off;
  }

  muted(on: boolean): void {
    this.toggle('btn-mic', on, t('controls.unmute'), t('controls.mute'));
  }

  cameraOff(on: boolean): void {
    this.toggle('btn-camera', on, t('controls.cameraOn'), t('controls.cameraOff'));
  }

  sharing(on: boolean): void {
    this.toggle('btn-screen', on, t('controls.stopSharing'), t('controls.shareScreen'));
  }

  /** Audio only: camera and screen sharing cannot be used until video is back. */
  audioOnly(on: boolean): void {
    this.toggle('btn-audio-only', on, t('controls.videoOn'), t('controls.audioOnly'));
    this.el<HTMLButtonElement>('btn-camera').disabled = on;
    this.el<HTMLButtonElement>('btn-screen').disabled = on;
  }

  /** The connection meter: the governor's level in words (one meter; see the header comment). */
  quality(level: QualityLevel): void {
    const meter = this.el('quality');
    meter.textContent = METER[level].text;
    meter.dataset.level = METER[level].level;
  }
}
