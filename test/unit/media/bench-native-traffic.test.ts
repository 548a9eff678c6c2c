import assert from 'node:assert/strict';
import { parseBenchArgs } from '../../../scripts/bench/bench-args';
import {
  allowedCpusFromStatus,
  parseCpuList,
  planAffinity,
  schedulingFromStat,
} from '../../../scripts/bench/cpu-affinity';
import {
  parseSenderReport,
  parseSinkReport,
  participantLine,
  senderLines,
  sinkAnswer,
  sinkLines,
} from '../../../scripts/bench/native-traffic-lines';
import { derivedSessionKeys, newKeying } from '../../../scripts/bench/srtp';
import type { SenderParticipant } from '../../../scripts/bench/traffic-ipc';
import {
  OPUS_PROFILE,
  VP8_PROFILE,
  VP8_SIMULCAST_PROFILES,
  streamProfile,
} from '../../../scripts/bench/traffic-profile';

const keying = newKeying('AEAD_AES_256_GCM');
const participant: SenderParticipant = {
  port: 40000,
  srtp: keying,
  streams: [
    { streamId: 1, kind: 'audio', ssrc: 0xf0000001, payloadType: 100 },
    { streamId: 2, kind: 'video', ssrc: 0x10000002, payloadType: 101, layer: 0, layers: 3 },
    { streamId: 3, kind: 'video', ssrc: 0x10000003, payloadType: 101, layer: 2, layers: 3 },
  ],
};

describe('media benchmark: the native load generator protocol', () => {
  it('describes a participant: derived GCM session keys and each stream with its profile', () => {
    const keys = derivedSessionKeys(keying);
    const [head, ...rest] = participantLine(participant).split(' ');
    assert.equal(head, 'add');
    assert.deepEqual(rest.slice(0, 6), [
      '40000',
      '1',
      keys.rtp.cipherKey.toString('hex'),
      keys.rtp.salt.toString('hex'),
      keys.rtcp.cipherKey.toString('hex'),
      keys.rtcp.salt.toString('hex'),
    ]);
    assert.equal(keys.rtp.cipherKey.length, 32);
    assert.equal(keys.rtp.salt.length, 12);
    assert.equal(rest[6], '3');
    const streams = rest.slice(7);
    assert.equal(streams.length, 3 * 12);
    // Audio: unsigned SSRC, not a lower layer, Opus's 20 ms frames and no keyframes.
    assert.deepEqual(streams.slice(0, 12), [
      '1',
      'a',
      String(0xf0000001),
      '100',
      '0',
      '20000',
      '1',
      '1',
      '0',
      '90',
      '110',
      '960',
    ]);
    // The lowest simulcast layer is marked lower (not expected at the sink); the top one is not.
    assert.equal(streams[12 + 4], '1');
    assert.equal(streams[12 + 10], String(VP8_SIMULCAST_PROFILES[0]!.payloadBytes[1]));
    assert.equal(streams[24 + 4], '0');
    assert.equal(streams[24 + 6], String(VP8_PROFILE.packetsPerFrame));
  });

  it('sends plain RTP without keys, and refuses a suite the C program does not speak', () => {
    assert.match(participantLine({ ...participant, srtp: null }), /^add 40000 0 3 1 a /);
    assert.throws(
      () => participantLine({ ...participant, srtp: newKeying('AES_CM_128_HMAC_SHA1_80') }),
      /does not speak AES_CM_128_HMAC_SHA1_80/,
    );
  });

  it('turns requests into lines: one per participant and per sink port; windows to the µs', () => {
    assert.equal(senderLines({ op: 'add', participants: [participant, participant] }).length, 2);
    assert.deepEqual(senderLines({ op: 'window', window: { fromUs: 1.25, toUs: 5_000_001.5 } }), [
      'window 1.250 5000001.500',
    ]);
    assert.deepEqual(sinkLines({ op: 'open', count: 4 }), ['open 4']);
    const rtp = derivedSessionKeys(keying).rtp;
    assert.deepEqual(sinkLines({ op: 'keys', keys: [{ port: 5, srtp: keying }] }), [
      `keys 5 ${rtp.cipherKey.toString('hex')} ${rtp.salt.toString('hex')}`,
    ]);
  });

  it('reads reports back as the Node generator gives them', () => {
    assert.deepEqual(parseSenderReport('ok 100 300 2000.000 90.500 2 3 150'), {
      sent: { audio: 100, video: 300 },
      slipMeanMs: 0.005,
      slipMaxMs: 0.0905,
      skippedFrames: 2,
      keyframeRequests: 3,
      lowerLayers: 150,
    });
    assert.equal(parseSenderReport('ok 0 0 0 0 0 0 0').slipMeanMs, 0, 'nothing sent: no slip, not NaN');
    const sink = parseSinkReport('ok 10 20 0.5000 3.2500 9.0000 4 1 0 7');
    assert.deepEqual(sink, {
      received: { audio: 10, video: 20 },
      p50Ms: 0.5,
      p99Ms: 3.25,
      maxMs: 9,
      foreign: 4,
      duplicates: 1,
      srtpFailures: 0,
      lowerLayers: 7,
    });
    assert.ok(Number.isNaN(parseSinkReport('ok 0 0 nan nan nan 0 0 0 0').p50Ms), 'no packets: NaN latency');
    assert.deepEqual(sinkAnswer({ op: 'open', count: 2 }, ['ok 4001 4002']), [4001, 4002]);
  });

  it('refuses an error or a short answer with what the program said', () => {
    assert.throws(
      () => parseSinkReport('err no sink on that port'),
      /native load generator: no sink on that port/,
    );
    assert.throws(() => parseSenderReport('ok 1 2 3'), /expected 7 numbers/);
    assert.throws(() => sinkAnswer({ op: 'open', count: 2 }, ['ok 4001']), /expected 2 numbers/);
    assert.throws(() => sinkAnswer({ op: 'keys', keys: [] }, ['err bad keys']), /bad keys/);
  });

  it('picks each stream profile as the Node sender does', () => {
    assert.equal(streamProfile('audio', 3, 1), OPUS_PROFILE);
    assert.equal(streamProfile('video'), VP8_PROFILE);
    assert.equal(streamProfile('video', 3, 0), VP8_SIMULCAST_PROFILES[0]);
    assert.equal(streamProfile('video', 2, 0), VP8_SIMULCAST_PROFILES[1], 'two layers: the top two');
    assert.equal(streamProfile('video', 3, 2), VP8_PROFILE);
  });
});

