// `npm run bench:media`: how many 1:1 audio+video sessions one mediasoup worker carries on this
// machine, and how long Chromium takes from "Admit" to the first decoded frame. A benchmark, not a
// test: it prints figures for docs/operations.md (Sizing) and asserts nothing.
import { cpus, loadavg } from 'node:os';
import { ensureMediasoupWorkerBin } from '../../test/support/media-worker';
import { USAGE, parseBenchArgs, type BenchOptions } from './bench-args';
import { MediaRamp, type StepResult } from './media-ramp';
import {
  allowedCpus,
  makeRealtime,
  pinProcess,
  planAffinity,
  scheduling,
  type AffinityPlan,
} from './cpu-affinity';
import { buildNativeTrafficGen } from './native-traffic';
import { NATIVE_SUITES } from './native-traffic-lines';
import { linearCpuEstimate, rampVerdict, stepHeld } from './ramp-verdict';
import { headerLines, rowLine, type Column } from './table';
import {
  OPUS_PROFILE,
  VP8_PROFILE,
  VP8_SIMULCAST_PROFILES,
  bitsPerSecond,
  packetsPerSecond,
} from './traffic-profile';
import { median } from './window-stats';

/** mediasoup's documented capacity: ~500 consumers per worker, i.e. 125 1:1 sessions of 4 consumers. */
const ANCHOR_CONSUMERS = 500;
const ANCHOR_SESSIONS = ANCHOR_CONSUMERS / 4;

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

const COLUMNS: Column<StepResult>[] = [
  { title: 'sessions', value: (r) => r.sessions },
  { title: 'prod/cons', value: (r) => `${r.producers}/${r.consumers}` },
  { title: 'pkt/s in', value: (r) => r.packetsInPerSecond },
  { title: 'pkt/s out', value: (r) => r.packetsOutPerSecond },
  { title: 'loss %', value: (r) => r.lossPercent, digits: 3 },
  { title: 'dup', value: (r) => r.duplicates },
  { title: 'p50 ms', value: (r) => r.p50Ms, digits: 2 },
  { title: 'p99 ms', value: (r) => r.p99Ms, digits: 2 },
  { title: 'worker %', value: (r) => r.workerCpuPercent, digits: 1 },
  // Worker CPU per packet routed (one in, one out): comparable between runs and machines.
  { title: 'µs/pkt', value: (r) => r.workerUsPerPacket, digits: 1 },
  { title: 'RSS MB', value: (r) => r.workerRssMb, digits: 1 },
  { title: 'wait %', value: (r) => r.workerWaitPercent, digits: 1 },
  { title: 'send %', value: (r) => r.senderCpuPercent, digits: 1 },
  { title: 'sink %', value: (r) => r.sinkCpuPercent, digits: 1 },
  { title: 'gen wait %', value: (r) => r.generatorWaitPercent, digits: 1 },
  { title: 'slip ms', value: (r) => r.sendSlipMs, digits: 2 },
  { title: 'host %', value: (r) => r.hostBusyPercent, digits: 0 },
  { title: 'drops@worker', value: (r) => r.workerSocketDrops },
  { title: 'drops@sink', value: (r) => r.sinkSocketDrops },
  { title: 'top layer', value: (r) => r.topLayerConsumers },
  { title: 'srtp fail', value: (r) => r.srtpFailures },
];

/**
 * The native generator's binary when it is asked for, speaks the shape's SRTP suite and builds;
 * otherwise undefined (the Node generator), with the reason printed.
 */
function nativeGenerator(options: BenchOptions): string | undefined {
  if (options.generator !== 'native') return undefined;
  if (!NATIVE_SUITES.includes(options.shape.srtp)) {
    say(`load generator: Node (the native one does not speak ${options.shape.srtp})`);
    return undefined;
  }
  try {
    return buildNativeTrafficGen();
  } catch (error) {
    say(`load generator: Node, because the native one did not build: ${(error as Error).message}`);
    return undefined;
  }
}

/** Pins the worker to a CPU of its own and this process (and so its children) to the others. */
function pinForRamp(options: BenchOptions): AffinityPlan | null {
  if (!options.pin) return null;
  const plan = planAffinity(allowedCpus());
  if (!plan) {
    say('CPU affinity: not pinned (one CPU allowed)');
    return null;
  }
  try {
    pinProcess(process.pid, plan.generator);
    return plan;
  } catch (error) {
    say(`CPU affinity: not pinned (taskset failed: ${(error as Error).message})`);
    return null;
  }
}

