/**
 * Background effects for this page's camera tracks. Each camera track the page captures goes
 * through {@link BackgroundEffects.process}: its frames run through an insertable-streams pipeline
 * (effect-pipeline.ts) and come out as a new track, which is what the self-view shows and the call
 * sends. Switching the effect only tells the pipelines; the track stays the same, so a call never
 * renegotiates or drops.
 * Everything runs in this browser: the model and MediaPipe's wasm are served by Haven itself.
 */
import { loadBackgroundChoice, saveBackgroundChoice, type BackgroundEffectName } from './background-choice';
import type { EffectAssets, FromPipeline } from './effect-messages';
import { EffectPipeline } from './effect-pipeline';
import type { FrameTimeSummary } from './frame-timing';

// Chromium's insertable streams for raw video (not yet in TypeScript's DOM library).
declare const MediaStreamTrackProcessor: {
  new (init: { track: MediaStreamTrack }): { readonly readable: ReadableStream<VideoFrame> };
};
declare const MediaStreamTrackGenerator: {
  new (init: { kind: 'video' }): MediaStreamTrack & { readonly writable: WritableStream<VideoFrame> };
};

/** Where scripts/build.mjs put MediaPipe's files: a folder named for the package versions. */
declare const __MEDIAPIPE_PATH__: string;

const ASSETS: EffectAssets = {
  loader: `${__MEDIAPIPE_PATH__}/selfie_segmentation.js`,
  base: __MEDIAPIPE_PATH__,
};

/** What a page may tell the person: the effect was turned off because this device is too slow, or cannot run at all. */
export type EffectNotice =
  { readonly kind: 'too-slow'; readonly medianMs: number } | { readonly kind: 'unavailable' };

export interface EffectState {
  readonly effect: BackgroundEffectName;
  /** The latest frame times measured (zero frames until an effect has run a while). */
  readonly timing: FrameTimeSummary;
  /** How long the segmentation model takes per run (it runs beside the frames, see effect-pipeline.ts). */
  readonly model: FrameTimeSummary;
  /** Why effects could not start in this browser (the loader's error), if they could not. */
  readonly problem: string | null;
}

const NONE: FrameTimeSummary = { frames: 0, medianMs: 0, p95Ms: 0 };

export class BackgroundEffects {
  #effect: BackgroundEffectName = loadBackgroundChoice();
  #timing: FrameTimeSummary = NONE;
  #model: FrameTimeSummary = NONE;
  #problem: string | null = null;
  readonly #pipelines = new Set<EffectPipeline>();
  readonly #listeners = new Set<(effect: BackgroundEffectName, notice: EffectNotice | null) => void>();

  /** Insertable streams for raw video and OffscreenCanvas: Chromium-based browsers today. */
  static supported(): boolean {
    return (
      typeof MediaStreamTrackProcessor === 'function' &&
      typeof MediaStreamTrackGenerator === 'function' &&
      typeof OffscreenCanvas === 'function'
    );
  }

  get state(): EffectState {
    return { effect: this.#effect, timing: this.#timing, model: this.#model, problem: this.#problem };
  }

  /** Called whenever the effect changes: with a notice when it was given up, null when chosen. */
  onChange(listener: (effect: BackgroundEffectName, notice: EffectNotice | null) => void): void {
    this.#listeners.add(listener);
  }

  /** Chooses the effect for every camera track of this page now and later, and remembers it here. */
  choose(effect: BackgroundEffectName): void {
    this.#effect = effect;
    saveBackgroundChoice(effect);
    this.#timing = NONE;
    this.#model = NONE;
    for (const pipeline of this.#pipelines) pipeline.effect = effect;
    this.#notify(null);
  }

  /**
   * The track to show and send for a camera track: processed by a pipeline, or the camera itself
   * where this browser cannot run effects. Stopping the returned track stops the camera too.
   */
  process(camera: MediaStreamTrack): MediaStreamTrack {
    if (!BackgroundEffects.supported()) return camera;
    const processor = new MediaStreamTrackProcessor({ track: camera });
    const generator = new MediaStreamTrackGenerator({ kind: 'video' });
    const pipeline = new EffectPipeline(processor.readable, generator.writable, {
      assets: ASSETS,
      effect: this.#effect,
      report: (message) => this.#received(message),
    });
    this.#pipelines.add(pipeline);
    // A generator's track has no source of its own to stop: stopping it ends the camera and the pipeline.
    const stopGenerator = generator.stop.bind(generator);
    generator.stop = () => {
      stopGenerator();
      camera.stop();
      pipeline.stop();
      this.#pipelines.delete(pipeline);
    };
    // The camera's own settings (which device, its size) stay readable through the processed track.
    generator.getSettings = () => camera.getSettings();
    return generator;
  }

  #received(message: FromPipeline): void {
    if (message.type === 'stats') {
      if (message.effect !== this.#effect) return;
      this.#timing = { frames: message.frames, medianMs: message.medianMs, p95Ms: message.p95Ms };
      this.#model = message.model;
      return;
    }
    // Given up in one pipeline: off in all of them, and remembered so the next session starts plainly.
    this.#effect = 'off';
    saveBackgroundChoice('off');
    for (const pipeline of this.#pipelines) pipeline.effect = 'off';
    if (message.type === 'too-slow') {
      this.#timing = { frames: message.frames, medianMs: message.medianMs, p95Ms: message.p95Ms };
      this.#notify({ kind: 'too-slow', medianMs: message.medianMs });
    } else {
      this.#problem = message.reason;
      this.#notify({ kind: 'unavailable' });
    }
  }

  #notify(notice: EffectNotice | null): void {
    for (const listener of this.#listeners) listener(this.#effect, notice);
  }
}

/** The page's one set of effects: every camera track it captures goes through it. */
export const backgroundEffects = new BackgroundEffects();