describe('media benchmark: CPU affinity and generator options', () => {
  it('reads CPU lists as /proc and taskset write them', () => {
    assert.deepEqual(parseCpuList('0-2,5'), [0, 1, 2, 5]);
    assert.deepEqual(parseCpuList('1'), [1]);
    assert.throws(() => parseCpuList('a-b'), /not a CPU list/);
    assert.deepEqual(
      allowedCpusFromStatus('Name:\tnode\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n'),
      [0, 1],
    );
    assert.throws(() => allowedCpusFromStatus('Name:\tnode\n'), /Cpus_allowed_list/);
  });

  it('gives the worker the last CPU alone and the generator the rest; nothing to split on one CPU', () => {
    assert.deepEqual(planAffinity([0, 1]), { worker: [1], generator: [0] });
    assert.deepEqual(planAffinity([0, 1, 2, 3]), { worker: [3], generator: [0, 1, 2] });
    assert.equal(planAffinity([2]), null);
  });

  it("reads a process's scheduling policy from /proc/<pid>/stat", () => {
    // 52 fields; the command name may hold spaces and parentheses.
    const stat = (policy: number, rtPriority: number) =>
      [
        '7 (mediasoup (w) x)',
        ...Array.from({ length: 37 }, (_, i) => String(i + 3)),
        rtPriority,
        policy,
        ...Array(11).fill('0'),
      ].join(' ');
    assert.equal(schedulingFromStat(stat(0, 0)), 'normal');
    assert.equal(schedulingFromStat(stat(2, 1)), 'RR 1');
    assert.equal(schedulingFromStat(stat(1, 50)), 'FIFO 50');
  });

  it('runs the native generator pinned by default; --generator=node, --no-pin and --priority say otherwise', () => {
    const defaults = parseBenchArgs([]);
    assert.equal(defaults.generator, 'native');
    assert.equal(defaults.pin, true);
    const node = parseBenchArgs(['--generator=node', '--no-pin']);
    assert.equal(node.generator, 'node');
    assert.equal(node.pin, false);
    assert.throws(() => parseBenchArgs(['--generator=rust']), /--generator must be native or node/);
    assert.equal(defaults.priority, false, 'priority only when asked for');
    assert.equal(parseBenchArgs(['--priority']).priority, true);
  });
});
