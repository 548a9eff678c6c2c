/** What a background-effect pipeline reports to the page's effects (type-only). */
import type { BackgroundEffectName } from './background-choice';
import type { FrameTimeSummary } from './frame-timing';

/** Where the pipeline finds MediaPipe's loader, wasm and model, all served by Haven itself. */
export interface EffectAssets {
  /** The solution's loader script. */
  readonly loader: string;
  /** The folder its other files (wasm, packed graph, model) are fetched from. */
  readonly base: string;
}

export type FromPipeline =
  /** Every 24 frames while an effect runs: the frame times measured, and the model's own times. */
  | ({
      readonly type: 'stats';
      readonly effect: BackgroundEffectName;
      readonly model: FrameTimeSummary;
    } & FrameTimeSummary)
  /** The effect was given up because frames took too long; the camera is sent as it is. */
  | ({ readonly type: 'too-slow' } & FrameTimeSummary)
  /** The model could not start in this browser (no WebGL, wasm refused…): effects are unavailable. */
  | { readonly type: 'unavailable'; readonly reason: string };
