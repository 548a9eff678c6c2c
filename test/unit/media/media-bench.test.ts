import assert from 'node:assert/strict';
import { parseBenchArgs } from '../../../scripts/bench/bench-args';
import type { StepResult } from '../../../scripts/bench/media-ramp';
import { cpuSecondsFromStat, rssMbFromStatus, udpDropsFromTable } from '../../../scripts/bench/proc-stats';
import { linearCpuEstimate, rampVerdict } from '../../../scripts/bench/ramp-verdict';
import {
  OPUS_TOC,
  TRAILER_BYTES,
  buildRtpPacket,
  isRtcp,
  keyframeRequests,
  parseRtpHeader,
  readTrailer,
  vp8Header,
} from '../../../scripts/bench/rtp-packet';
import {
  OPUS_PROFILE,
  VP8_PROFILE,
  packetsInFrame,
  packetsPerSecond,
} from '../../../scripts/bench/traffic-profile';
import {
  ReceivedCounter,
  SentCounter,
  lossPercent,
  median,
  percentile,
} from '../../../scripts/bench/window-stats';

const header = {
  payloadType: 101,
  sequenceNumber: 65535,
  timestamp: 0xfffffff0,
  ssrc: 0x10000001,
  marker: true,
};
const trailer = { streamId: 7, seq: 1234, kind: 'video' as const, sentAtUs: 123_456_789.25 };

describe('media benchmark: RTP packets', () => {
  it('builds an RTP packet whose header parses back and whose trailer survives at the end', () => {
    const packet = buildRtpPacket(
      header,
      vp8Header({ start: true, keyframe: true, pictureId: 300 }),
      1150,
      trailer,
    );
    assert.equal(packet.length, 12 + 1150);
    assert.equal(packet[0], 0x80, 'RTP version 2, no padding, extension or CSRC');
    assert.deepEqual(parseRtpHeader(packet), { ...header, payloadOffset: 12 });
    assert.deepEqual(readTrailer(packet), trailer);
  });

  it('finds the payload after CSRCs and a header extension (as mediasoup may add one)', () => {
    const plain = buildRtpPacket(header, OPUS_TOC, 100, { ...trailer, kind: 'audio' });
    // Same packet with one CSRC and a one-word extension inserted after the fixed header.
    const extra = Buffer.from([0, 0, 0, 9, 0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00]);
    const withExtension = Buffer.concat([plain.subarray(0, 12), extra, plain.subarray(12)]);
    withExtension[0] = 0x80 | 0x10 | 0x01;
    assert.equal(parseRtpHeader(withExtension)?.payloadOffset, 24);
    assert.equal(withExtension[24], OPUS_TOC[0]);
    assert.deepEqual(readTrailer(withExtension), { ...trailer, kind: 'audio' });
  });

  it('refuses a payload too small for its codec header and trailer', () => {
    assert.throws(() => buildRtpPacket(header, OPUS_TOC, TRAILER_BYTES, trailer), RangeError);
  });

  it('reads no trailer from RTCP, foreign or short packets', () => {
    const packet = buildRtpPacket(header, OPUS_TOC, 100, trailer);
    const foreign = Buffer.from(packet);
    foreign.writeUInt32BE(0xdeadbeef, foreign.length - TRAILER_BYTES);
    assert.equal(readTrailer(foreign), null);
    assert.equal(readTrailer(packet.subarray(0, 20)), null);
    const rtcp = Buffer.from(packet);
    rtcp[1] = 200; // sender report
    assert.equal(isRtcp(rtcp), true);
    assert.equal(readTrailer(rtcp), null);
    assert.equal(parseRtpHeader(rtcp), null);
  });

  it('writes a VP8 descriptor mediasoup parses: X and I set, S on frame start, P clear only on a keyframe', () => {
    assert.deepEqual(
      [...vp8Header({ start: true, keyframe: true, pictureId: 0x1234 })],
      [0x90, 0x80, 0x92, 0x34, 0x00],
    );
    assert.deepEqual(
      [...vp8Header({ start: false, keyframe: false, pictureId: 0x8001 })],
      [0x80, 0x80, 0x80, 0x01, 0x01],
    );
  });

  it('finds keyframe requests (PLI and FIR) in a compound RTCP packet and ignores the rest', () => {
    const rr = Buffer.from([0x81, 201, 0, 7, ...new Array(28).fill(0)]); // receiver report, 1 block
    const pli = Buffer.from([0x81, 206, 0, 2, 0, 0, 0, 1, 0x10, 0, 0, 2]);
    const fir = Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0x10, 0, 0, 4, 5, 0, 0, 0]);
    const nack = Buffer.from([0x81, 205, 0, 3, 0, 0, 0, 1, 0x10, 0, 0, 9, 0, 1, 0, 0]);
    assert.deepEqual(keyframeRequests(Buffer.concat([rr, pli, nack, fir])), [0x10000002, 0x10000004]);
    assert.deepEqual(keyframeRequests(pli.subarray(0, 8)), [], 'a truncated packet yields nothing');
  });
});

