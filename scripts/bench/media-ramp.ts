import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { BenchOptions } from './bench-args';
import { nativeTrafficGenerators } from './native-traffic';
import { CpuWindow, rssMb } from './proc-stats';
import { createSessionPair, type SessionPair, type SessionShape } from './session-pair';
import {
  TrafficProcess,
  nowUs,
  type SenderReport,
  type SenderRequest,
  type SinkReport,
  type SinkRequest,
  type TrafficGenerator,
} from './traffic-ipc';
import { lossPercent } from './window-stats';

/** One measured step of the ramp. */
export interface StepResult {
  readonly sessions: number;
  readonly producers: number;
  readonly consumers: number;
  readonly packetsInPerSecond: number;
  /**
   * Worker CPU (user + system) per packet it read: packets dropped at its full sockets on a busy
   * machine cost it nothing, so they are not counted (dividing by what was sent flattered a
   * starved worker).
   */
  readonly workerUsPerPacket: number;
  readonly packetsOutPerSecond: number;
  readonly lossPercent: number;
  /** Copies of packets already received: not counted as received, so they cannot hide a loss. */
  readonly duplicates: number;
  readonly videoLossPercent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly workerCpuPercent: number;
  readonly workerRssMb: number;
  /** % of the window the worker was runnable but had no core (other processes had them). */
  readonly workerWaitPercent: number;
  readonly senderCpuPercent: number;
  readonly sinkCpuPercent: number;
  readonly generatorWaitPercent: number;
  readonly sendSlipMs: number;
  readonly skippedFrames: number;
  readonly hostBusyPercent: number;
  /** Datagrams the kernel dropped at the worker's full sockets, and at the sink's. */
  readonly workerSocketDrops: number;
  readonly sinkSocketDrops: number;
  /** Packets that failed SRTP authentication at the sink (must be 0). */
  readonly srtpFailures: number;
  /** Video consumers forwarding the top simulcast layer, of all video consumers. */
  readonly topLayerConsumers: string;
}

/**
 * Time for the last packets of a window to arrive before the sink reports. Generous: on a busy
 * machine a starved worker or sink holds packets for hundreds of ms, and a packet still queued
 * when the sink reports would be counted as lost.
 */
const DRAIN_MS = 1500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Drives the ramp on one worker: adds 1:1 sessions up to each step's count (earlier sessions keep
 * running), lets them warm up, measures a window, and hands each step to `onStep`; stops early when
 * `shouldStop` says so.
 */
export class MediaRamp {
  readonly #worker: types.Worker;
  readonly #sender: TrafficGenerator<SenderRequest>;
  readonly #sink: TrafficGenerator<SinkRequest>;
  readonly #sessions: SessionPair[] = [];
  readonly #shape: SessionShape;

  /**
   * `nativeBin`: the native load generator (native-traffic.ts) to use; without it, the Node one
   * (rtp-sender.ts, rtp-sink.ts).
   */
  constructor(worker: types.Worker, shape: SessionShape, nativeBin?: string) {
    this.#worker = worker;
    this.#shape = shape;
    const generators = nativeBin
      ? nativeTrafficGenerators(nativeBin)
      : {
          sender: new TrafficProcess<SenderRequest>(join(__dirname, 'rtp-sender.ts')),
          sink: new TrafficProcess<SinkRequest>(join(__dirname, 'rtp-sink.ts')),
        };
    this.#sender = generators.sender;
    this.#sink = generators.sink;
  }

  get generatorPids(): { sender: number; sink: number } {
    return { sender: this.#sender.pid, sink: this.#sink.pid };
  }

  async #growTo(count: number): Promise<void> {
    const missing = count - this.#sessions.length;
    if (missing <= 0) return;
    const ports = await this.#sink.request<number[]>({ op: 'open', count: missing * 2 });
    const added: SessionPair[] = [];
    for (let i = 0; i < missing; i += 1) {
      added.push(await createSessionPair(this.#worker, [ports[2 * i]!, ports[2 * i + 1]!], this.#shape));
    }
    this.#sessions.push(...added);
    await this.#sink.request({ op: 'keys', keys: added.flatMap((s) => s.sinkKeys) });
    await this.#sender.request({ op: 'add', participants: added.flatMap((s) => s.participants) });
  }

  async measure(sessions: number, options: BenchOptions): Promise<StepResult> {
    await this.#growTo(sessions);
    await sleep(options.warmupSeconds * 1000);
    const durationUs = options.durationSeconds * 1e6;
    const window = { fromUs: nowUs() + 20_000, toUs: nowUs() + 20_000 + durationUs };
    await Promise.all([
      this.#sender.request({ op: 'window', window }),
      this.#sink.request({ op: 'window', window }),
    ]);
    await sleep(Math.max(0, (window.fromUs - nowUs()) / 1000));
    const cpu = new CpuWindow([this.#worker.pid, this.#sender.pid, this.#sink.pid]);
    await sleep((window.toUs - nowUs()) / 1000);
    const used = cpu.finish();
    const workerRssMb = rssMb(this.#worker.pid);
    await sleep(DRAIN_MS);
    const [sent, received] = await Promise.all([
      this.#sender.request<SenderReport>({ op: 'report' }),
      this.#sink.request<SinkReport>({ op: 'report' }),
    ]);
    const sentTotal = sent.sent.audio + sent.sent.video;
    const receivedTotal = received.received.audio + received.received.video;
    const seconds = options.durationSeconds;
    const packetsRead = sentTotal + sent.lowerLayers - used.udpDrops[0]!;
    const video = this.#sessions.flatMap((s) => s.videoConsumers);
    const top = video.filter(
      (c) => c.type !== 'simulcast' || c.currentLayers?.spatialLayer === this.#shape.videoLayers - 1,
    ).length;
    return {
      sessions: this.#sessions.length,
      producers: this.#sessions.reduce((n, s) => n + s.producers, 0),
      consumers: this.#sessions.reduce((n, s) => n + s.consumers, 0),
      // Every layer the worker receives and decrypts counts as a packet in.
      packetsInPerSecond: (sentTotal + sent.lowerLayers) / seconds,
      workerUsPerPacket: ((used.percentOfCore[0]! / 100) * seconds * 1e6) / Math.max(1, packetsRead),
      packetsOutPerSecond: receivedTotal / seconds,
      lossPercent: lossPercent(sentTotal, receivedTotal),
      duplicates: received.duplicates,
      videoLossPercent: lossPercent(sent.sent.video, received.received.video),
      p50Ms: received.p50Ms,
      p99Ms: received.p99Ms,
      workerCpuPercent: used.percentOfCore[0]!,
      workerRssMb,
      workerWaitPercent: used.waitPercent[0]!,
      senderCpuPercent: used.percentOfCore[1]!,
      sinkCpuPercent: used.percentOfCore[2]!,
      generatorWaitPercent: Math.max(used.waitPercent[1]!, used.waitPercent[2]!),
      sendSlipMs: sent.slipMeanMs,
      skippedFrames: sent.skippedFrames,
      hostBusyPercent: used.hostBusyPercent,
      workerSocketDrops: used.udpDrops[0]!,
      sinkSocketDrops: used.udpDrops[2]!,
      srtpFailures: received.srtpFailures,
      topLayerConsumers: `${top}/${video.length}`,
    };
  }

  close(): void {
    this.#sender.stop();
    this.#sink.stop();
    for (const session of this.#sessions) session.close();
  }
}
