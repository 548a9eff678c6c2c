/**
 * A live microphone level from WebAudio: an AnalyserNode on the mic stream, read every animation
 * frame, shown on a <meter> (0 silence … 1 loud). Nothing leaves the page.
 */
export class LevelMeter {
  readonly #context: AudioContext;
  readonly #meter: HTMLMeterElement;
  #source: MediaStreamAudioSourceNode | null = null;
  #analyser: AnalyserNode | null = null;
  #frame = 0;
  /** The loudest level since start, for people (and tests) asking "did it move at all?". */
  peak = 0;

  constructor(context: AudioContext, meter: HTMLMeterElement) {
    this.#context = context;
    this.#meter = meter;
  }

  attach(stream: MediaStream): void {
    this.detach();
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 1024;
    const source = this.#context.createMediaStreamSource(stream);
    source.connect(analyser);
    this.#source = source;
    this.#analyser = analyser;
    const samples = new Float32Array(analyser.fftSize);
    const tick = (): void => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS, scaled so ordinary speech sits mid-scale rather than near zero.
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      this.#meter.value = level;
      this.peak = Math.max(this.peak, level);
      this.#frame = requestAnimationFrame(tick);
    };
    tick();
  }

  detach(): void {
    cancelAnimationFrame(this.#frame);
    this.#source?.disconnect();
    this.#analyser?.disconnect();
    this.#source = null;
    this.#analyser = null;
    this.#meter.value = 0;
  }
}