async function runRamp(options: BenchOptions): Promise<void> {
  const mediasoup = await import('mediasoup');
  const nativeBin = nativeGenerator(options);
  const allowed = allowedCpus();
  // Before the worker and the generator start: they inherit this process's CPUs and priority.
  const plan = pinForRamp(options);
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  if (plan) pinProcess(worker.pid, plan.worker);
  const ramp = new MediaRamp(worker, options.shape, nativeBin);
  const results: StepResult[] = [];
  try {
    const pids = ramp.generatorPids;
    say(
      `mediasoup ${mediasoup.version}, one worker (pid ${worker.pid}); load generator (${nativeBin ? `native, ${nativeBin}` : 'Node'}): sender pid ${pids.sender}, sink pid ${pids.sink}`,
    );
    say(
      plan
        ? `CPU affinity (taskset): worker on CPU ${allowedCpus(worker.pid).join(',')} alone; sender on ${allowedCpus(pids.sender).join(',')}, ` +
            `sink on ${allowedCpus(pids.sink).join(',')}, this process on ${allowedCpus().join(',')}; others' processes may still use the worker's CPU (wait %)`
        : `CPU affinity: none; the worker, the generator and everyone else share CPUs ${allowed.join(',')}`,
    );
    if (options.priority) {
      for (const pid of [worker.pid, pids.sender, pids.sink]) makeRealtime(pid);
    }
    say(
      `scheduling: worker ${scheduling(worker.pid)}, sender ${scheduling(pids.sender)}, sink ${scheduling(pids.sink)}` +
        (options.priority
          ? ' (--priority: real-time round-robin, so other work on their CPUs waits for them)'
          : ''),
    );
    const layers =
      options.shape.videoLayers > 1
        ? VP8_SIMULCAST_PROFILES.slice(-options.shape.videoLayers)
        : [VP8_PROFILE];
    say(
      `per participant: Opus ${packetsPerSecond(OPUS_PROFILE).toFixed(0)} pkt/s (${(bitsPerSecond(OPUS_PROFILE) / 1000).toFixed(0)} kbit/s) + ` +
        `VP8 in ${layers.length} layer(s): ${layers.map((l) => `${packetsPerSecond(l).toFixed(0)} pkt/s ${(bitsPerSecond(l) / 1e6).toFixed(2)} Mbit/s`).join(' + ')}; ` +
        `the worker forwards the top layer`,
    );
    say(
      options.shape.srtp
        ? `SRTP ${options.shape.srtp} on every transport (the worker decrypts what it receives and encrypts what it forwards)`
        : 'plain RTP (no SRTP): cheaper per packet than a real call',
    );
    say(
      `steps ${options.steps.join(',')}; ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured each; stop at loss ≥ ${options.lossLimitPercent}% or worker ≥ ${options.cpuLimitPercent}% of one core`,
    );
    say('latency = send → sink through the worker on loopback; worker/send/sink % = % of one core used;');
    say('dup = second copies of a packet (not counted as received);');
    say(
      'µs/pkt = worker CPU per packet routed (in + out), over the packets it read (not those dropped at its sockets);',
    );
    say('wait % = share of the window the worker (gen: busier of sender/sink) was runnable but had no core;');
    say('slip = how late the sender sent against its schedule; host % = all cores busy, anyone;');
    say('drops@ = datagrams the kernel dropped at the full sockets of the worker / of the sink');
    say();
    for (const line of headerLines(COLUMNS)) say(line);
    for (const sessions of options.steps) {
      const step = await ramp.measure(sessions, options);
      results.push(step);
      say(rowLine(COLUMNS, step));
      if (!stepHeld(step, options)) break;
    }
  } finally {
    ramp.close();
    worker.close();
    // The Chromium steps after the ramp run on every CPU again.
    if (plan) pinProcess(process.pid, allowed);
  }
  const verdict = rampVerdict(results, options);
  say();
  say(
    `largest number of sessions held at <${options.lossLimitPercent}% loss and <${options.cpuLimitPercent}% of one core: ${verdict.held}`,
  );
  say(
    `anchor: mediasoup documents ~${ANCHOR_CONSUMERS} consumers per worker (≈${ANCHOR_SESSIONS} 1:1 sessions); ` +
      `measured ${verdict.held * 4} consumers = ${(verdict.held / ANCHOR_SESSIONS).toFixed(2)} × the anchor`,
  );
  say(`limited by: ${verdict.limitedBy}`);
  const estimate = linearCpuEstimate(results, verdict.held, options);
  if (estimate) {
    say(
      `estimate (not measured): CPU grows linearly from ${estimate.fromSessions} sessions at ${estimate.fromCpuPercent.toFixed(0)}% → ` +
        `${options.cpuLimitPercent}% of one core at ≈${estimate.sessions} sessions (${(estimate.sessions / ANCHOR_SESSIONS).toFixed(2)} × the anchor)`,
    );
  }
}

