// `npm run bench:srtp`: CPU instructions the mediasoup worker spends per packet on fair synthetic
// sessions (SRTP, simulcast), counted by valgrind's callgrind, for one or more worker binaries in
// turn. Instructions, unlike seconds, do not depend on what else the machine is doing, so two
// builds of the worker (libsrtp on NSS or on OpenSSL, LTO, allocators) compare reliably on a shared
// machine. They count only what the worker does in user space: the kernel's share (the system calls
// that receive and send, the loopback network stack) shows in `npm run bench:media`'s µs/pkt.
//
//   npm run bench:srtp -- <worker binary> [<worker binary> ...]
//   env: SESSIONS (default 1: under valgrind one session keeps up on a busy 2-core machine),
//        WINDOW_SECONDS (default 10), SUITE (default AEAD_AES_256_GCM),
//        RUNS (default 3, interleaved across the binaries; medians printed)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionPair, type SessionPair } from './session-pair';
import type { SrtpSuite } from './srtp';
import { callgrindBreakdown, type CallgrindBreakdown } from './callgrind-breakdown';
import { lossPercent, median } from './window-stats';
import {
  TrafficProcess,
  nowUs,
  type SenderReport,
  type SenderRequest,
  type SinkReport,
  type SinkRequest,
} from './traffic-ipc';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const say = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Measured {
  readonly binary: string;
  readonly breakdown: CallgrindBreakdown;
  readonly packetsIn: number;
  readonly packetsOut: number;
  /** Forwarded packets (audio and the top video layer) that never reached the sink, %. */
  readonly lossPercent: number;
  readonly srtpFailures: number;
  readonly topLayer: string;
}

/**
 * A run counts only if the worker kept up: under valgrind it runs ~50× slower, and on a busy
 * machine it can fall behind and drop packets, which then cost it nothing (a run that forwarded
 * half its packets once read as 36% cheaper). Such runs are printed and left out of the median.
 * A loss under 2% moves the figure by under 2% (a packet never read saves at most its own cost).
 */
const MAX_LOSS_PERCENT = 2;

function readDump(file: string): CallgrindBreakdown {
  const text = execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return callgrindBreakdown(text);
}

/**
 * mediasoup reads MEDIASOUP_WORKER_BIN once, when it is first loaded: it always starts this one
 * wrapper, which we point at the binary under test before each measurement.
 */
const WRAPPER_DIR = mkdtempSync(join(tmpdir(), 'haven-bench-callgrind-'));
const WRAPPER = join(WRAPPER_DIR, 'worker.sh');
process.env.MEDIASOUP_WORKER_BIN = WRAPPER;

