import { parseArgs } from 'node:util';
import { FAIR_SHAPE, type SessionShape } from './session-pair';
import type { SrtpSuite } from './srtp';

/** The media benchmark's options, from its command line. */
export interface BenchOptions {
  /** Total 1:1 sessions at each step of the ramp (ascending). */
  readonly steps: number[];
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly lossLimitPercent: number;
  readonly cpuLimitPercent: number;
  readonly ramp: boolean;
  readonly join: boolean;
  readonly joinRuns: number;
  /** SRTP and simulcast of the synthetic sessions (fair by default: as a real call). */
  readonly shape: SessionShape;
  /** Run one real Chromium call beside one synthetic session and compare their cost per packet. */
  readonly compare: boolean;
  readonly compareSeconds: number;
  /** Load generator: the native one (compiled C, much cheaper per packet) or the Node one. */
  readonly generator: 'native' | 'node';
  /** Give the worker a CPU of its own and the generator the others during the ramp (taskset). */
  readonly pin: boolean;
  /** Run the worker and the generator with real-time priority during the ramp (chrt). */
  readonly priority: boolean;
}

const SUITES: readonly SrtpSuite[] = ['AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_80'];

export const DEFAULT_STEPS = [5, 10, 20, 40, 60, 80, 100, 125, 150, 175, 200, 250, 300];

export const USAGE = `npm run bench:media -- [options]
  --steps=5,10,20      sessions per step (default ${DEFAULT_STEPS.join(',')})
  --max-sessions=N     drop steps above N
  --warmup=S           seconds after adding sessions before measuring (default 3)
  --duration=S         seconds measured per step (default 5)
  --loss-limit=P       stop when loss reaches P % (default 0.5)
  --cpu-limit=P        stop when the worker reaches P % of one core (default 85)
  --no-ramp            skip the RTP ramp
  --no-join            skip the Chromium steps (join-to-first-frame and the real call)
  --join-runs=N        admissions timed in Chromium (default 5)
  --srtp=SUITE|none    SRTP on the synthetic sessions (default ${FAIR_SHAPE.srtp}; also
                       AES_CM_128_HMAC_SHA1_80; none = plain RTP, the old bench)
  --layers=N           simulcast layers per camera, 1–3 (default ${FAIR_SHAPE.videoLayers})
  --no-compare         skip the real Chromium call beside one synthetic session
  --compare-seconds=S  seconds that comparison measures (default 20)
  --generator=KIND     load generator: native (default; C with OpenSSL, built on first use with
                       cc; plain RTP or ${FAIR_SHAPE.srtp}) or node (rtp-sender.ts/rtp-sink.ts)
  --no-pin             do not pin the worker to a CPU of its own (taskset) during the ramp
  --priority           run the worker and the generator real-time (chrt --rr 1) during the ramp, so
                       that other work on a shared machine waits for them (root or CAP_SYS_NICE)
  --help               this text`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      steps: { type: 'string' },
      'max-sessions': { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'loss-limit': { type: 'string' },
      'cpu-limit': { type: 'string' },
      'no-ramp': { type: 'boolean' },
      'no-join': { type: 'boolean' },
      'join-runs': { type: 'string' },
      srtp: { type: 'string' },
      layers: { type: 'string' },
      'no-compare': { type: 'boolean' },
      'compare-seconds': { type: 'string' },
      generator: { type: 'string' },
      'no-pin': { type: 'boolean' },
      priority: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE); // media-bench.ts prints it itself; this guards other callers
  const listed = values.steps
    ? values.steps.split(',').map((s) => Math.round(positive('steps', s.trim(), 0)))
    : DEFAULT_STEPS;
  const max = positive('max-sessions', values['max-sessions'], Infinity);
  const steps = [...new Set(listed.filter((n) => n <= max))].sort((a, b) => a - b);
  if (steps.length === 0 && !values['no-ramp'])
    throw new Error('no steps left to run (check --steps and --max-sessions)');
  const srtp = values.srtp ?? FAIR_SHAPE.srtp;
  if (srtp !== 'none' && !SUITES.includes(srtp as SrtpSuite)) {
    throw new Error(`--srtp must be ${SUITES.join(', ')} or none, got "${srtp}"`);
  }
  const layers = values.layers === undefined ? FAIR_SHAPE.videoLayers : Number(values.layers);
  if (![1, 2, 3].includes(layers)) throw new Error(`--layers must be 1, 2 or 3, got "${values.layers}"`);
  const generator = values.generator ?? 'native';
  if (generator !== 'native' && generator !== 'node') {
    throw new Error(`--generator must be native or node, got "${generator}"`);
  }
  return {
    steps,
    warmupSeconds: positive('warmup', values.warmup, 3),
    durationSeconds: positive('duration', values.duration, 5),
    lossLimitPercent: positive('loss-limit', values['loss-limit'], 0.5),
    cpuLimitPercent: positive('cpu-limit', values['cpu-limit'], 85),
    ramp: !values['no-ramp'],
    join: !values['no-join'],
    joinRuns: Math.round(positive('join-runs', values['join-runs'], 5)),
    shape: { srtp: srtp === 'none' ? null : (srtp as SrtpSuite), videoLayers: layers },
    compare: !values['no-compare'] && !values['no-join'],
    compareSeconds: positive('compare-seconds', values['compare-seconds'], 20),
    generator,
    pin: !values['no-pin'],
    priority: values.priority ?? false,
  };
}
