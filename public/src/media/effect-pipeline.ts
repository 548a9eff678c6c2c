/**
 * The background effect's pipeline: camera frames come in through a MediaStreamTrackProcessor's
 * stream and go out through a MediaStreamTrackGenerator's, and in between the person is cut out with
 * MediaPipe's selfie segmentation model (wasm and WebGL) and put in front of a blur of their own
 * background or one of Haven's calm pictures. The streams pace it: while a frame is processed the
 * processor drops the frames that pile up rather than queue them, and frame times are measured so
 * an effect the device cannot keep up with is given up (frame-timing.ts) before it hurts the page.
 * With the effect off frames pass through untouched, so the track the call sends never changes.
 *
 * (It runs on the page, not in a worker: MediaPipe's selfie segmentation package fails in a worker
 * — it loads its model with importScripts — and the newer @mediapipe/tasks-vision refuses this
 * model for lacking normalisation metadata.)
 */
import type { BackgroundEffectName } from './background-choice';
import { drawBackdrop } from './backdrops';
import type { EffectAssets, FromPipeline } from './effect-messages';
import { FrameTiming, type FrameTimeSummary } from './frame-timing';

/**
 * MediaPipe's selfie segmentation "solution" (the @mediapipe/selfie_segmentation package). Its
 * loader is a classic script that defines `SelfieSegmentation` on the window and loads its wasm,
 * packed graph and model through `locateFile`, all from Haven.
 */
interface SelfieSegmentation {
  setOptions(options: { modelSelection: number; selfieMode: boolean }): void;
  onResults(listener: (results: { segmentationMask: CanvasImageSource }) => void): void;
  initialize(): Promise<void>;
  send(inputs: { image: HTMLCanvasElement }): Promise<void>;
  close(): Promise<void>;
}
type SelfieSegmentationClass = new (config: { locateFile: (file: string) => string }) => SelfieSegmentation;

/** The model's input size (the landscape model, made for video calls). */
const MODEL_WIDTH = 256;
const MODEL_HEIGHT = 144;

let loader: Promise<SelfieSegmentationClass> | null = null;

/** Adds MediaPipe's loader script to the page once (a same-origin script the CSP allows). */
function loadSolution(assets: EffectAssets): Promise<SelfieSegmentationClass> {
  loader ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = assets.loader;
    script.addEventListener('load', () =>
      resolve((window as unknown as { SelfieSegmentation: SelfieSegmentationClass }).SelfieSegmentation),
    );
    script.addEventListener('error', () => reject(new Error(`${assets.loader} did not load`)));
    document.head.append(script);
  });
  return loader;
}

/**
 * Each frame is composed with the latest mask, and a new segmentation starts from the current frame
 * whenever the previous one has finished, so the pipeline never waits on the model itself. The
 * model's wasm still runs on the page's thread, though: a slow device sees fewer frames go through
 * (frame-timing.ts judges the gap between them).
 */
class Segmenter {
  readonly #solution: SelfieSegmentation;
  readonly #input: CanvasRenderingContext2D;
  #mask: CanvasImageSource | null = null;
  #running = false;
  readonly #latency = new FrameTiming();

  private constructor(solution: SelfieSegmentation) {
    this.#solution = solution;
    const canvas = document.createElement('canvas');
    canvas.width = MODEL_WIDTH;
    canvas.height = MODEL_HEIGHT;
    this.#input = canvas.getContext('2d') as CanvasRenderingContext2D;
    solution.onResults((results) => {
      this.#mask = results.segmentationMask;
    });
  }

  static async load(assets: EffectAssets): Promise<Segmenter> {
    const Solution = await loadSolution(assets);
    const solution = new Solution({ locateFile: (file) => `${assets.base}/${file}` });
    solution.setOptions({ modelSelection: 1, selfieMode: false });
    await solution.initialize();
    return new Segmenter(solution);
  }

  /** How long the model takes per segmentation (median and p95 over recent runs). */
  get latency(): FrameTimeSummary {
    return this.#latency.summary();
  }