async function measure(
  binary: string,
  sessions: number,
  seconds: number,
  suite: SrtpSuite,
): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'haven-bench-callgrind-out-'));
  writeFileSync(
    WRAPPER,
    `#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=${dir}/callgrind.%p.out "${binary}" "$@"\n`,
  );
  chmodSync(WRAPPER, 0o755);
  const mediasoup = await import('mediasoup');
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const sender = new TrafficProcess<SenderRequest>(join(__dirname, 'rtp-sender.ts'));
  const sink = new TrafficProcess<SinkRequest>(join(__dirname, 'rtp-sink.ts'));
  const pairs: SessionPair[] = [];
  try {
    const ports = await sink.request<number[]>({ op: 'open', count: 2 * sessions });
    for (let i = 0; i < sessions; i += 1) {
      pairs.push(
        await createSessionPair(worker, [ports[2 * i]!, ports[2 * i + 1]!], { srtp: suite, videoLayers: 3 }),
      );
    }
    await sink.request({ op: 'keys', keys: pairs.flatMap((p) => p.sinkKeys) });
    await sender.request({ op: 'add', participants: pairs.flatMap((p) => p.participants) });
    await sleep(8000); // layers settle (sender reports every second), keyframes asked for
    const window = { fromUs: nowUs() + 50_000, toUs: nowUs() + 50_000 + seconds * 1e6 };
    await Promise.all([sender.request({ op: 'window', window }), sink.request({ op: 'window', window })]);
    await sleep(50);
    execFileSync('callgrind_control', ['--zero', String(worker.pid)], { stdio: 'ignore' });
    await sleep(seconds * 1000);
    execFileSync('callgrind_control', ['--dump=window', String(worker.pid)], { stdio: 'ignore' });
    await sleep(3000);
    const sent = await sender.request<SenderReport>({ op: 'report' });
    const received = await sink.request<SinkReport>({ op: 'report' });
    const dump = readdirSync(dir).find((f) => /^callgrind\.\d+\.out\.\d+$/.test(f));
    if (!dump) throw new Error(`no callgrind dump in ${dir}`);
    const video = pairs.flatMap((p) => p.videoConsumers);
    const forwarded = sent.sent.audio + sent.sent.video;
    const packetsOut = received.received.audio + received.received.video;
    return {
      binary,
      breakdown: readDump(join(dir, dump)),
      packetsIn: forwarded + sent.lowerLayers,
      packetsOut,
      lossPercent: lossPercent(forwarded, packetsOut),
      srtpFailures: received.srtpFailures,
      topLayer: `${video.filter((c) => c.currentLayers?.spatialLayer === 2).length}/${video.length}`,
    };
  } finally {
    sender.stop();
    sink.stop();
    worker.close();
    await sleep(500);
    if (process.env.KEEP_DUMPS) say(`callgrind dump kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const binaries = process.argv.slice(2);
  if (binaries.length === 0 || binaries.includes('--help')) {
    say(
      'npm run bench:srtp -- <mediasoup-worker binary> [<another> ...]   (env SESSIONS, WINDOW_SECONDS, SUITE, RUNS)',
    );
    return;
  }
  const sessions = Number(process.env.SESSIONS ?? 1);
  const seconds = Number(process.env.WINDOW_SECONDS ?? 10);
  const runs = Number(process.env.RUNS ?? 3);
  const suite = (process.env.SUITE ?? 'AEAD_AES_256_GCM') as SrtpSuite;
  say(
    `${sessions} fair 1:1 session(s) (${suite}, 3 simulcast layers), ${seconds} s window, worker under callgrind; ` +
      `${runs} run(s) per binary, interleaved; a run counts if the worker lost <${MAX_LOSS_PERCENT}% (it kept up)`,
  );
  const counted = new Map<string, Measured[]>(binaries.map((b) => [b, []]));
  for (let run = 1; run <= runs; run += 1) {
    for (const binary of binaries) {
      const m = await measure(binary, sessions, seconds, suite);
      const kept = m.lossPercent < MAX_LOSS_PERCENT;
      if (kept) counted.get(binary)!.push(m);
      say(
        `run ${run} ${binary}\n  ${m.packetsIn} packets in, ${m.packetsOut} out (loss ${m.lossPercent.toFixed(2)}%, top layer ${m.topLayer}, SRTP failures ${m.srtpFailures}); ` +
          `${(m.breakdown.instructions / 1e6).toFixed(1)} M instructions → ${(m.breakdown.instructions / m.packetsIn).toFixed(0)} per packet in; ` +
          `self cost: crypto libraries and libsrtp ${(m.breakdown.cryptoShare * 100).toFixed(1)}%, allocator ${(m.breakdown.allocatorShare * 100).toFixed(1)}%` +
          (kept ? '' : ' — NOT COUNTED: the worker fell behind (busy machine); run again'),
      );
    }
  }
  say();
  say('instructions per packet in (median of the counted runs, range):');
  const first = binaries[0]!;
  const perPacket = (b: string) => counted.get(b)!.map((m) => m.breakdown.instructions / m.packetsIn);
  for (const binary of binaries) {
    const values = perPacket(binary);
    if (values.length === 0) {
      say(`  ${binary}: no run counted`);
      continue;
    }
    const ratio = perPacket(first).length > 0 ? median(values) / median(perPacket(first)) : NaN;
    say(
      `  ${binary}: ${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}, ${values.length} run(s))` +
        (binary === first ? '' : `, ${ratio.toFixed(2)} × the first`),
    );
  }
}

main()
  .finally(() => rmSync(WRAPPER_DIR, { recursive: true, force: true }))
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