describe('media benchmark: traffic shape', () => {
  it('sends Opus at 50 packets/s and VP8 at ~150 packets/s with a keyframe every 90 frames', () => {
    assert.equal(packetsPerSecond(OPUS_PROFILE), 50);
    assert.ok(Math.abs(packetsPerSecond(VP8_PROFILE) - 153.3) < 0.1);
    assert.deepEqual(packetsInFrame(VP8_PROFILE, 0, false), { packets: 15, keyframe: true });
    assert.deepEqual(packetsInFrame(VP8_PROFILE, 1, false), { packets: 5, keyframe: false });
    assert.deepEqual(packetsInFrame(VP8_PROFILE, 1, true), { packets: 15, keyframe: true }, 'on request');
    assert.deepEqual(packetsInFrame(OPUS_PROFILE, 0, true), { packets: 1, keyframe: false });
  });
});

describe('media benchmark: loss and latency accounting', () => {
  it('counts only packets SENT inside the window, on both sides, and measures their latency', () => {
    const window = { fromUs: 1_000_000, toUs: 2_000_000 };
    const sent = new SentCounter();
    const received = new ReceivedCounter();
    sent.start(window);
    received.start(window);
    sent.count('video', 999_999, 999_999); // before the window
    for (let i = 0; i < 100; i += 1)
      sent.count('video', 1_000_000 + i * 1000, 1_000_000 + i * 1000 - (i === 5 ? 3000 : 0));
    sent.count('audio', 2_000_000, 2_000_000); // the end is exclusive
    // 98 of the 100 arrive, 1 to 2 ms later; a packet sent before the window arrives inside it.
    for (let i = 0; i < 98; i += 1)
      received.count('video', 1_000_000 + i * 1000, 1_000_000 + i * 1000 + (i < 49 ? 1000 : 2000), 1, i);
    received.count('video', 999_999, 1_500_000, 1, 999);
    // A second copy (a retransmission) of packet 3 neither counts as received nor skews latency.
    assert.equal(received.count('video', 1_003_000, 1_900_000, 1, 3), false);
    assert.equal(received.duplicates, 1);
    assert.deepEqual(sent.sent, { audio: 0, video: 100 });
    assert.deepEqual(received.received, { audio: 0, video: 98 });
    assert.equal(lossPercent(sent.sent.video, received.received.video), 2);
    assert.deepEqual(received.latency(), { p50Ms: 1, p99Ms: 2, maxMs: 2 });
    assert.deepEqual(sent.slip(), { meanMs: 0.03, maxMs: 3 });
  });

  it('starts each window from zero', () => {
    const received = new ReceivedCounter();
    received.start({ fromUs: 0, toUs: 10 });
    received.count('audio', 5, 6, 1, 1);
    received.start({ fromUs: 10, toUs: 20 });
    assert.deepEqual(received.received, { audio: 0, video: 0 });
    assert.ok(Number.isNaN(received.latency().p50Ms));
    assert.equal(received.count('audio', 12, 13, 1, 1), true, 'a new window forgets the packets seen');
  });

  it('takes nearest-rank percentiles and medians', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('never reports negative loss, and none when nothing was sent', () => {
    assert.equal(lossPercent(100, 101), 0);
    assert.equal(lossPercent(0, 0), 0);
    assert.equal(lossPercent(200, 199), 0.5);
  });
});

describe('media benchmark: /proc parsing, verdict and options', () => {
  it('reads utime+stime from /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const stat =
      '4242 (mediasoup (w) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 500';
    assert.equal(cpuSecondsFromStat(stat, 100), 3);
    assert.equal(rssMbFromStatus('Name:\tx\nVmRSS:\t   51200 kB\nThreads: 3\n'), 50);
    assert.ok(Number.isNaN(rssMbFromStatus('Name:\tx\n')));
  });

  it('sums receive-buffer drops of the given sockets from /proc/net/udp', () => {
    const table = [
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  101: 0100007F:A000 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5001 2 0000000000000000 12',
      '  102: 0100007F:A001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5002 2 0000000000000000 30',
      '  103: 0100007F:A002 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 6000 2 0000000000000000 99',
    ].join('\n');
    assert.equal(udpDropsFromTable(table, new Set(['5001', '5002'])), 42);
    assert.equal(udpDropsFromTable(table, new Set()), 0);
  });

  const step = (sessions: number, over: Partial<StepResult> = {}): StepResult => ({
    sessions,
    producers: sessions * 4,
    consumers: sessions * 4,
    packetsInPerSecond: 0,
    workerUsPerPacket: 0,
    packetsOutPerSecond: 0,
    lossPercent: 0,
    duplicates: 0,
    videoLossPercent: 0,
    p50Ms: 1,
    p99Ms: 2,
    workerCpuPercent: 40,
    workerRssMb: 100,
    workerWaitPercent: 0,
    senderCpuPercent: 30,
    sinkCpuPercent: 30,
    generatorWaitPercent: 0,
    sendSlipMs: 0,
    skippedFrames: 0,
    hostBusyPercent: 60,
    workerSocketDrops: 0,
    sinkSocketDrops: 0,
    srtpFailures: 0,
    topLayerConsumers: '0/0',
    ...over,
  });
  const limits = { lossLimitPercent: 0.5, cpuLimitPercent: 85 };

  it('holds the last step before the first failure and names what failed', () => {
    const cpu = rampVerdict([step(10), step(20), step(40, { workerCpuPercent: 90 }), step(60)], limits);
    assert.equal(cpu.held, 20);
    assert.match(cpu.limitedBy, /^worker CPU \(90%/);
    const loss = rampVerdict([step(10), step(20, { lossPercent: 0.5 })], limits);
    assert.deepEqual([loss.held, /^loss \(0\.50%\)/.test(loss.limitedBy)], [10, true]);
    const generator = rampVerdict([step(10, { skippedFrames: 3 })], limits);
    assert.equal(generator.held, 0);
    assert.match(generator.limitedBy, /load generator/);
    const machine = rampVerdict(
      [step(10), step(20, { lossPercent: 3, hostBusyPercent: 99, workerWaitPercent: 60 })],
      limits,
    );
    assert.match(machine.limitedBy, /shared machine.*waited for a core 60%/);
    assert.match(rampVerdict([step(10)], limits).limitedBy, /step list ended/);
  });

  it('extrapolates worker CPU linearly from the largest held step, and not from nothing', () => {
    const steps = [step(10, { workerCpuPercent: 20 }), step(40, { workerCpuPercent: 50 })];
    assert.deepEqual(linearCpuEstimate(steps, 40, limits), {
      fromSessions: 40,
      fromCpuPercent: 50,
      sessions: 68,
    });
    assert.equal(linearCpuEstimate(steps, 0, limits), null);
  });

  it('parses step lists and refuses nonsense', () => {
    const options = parseBenchArgs(['--steps=40,5,5,10', '--max-sessions=20', '--duration=2', '--no-join']);
    assert.deepEqual(options.steps, [5, 10]);
    assert.equal(options.durationSeconds, 2);
    assert.equal(options.join, false);
    assert.equal(options.ramp, true);
    assert.deepEqual(options.shape, { srtp: 'AEAD_AES_256_GCM', videoLayers: 3 }, 'fair by default');
    assert.equal(options.compare, false, '--no-join also skips the Chromium call');
    const plain = parseBenchArgs(['--srtp=none', '--layers=1']);
    assert.deepEqual(plain.shape, { srtp: null, videoLayers: 1 });
    assert.equal(plain.compare, true);
    assert.throws(() => parseBenchArgs(['--srtp=ROT13']), /--srtp must be/);
    assert.throws(() => parseBenchArgs(['--layers=4']), /--layers must be 1, 2 or 3/);
    assert.throws(() => parseBenchArgs(['--duration=-1']), /--duration must be a positive number/);
    assert.throws(() => parseBenchArgs(['--steps=abc']), /--steps must be a positive number/);
    assert.throws(() => parseBenchArgs(['--bogus']), /Unknown option/);
  });
});