async function runJoin(options: BenchOptions): Promise<void> {
  say();
  say(
    `join to first frame in Chromium (click Admit → client decodes the therapist's first frame), ${options.joinRuns} runs:`,
  );
  // Loaded only here: it brings up a whole Haven (and Chromium) from the test support code.
  const { measureJoinToFirstFrame } = await import('./join-timing');
  const { medianPhases, fromPageClickLine } = await import('../../test/support/room-page');
  const joins = await measureJoinToFirstFrame(options.joinRuns);
  const samples = joins.map((j) => j.ms);
  say(`  samples ms: ${samples.map((s) => s.toFixed(0)).join(', ')}`);
  say(`  median ${median(samples).toFixed(0)} ms`);
  say(`  ${fromPageClickLine(joins)}`);
  say(`  client's steps after the click (medians, ms; negative: done while waiting): ${medianPhases(joins)}`);
}

/**
 * One real Chromium call (Haven's own room page, its own worker) and one synthetic session of the
 * bench's shape (the bench's worker), measured over the same seconds: their worker CPU per packet
 * received, and the ratio. A ratio near 1 means the bench's figures stand for real calls.
 */
async function runCompare(options: BenchOptions): Promise<void> {
  say();
  say(
    `one real Chromium call beside one synthetic session (${shapeLabel(options)}), ${options.compareSeconds} s measured together:`,
  );
  const { RealCall } = await import('./real-call');
  const call = await RealCall.start();
  const mediasoup = await import('mediasoup');
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const ramp = new MediaRamp(worker, options.shape, nativeGenerator(options));
  try {
    const [synthetic, real] = await Promise.all([
      ramp.measure(1, { ...options, durationSeconds: options.compareSeconds }),
      // The synthetic window opens after the ramp's warm-up; the real call's window with it.
      sleep(options.warmupSeconds * 1000).then(() => call.measure(options.compareSeconds)),
    ]);
    const syntheticUs = synthetic.workerUsPerPacket;
    say(
      `  real call:  ${real.packetsInPerSecond.toFixed(0)} pkt/s in (video layers, pkt/s per camera: ${real.videoLayers}), ` +
        `worker ${real.workerCpuPercent.toFixed(1)}% of a core → ${real.usPerPacket.toFixed(1)} µs/pkt; Chromium's SRTP: ${real.srtpCipher}`,
    );
    say(
      `  synthetic:  ${synthetic.packetsInPerSecond.toFixed(0)} pkt/s in, worker ${synthetic.workerCpuPercent.toFixed(1)}% of a core → ` +
        `${syntheticUs.toFixed(1)} µs/pkt (loss ${synthetic.lossPercent.toFixed(2)}%, top layer ${synthetic.topLayerConsumers}, SRTP failures ${synthetic.srtpFailures})`,
    );
    say(`  per-packet cost, real ÷ synthetic: ${(real.usPerPacket / syntheticUs).toFixed(2)}`);
  } finally {
    ramp.close();
    worker.close();
    await call.stop();
  }
}

function shapeLabel(options: BenchOptions): string {
  return `${options.shape.srtp ?? 'no SRTP'}, ${options.shape.videoLayers} video layer(s)`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  if (process.argv.includes('--help')) return say(USAGE);
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (!ensureMediasoupWorkerBin()) {
    process.stderr.write(
      'no mediasoup worker: set MEDIASOUP_WORKER_BIN or run scripts/build-mediasoup-worker\n',
    );
    process.exitCode = 1;
    return;
  }
  say(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start; ${new Date().toISOString()}`,
  );
  if (options.ramp) await runRamp(options);
  if (options.compare) await runCompare(options);
  if (options.join) await runJoin(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