  /**
   * The latest mask (its alpha is the model's confidence that a pixel is the person), after starting
   * a segmentation of this frame if none is running. Null until the first one has finished.
   */
  mask(frame: VideoFrame): CanvasImageSource | null {
    if (!this.#running) {
      this.#running = true;
      this.#input.drawImage(frame, 0, 0, MODEL_WIDTH, MODEL_HEIGHT);
      const started = performance.now();
      void this.#solution
        .send({ image: this.#input.canvas })
        .then(() => this.#latency.record(performance.now() - started))
        .catch(() => {})
        .finally(() => {
          this.#running = false;
        });
    }
    return this.#mask;
  }

  close(): void {
    void this.#solution.close().catch(() => {});
  }
}

/** One camera track's frames through the effect, until the track is stopped. */
export class EffectPipeline {
  readonly #timing = new FrameTiming();
  readonly #report: (message: FromPipeline) => void;
  readonly #assets: EffectAssets;
  readonly #reader: ReadableStreamDefaultReader<VideoFrame>;
  #effect: BackgroundEffectName;
  #segmenter: Segmenter | null = null;
  #loading: Promise<void> | null = null;
  #compositor: Compositor | null = null;
  #lastOutput: number | null = null;

  constructor(
    readable: ReadableStream<VideoFrame>,
    writable: WritableStream<VideoFrame>,
    options: { assets: EffectAssets; effect: BackgroundEffectName; report: (message: FromPipeline) => void },
  ) {
    this.#assets = options.assets;
    this.#effect = options.effect;
    this.#report = options.report;
    this.#reader = readable.getReader();
    void this.#run(writable.getWriter());
  }

  set effect(effect: BackgroundEffectName) {
    this.#effect = effect;
    this.#timing.reset();
    this.#lastOutput = null;
  }

  stop(): void {
    void this.#reader.cancel().catch(() => {});
  }

  /** Loads the model on first use; frames pass through untouched while it loads. */
  #ensureSegmenter(): void {
    if (this.#loading) return;
    this.#loading = Segmenter.load(this.#assets).then(
      (segmenter) => {
        this.#segmenter = segmenter;
      },
      (error: unknown) =>
        this.#report({ type: 'unavailable', reason: error instanceof Error ? error.message : String(error) }),
    );
  }

  async #run(writer: WritableStreamDefaultWriter<VideoFrame>): Promise<void> {
    try {
      for (;;) {
        const { value: frame, done } = await this.#reader.read();
        if (done) break;
        const out = this.#next(frame);
        try {
          await writer.write(out);
        } catch (error) {
          // A write the generator refused (its track was stopped) leaves the frame ours to close:
          // an unclosed VideoFrame holds a camera buffer until it is garbage collected.
          out.close();
          throw error;
        }
      }
    } catch {
      // The track was stopped (the generator's stream closed): the pipeline simply ends.
    } finally {
      this.#segmenter?.close();
      void writer.close().catch(() => {});
    }
  }

  /** The frame to send for a camera frame: itself while the effect is off or loading, else a new one (the camera's closed). */
  #next(frame: VideoFrame): VideoFrame {
    if (this.#effect === 'off') return frame;
    this.#ensureSegmenter();
    const segmenter = this.#segmenter;
    if (!segmenter) return frame;
    try {
      return this.#process(segmenter, frame, this.#effect);
    } catch (error) {
      frame.close();
      throw error;
    }
  }

  #process(segmenter: Segmenter, frame: VideoFrame, effect: BackgroundEffectName): VideoFrame {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (!this.#compositor || this.#compositor.width !== width || this.#compositor.height !== height)
      this.#compositor = new Compositor(width, height);
    const mask = segmenter.mask(frame);
    if (!mask) return frame;
    const out = this.#compositor.compose(mask, frame, effect);
    frame.close();
    // Judged on the time between processed frames, not on this frame's own work: the model's wasm
    // runs on this thread between frames, so the gap is what the other side sees and what the page
    // loses. (The first processed frame has no gap before it.)
    const now = performance.now();
    if (this.#lastOutput !== null) this.#timing.record(now - this.#lastOutput);
    this.#lastOutput = now;
    const summary = this.#timing.summary();
    if (this.#timing.tooSlow()) {
      this.effect = 'off';
      this.#report({ type: 'too-slow', ...summary });
    } else if (summary.frames % 24 === 0) {
      this.#report({ type: 'stats', effect, ...summary, model: segmenter.latency });
    }
    return out;
  }
}

/** Canvases sized to the frame, reused for every frame of that size. */
class Compositor {
  readonly width: number;
  readonly height: number;
  readonly #out: OffscreenCanvasRenderingContext2D;
  readonly #person: OffscreenCanvasRenderingContext2D;
  readonly #small: OffscreenCanvasRenderingContext2D;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.#out = context(width, height);
    this.#person = context(width, height);
    // The blur is drawn at a sixth of the size and scaled back up: as soft as a wide blur filter at
    // a small part of its cost.
    this.#small = context(Math.max(1, Math.round(width / 6)), Math.max(1, Math.round(height / 6)));
  }

  compose(mask: CanvasImageSource, frame: VideoFrame, effect: BackgroundEffectName): VideoFrame {
    const { width, height } = this;
    // The person: the frame, kept only where the mask says someone is (scaled up from the model's
    // 256×144, which also softens the edge).
    const person = this.#person;
    person.globalCompositeOperation = 'copy';
    person.drawImage(frame, 0, 0, width, height);
    person.globalCompositeOperation = 'destination-in';
    person.drawImage(mask, 0, 0, width, height);
    // Behind them: their own background blurred, or a calm picture.
    const out = this.#out;
    if (effect === 'blur') {
      const small = this.#small;
      small.filter = 'blur(2px)';
      small.drawImage(frame, 0, 0, small.canvas.width, small.canvas.height);
      out.imageSmoothingQuality = 'high';
      out.drawImage(small.canvas, 0, 0, width, height);
    } else if (effect !== 'off') {
      drawBackdrop(out, effect, width, height);
    }
    out.drawImage(person.canvas, 0, 0);
    return new VideoFrame(out.canvas, {
      timestamp: frame.timestamp,
      ...(frame.duration === null ? {} : { duration: frame.duration }),
    });
  }
}

function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  return ctx;
}
