// `npm run bench:srtp`: CPU instructions the mediasoup worker spends per packet on fair synthetic
// sessions (SRTP, simulcast), counted by valgrind's callgrind, for one or more worker binaries in
// turn. Instructions, unlike seconds, do not depend on what else the machine is doing, so two
// builds of the worker (libsrtp on NSS or on OpenSSL) compare reliably on a shared machine.
//
//   npm run bench:srtp -- <worker binary> [<worker binary> ...]
//   env: SESSIONS (default 2), WINDOW_SECONDS (default 10), SUITE (default AEAD_AES_256_GCM)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionPair, type SessionPair } from './session-pair';
import type { SrtpSuite } from './srtp';
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
  readonly instructions: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly srtpFailures: number;
  readonly topLayer: string;
  /** Instructions in functions whose name says SRTP or AES/GCM crypto, of the total. */
  readonly cryptoShare: number;
}

/**
 * Total Ir, and the share spent (self cost) in the crypto libraries (OpenSSL's libcrypto, NSS and
 * its freebl) and in libsrtp's own functions, from callgrind_annotate's per-function listing.
 */
function readDump(file: string): { instructions: number; cryptoShare: number } {
  const text = execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const total = /^([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/m.exec(text);
  const instructions = total ? Number(total[1]!.replace(/,/g, '')) : NaN;
  let crypto = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*)$/.exec(line);
    // 100% lines are the call chain above everything (main, the event loop), not self cost.
    if (!m || m[2] === '100.0') continue;
    if (/\[[^\]]*(libcrypto|libnss|libfreebl|libsoftokn|libsrtp)[^\]]*\]$|:srtp_/i.test(m[3]!)) {
      crypto += Number(m[1]!.replace(/,/g, ''));
    }
  }
  return { instructions, cryptoShare: crypto / instructions };
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
    return {
      binary,
      ...readDump(join(dir, dump)),
      packetsIn: sent.sent.audio + sent.sent.video + sent.lowerLayers,
      packetsOut: received.received.audio + received.received.video,
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
      'npm run bench:srtp -- <mediasoup-worker binary> [<another> ...]   (env SESSIONS, WINDOW_SECONDS, SUITE)',
    );
    return;
  }
  const sessions = Number(process.env.SESSIONS ?? 2);
  const seconds = Number(process.env.WINDOW_SECONDS ?? 10);
  const suite = (process.env.SUITE ?? 'AEAD_AES_256_GCM') as SrtpSuite;
  say(
    `${sessions} fair 1:1 session(s) (${suite}, 3 simulcast layers), ${seconds} s window, worker under callgrind`,
  );
  for (const binary of binaries) {
    const m = await measure(binary, sessions, seconds, suite);
    const perPacket = m.instructions / m.packetsIn;
    say(
      `${binary}\n  ${m.packetsIn} packets in, ${m.packetsOut} out (top layer ${m.topLayer}, SRTP failures ${m.srtpFailures}); ` +
        `${(m.instructions / 1e6).toFixed(1)} M instructions → ${perPacket.toFixed(0)} per packet in; ` +
        `${(m.cryptoShare * 100).toFixed(1)}% self cost in the crypto libraries and libsrtp (what they call in libc, e.g. malloc, counts elsewhere)`,
    );
  }
}

main()
  .finally(() => rmSync(WRAPPER_DIR, { recursive: true, force: true }))
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
