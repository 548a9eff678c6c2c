import { MEDIASOUP_WORKER_BIN } from '../../support/media-worker';
import assert from 'node:assert/strict';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { parseBenchArgs } from '../../../scripts/bench/bench-args';
import { MediaRamp } from '../../../scripts/bench/media-ramp';
import { buildNativeTrafficGen, nativeTrafficGenerators } from '../../../scripts/bench/native-traffic';
import { FAIR_SHAPE, createSessionPair } from '../../../scripts/bench/session-pair';
import { newKeying } from '../../../scripts/bench/srtp';
import { nowUs, type SinkReport } from '../../../scripts/bench/traffic-ipc';
import {
  VP8_SIMULCAST_PROFILES,
  OPUS_PROFILE,
  packetsPerSecond,
} from '../../../scripts/bench/traffic-profile';

/**
 * The media bench's native load generator (scripts/bench/native/traffic-gen.c) against a real
 * worker: what it sends is what the Node generator sends (the worker accepts its SRTP and SRTCP and
 * forwards the top simulcast layer), and its sink counts only what authenticates.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** One fair participant: Opus plus three VP8 layers, packets per second. */
const PER_PARTICIPANT =
  packetsPerSecond(OPUS_PROFILE) + VP8_SIMULCAST_PROFILES.reduce((n, p) => n + packetsPerSecond(p), 0);
const OPTIONS = parseBenchArgs(['--steps=1', '--warmup=1', '--duration=2']);

describe('media bench: the native load generator (real mediasoup worker)', function () {
  this.timeout(60000);
  let worker: types.Worker;
  let bin: string;

  before(async function () {
    if (!MEDIASOUP_WORKER_BIN) throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
    bin = buildNativeTrafficGen();
    worker = await mediasoup.createWorker({ logLevel: 'error' });
  });
  after(() => worker?.close());

  it('sends a fair session the worker forwards whole, at the same rate as the Node generator', async () => {
    const steps = [];
    for (const nativeBin of [bin, undefined]) {
      const ramp = new MediaRamp(worker, FAIR_SHAPE, nativeBin);
      try {
        steps.push(await ramp.measure(1, OPTIONS));
      } finally {
        ramp.close();
      }
    }
    const [native, node] = steps;
    assert.equal(native!.srtpFailures, 0, 'every packet the worker forwarded authenticated at the sink');
    assert.equal(native!.topLayerConsumers, '2/2', 'both video consumers forward the top layer');
    assert.ok(native!.lossPercent < 0.5, `loss ${native!.lossPercent}%`);
    assert.equal(native!.duplicates, 0);
    assert.ok(native!.packetsOutPerSecond > 0);
    // Two participants; the window's edges and a keyframe more or less move this a few percent.
    const expected = 2 * PER_PARTICIPANT;
    assert.ok(
      Math.abs(native!.packetsInPerSecond - expected) / expected < 0.1,
      `native: ${native!.packetsInPerSecond} pkt/s in, expected ≈${expected.toFixed(0)}`,
    );
    assert.ok(
      Math.abs(native!.packetsInPerSecond - node!.packetsInPerSecond) / node!.packetsInPerSecond < 0.1,
      `native ${native!.packetsInPerSecond} vs Node ${node!.packetsInPerSecond} pkt/s in`,
    );
  });

  it('its sink counts nothing it cannot authenticate (wrong keys: every packet refused)', async () => {
    const { sender, sink } = nativeTrafficGenerators(bin);
    const ports = await sink.request<number[]>({ op: 'open', count: 2 });
    assert.equal(ports.length, 2);
    const session = await createSessionPair(worker, [ports[0]!, ports[1]!], FAIR_SHAPE);
    try {
      // The right ports, the wrong keys: not the ones the worker encrypts with.
      await sink.request({
        op: 'keys',
        keys: session.sinkKeys.map(({ port }) => ({ port, srtp: newKeying('AEAD_AES_256_GCM') })),
      });
      await sender.request({ op: 'add', participants: session.participants });
      const window = { fromUs: nowUs(), toUs: nowUs() + 1_500_000 };
      await Promise.all([sender.request({ op: 'window', window }), sink.request({ op: 'window', window })]);
      await sleep(2000);
      const report = await sink.request<SinkReport>({ op: 'report' });
      assert.ok(report.srtpFailures > 100, `${report.srtpFailures} packets refused`);
      assert.deepEqual(report.received, { audio: 0, video: 0 });
    } finally {
      sender.stop();
      sink.stop();
      session.close();
    }
  });
});
