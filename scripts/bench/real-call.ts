import type { types } from 'mediasoup';
import type { Page } from 'playwright-core';
import { startLiveHaven } from '../../test/support/live-haven';
import { admitAndTimeFirstFrame } from '../../test/support/room-page';
import { openOneToOneCall } from './one-to-one-call';
import { CpuWindow } from './proc-stats';

/**
 * One real 1:1 call, the way the live-session e2e test makes it: a throw-away Haven on loopback with
 * one media worker, two headless Chromiums with fake cameras, the therapist starts the session and
 * admits the client. Then, beside whatever the caller runs meanwhile, it measures what that call
 * costs the worker: CPU per RTP packet received (every simulcast layer counts), the benchmark's
 * µs/pkt.
 */
export interface RealCallCost {
  readonly workerCpuPercent: number;
  readonly packetsInPerSecond: number;
  readonly usPerPacket: number;
  /** Packets per second of each video layer the browsers send, lowest first, per producer. */
  readonly videoLayers: string;
  /** The SRTP suite Chromium negotiated (from its own getStats), e.g. AEAD_AES_256_GCM. */
  readonly srtpCipher: string;
}

/** Chromium's SRTP suite, read from the peer connections the page made (collected at creation). */
const COLLECT_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  const made = [];
  window.__havenBenchPcs = made;
  window.RTCPeerConnection = function (...args) { const pc = new Original(...args); made.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Original.prototype;
})()`;
const READ_SRTP_CIPHER = `(async () => {
  for (const pc of window.__havenBenchPcs ?? []) {
    for (const s of (await pc.getStats()).values()) if (s.type === 'transport' && s.srtpCipher) return s.srtpCipher;
  }
  return 'unknown';
})()`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function packetsReceived(producers: readonly types.Producer[]): Promise<number> {
  let total = 0;
  for (const producer of producers) {
    if (producer.closed) continue;
    for (const stat of await producer.getStats()) total += stat.packetCount;
  }
  return total;
}

async function layerRates(
  producers: readonly types.Producer[],
  seconds: number,
  before: Map<number, number>,
) {
  const parts: string[] = [];
  for (const producer of producers) {
    if (producer.kind !== 'video' || producer.closed) continue;
    const stats = await producer.getStats();
    const rates = [...stats]
      .sort((a, b) => (a.rid ?? String(a.ssrc)).localeCompare(b.rid ?? String(b.ssrc)))
      .map((s) => ((s.packetCount - (before.get(s.ssrc) ?? 0)) / seconds).toFixed(0));
    parts.push(rates.join('+'));
  }
  return parts.join(', ');
}

export class RealCall {
  readonly #stop: () => Promise<void>;
  readonly #workerPid: number;
  readonly #producers: types.Producer[];
  readonly #client: Page;

  private constructor(
    stop: () => Promise<void>,
    workerPid: number,
    producers: types.Producer[],
    client: Page,
  ) {
    this.#stop = stop;
    this.#workerPid = workerPid;
    this.#producers = producers;
    this.#client = client;
  }

  /** Starts Haven and the two browsers, admits the client and lets simulcast ramp up. */
  static async start(rampUpSeconds = 10): Promise<RealCall> {
    const mediasoup = await import('mediasoup');
    const producers: types.Producer[] = [];
    const workers: types.Worker[] = [];
    // The call's Haven runs in this process: mediasoup's observer shows us its worker and producers.
    const onWorker = (worker: types.Worker): void => {
      workers.push(worker);
      worker.observer.on('newrouter', (router) =>
        router.observer.on('newtransport', (transport) =>
          transport.observer.on('newproducer', (producer) => producers.push(producer)),
        ),
      );
    };
    mediasoup.observer.on('newworker', onWorker);
    const live = await startLiveHaven();
    mediasoup.observer.off('newworker', onWorker);
    let closeBrowsers = async (): Promise<void> => {};
    const stop = async (): Promise<void> => {
      await closeBrowsers();
      await live.stop().catch(() => {});
    };
    try {
      const call = await openOneToOneCall(live, {
        viewport: { width: 1280, height: 800 },
        initScript: COLLECT_PEER_CONNECTIONS,
      });
      closeBrowsers = call.closeBrowsers;
      const a = call.client;
      await admitAndTimeFirstFrame(call.therapist, a, call.clientName);
      // Chromium starts low and adds simulcast layers as its bandwidth estimate grows.
      await sleep(rampUpSeconds * 1000);
      const worker = workers[0];
      if (!worker) throw new Error('the call ran on no mediasoup worker we could see');
      return new RealCall(stop, worker.pid, producers, a);
    } catch (error) {
      await stop();
      throw error;
    }
  }

  /** Measures `seconds` of the call (run the synthetic session's window at the same time). */
  async measure(seconds: number): Promise<RealCallCost> {
    const before = new Map<number, number>();
    for (const producer of this.#producers) {
      if (producer.closed) continue;
      for (const s of await producer.getStats()) before.set(s.ssrc, s.packetCount);
    }
    const packetsBefore = await packetsReceived(this.#producers);
    const cpu = new CpuWindow([this.#workerPid]);
    await sleep(seconds * 1000);
    const used = cpu.finish();
    const packets = (await packetsReceived(this.#producers)) - packetsBefore;
    const workerCpuPercent = used.percentOfCore[0]!;
    const packetsInPerSecond = packets / seconds;
    return {
      workerCpuPercent,
      packetsInPerSecond,
      usPerPacket: (workerCpuPercent / 100) * (1e6 / packetsInPerSecond),
      videoLayers: await layerRates(this.#producers, seconds, before),
      srtpCipher: String(await this.#client.evaluate(READ_SRTP_CIPHER)),
    };
  }

  stop(): Promise<void> {
    return this.#stop();
  }
}
