import { fork, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../server/shared/paths';
import type { StreamKind } from './rtp-packet';
import type { SrtpKeying } from './srtp';
import type { KindCounts, Window } from './window-stats';

/**
 * The load generator runs in child processes (one sending, one receiving), so its CPU is its own,
 * measurable, and never steals the event loop that drives mediasoup. They talk to the parent over
 * Node's IPC channel: a request carries an id, the answer echoes it.
 */

/** One producer as the sender sees it: what to stamp on its packets. */
export interface SenderStream {
  readonly streamId: number;
  readonly kind: StreamKind;
  readonly ssrc: number;
  readonly payloadType: number;
  /** Simulcast layer of a video stream (0 lowest); absent for audio and single-layer video. */
  readonly layer?: number;
  /** Layers the producer sends (1 without simulcast). */
  readonly layers?: number;
}

/** One participant's send transport (comedia: it learns our address from the first packet). */
export interface SenderParticipant {
  readonly port: number;
  readonly streams: readonly SenderStream[];
  /** The keys the sender protects its RTP with (the transport was connected with them). */
  readonly srtp: SrtpKeying | null;
}

export type SenderRequest =
  { op: 'add'; participants: SenderParticipant[] } | { op: 'window'; window: Window } | { op: 'report' };

export interface SenderReport {
  sent: KindCounts;
  slipMeanMs: number;
  slipMaxMs: number;
  /** Frames dropped because the generator fell more than half a second behind. */
  skippedFrames: number;
  keyframeRequests: number;
  /** Packets of lower simulcast layers sent in the window (received by the worker, not forwarded). */
  lowerLayers: number;
}

export type SinkRequest =
  | { op: 'open'; count: number }
  /** The keys the worker protects what it sends to each sink port with. */
  | { op: 'keys'; keys: { port: number; srtp: SrtpKeying }[] }
  | { op: 'window'; window: Window }
  | { op: 'report' };

export interface SinkReport {
  received: KindCounts;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Packets without a benchmark trailer (RTCP, padding probes). */
  foreign: number;
  /** Second copies of a packet already counted (retransmissions). */
  duplicates: number;
  /** Packets that did not authenticate (SRTP): a key or rollover mistake would show here. */
  srtpFailures: number;
  /** Lower-layer packets that arrived (while a consumer's layer was still settling). */
  lowerLayers: number;
}

type Envelope<T> = T & { id: number };
type Answer = { id: number; ok: true; data: unknown } | { id: number; ok: false; error: string };

/** The monotonic clock, µs; CLOCK_MONOTONIC is shared by every process on the machine. */
export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

/** A load generator process as the ramp drives it: the Node one below, or the native one. */
export interface TrafficGenerator<Req extends { op: string }> {
  readonly pid: number;
  request<T>(request: Req, timeoutMs?: number): Promise<T>;
  stop(): void;
}

/** Parent side: a forked TypeScript child (run through tsx) answering requests in order. */
export class TrafficProcess<Req extends { op: string }> implements TrafficGenerator<Req> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly #ready: Promise<void>;
  #nextId = 1;
  #exited = false;

  constructor(file: string) {
    // `--import tsx` resolves from the child's working directory: the project's, wherever we run from.
    this.#child = fork(file, [], {
      cwd: PROJECT_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let ready = (): void => {};
    this.#ready = new Promise<void>((resolve) => (ready = resolve));
    this.#child.on('message', (message: Answer | { ready: true }) => {
      if ('ready' in message) return ready();
      const waiter = this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id);
      if (message.ok) waiter.resolve(message.data);
      else waiter.reject(new Error(message.error));
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      ready();
      for (const waiter of this.#pending.values()) {
        waiter.reject(new Error(`load generator ${file} exited (${code ?? signal})`));
      }
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Waits for the child to load (tsx compiles it first), then for its answer. */
  async request<T>(request: Req, timeoutMs = 30_000): Promise<T> {
    await this.#ready;
    if (this.#exited) throw new Error('load generator has exited');
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`load generator did not answer ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#child.send({ ...request, id });
    });
  }

  stop(): void {
    if (!this.#exited) this.#child.kill('SIGTERM');
  }
}

/** Child side: answer each request with the handler's result (or its error message). */
export function serveRequests<Req extends { op: string }>(handle: (request: Req) => unknown): void {
  if (!process.send) throw new Error('run this file through the media benchmark, not directly');
  process.on('message', (message: Envelope<Req>) => {
    void (async () => {
      let answer: Answer;
      try {
        answer = { id: message.id, ok: true, data: await handle(message) };
      } catch (error) {
        answer = { id: message.id, ok: false, error: (error as Error).message };
      }
      process.send?.(answer);
    })();
  });
  process.on('disconnect', () => process.exit(0));
  // Messages sent before this listener existed could be lost: tell the parent we are listening.
  process.send({ ready: true });
}
