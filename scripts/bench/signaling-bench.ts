// `npm run bench:signaling`: what each open socket costs Haven. A benchmark, not a test: it prints
// figures and asserts nothing.
//
// It starts the built Haven with the demo clinic (as `bench:pages` does, with node --expose-gc so
// heap figures follow a full collection), signs a client in through the real forms, then opens
// many sockets with that session, as many messaging pages and waiting rooms would. Per socket it
// prints the heap kept, the CPU and SQL statements the handshake cost, and the intervals left
// running; then the ack latency of a request on every socket at once. Medians over rounds.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { positiveOption } from './positive-option';
import { median, percentile as percentileOfSorted } from './window-stats';
import { compileBenchHelpers, startBenchHaven, type BenchHaven } from './pages/bench-processes';
import { signInThroughForms } from './pages/form-sign-in';
import { ackLatencies, BATCH, closeAll, openMany } from './socket-crowd';

const USAGE = `npm run bench:signaling -- [options]
  --sockets=N   sockets per round (default 1000)
  --runs=N      rounds; medians are over these (default 3)
  --show-sql    print the SQL (text only) of one handshake
  --help        this text`;

const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const percentile = (values: readonly number[], p: number): number =>
  percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );

interface Round {
  readonly heapPerSocketKb: number;
  readonly handshakeCpuMs: number;
  readonly statementsPerHandshake: number;
  readonly intervalsPerSocket: number;
  readonly connectP50Ms: number;
  readonly connectP99Ms: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
}

async function round(haven: BenchHaven, cookie: string, count: number): Promise<Round> {
  const before = await haven.probe({ type: 'process' }, 'process');
  const { sockets, ms } = await openMany(haven.url, cookie, count);
  const after = await haven.probe({ type: 'process' }, 'process');
  const acks = await ackLatencies(sockets);
  await closeAll(sockets);
  return {
    heapPerSocketKb: (after.heapUsedBytes - before.heapUsedBytes) / count / 1024,
    handshakeCpuMs: (after.cpuMicros - before.cpuMicros) / count / 1000,
    statementsPerHandshake: (after.statements - before.statements) / count,
    intervalsPerSocket: (after.intervals - before.intervals) / count,
    connectP50Ms: percentile(ms, 50),
    connectP99Ms: percentile(ms, 99),
    ackP50Ms: percentile(acks, 50),
    ackP99Ms: percentile(acks, 99),
  };
}

function parseOptions(argv: readonly string[]): { sockets: number; runs: number; showSql: boolean } | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      sockets: { type: 'string' },
      runs: { type: 'string' },
      'show-sql': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  return {
    sockets: positiveOption('sockets', values.sockets, 1000, { integer: true }),
    runs: positiveOption('runs', values.runs, 3, { integer: true }),
    showSql: values['show-sql'] ?? false,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    say(USAGE);
    return;
  }
  await compileBenchHelpers();
  const loadBefore = loadavg();
  const haven = await startBenchHaven({ nodeArgs: ['--expose-gc'] });
  try {
    const client = haven.people.find((p) => p.roles.includes('client'));
    if (!client) throw new Error('the demo clinic has no client');
    const cookie = await signInThroughForms(haven.url, client);
    const first = await haven.probe({ type: 'process' }, 'process');
    if (!first.collected) say('(heap figures without a full GC: node ran without --expose-gc)');
    await round(haven, cookie, Math.min(100, options.sockets)); // warm-up: JIT, caches
    if (options.showSql) {
      await haven.probe({ type: 'record' }, 'counts');
      const { sockets } = await openMany(haven.url, cookie, 1);
      const recorded = await haven.probe({ type: 'recorded' }, 'recorded');
      say(`one handshake: ${recorded.sql.length} statements`);
      for (const sql of recorded.sql) say(`    ${sql}`);
      await closeAll(sockets);
    }
    const rounds: Round[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      rounds.push(await round(haven, cookie, options.sockets));
      process.stderr.write(`round ${i + 1}/${options.runs} done\n`);
    }
    const m = (pick: (r: Round) => number, digits = 1): string => median(rounds.map(pick)).toFixed(digits);
    say(
      `Haven (dist/, NODE_ENV=production, SQLite, demo clinic); node ${process.version}, ${cpus().length} cores; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
    );
    say(
      `${options.sockets} sockets of one signed-in client per round, ${BATCH} handshakes at a time; medians of ${options.runs} rounds`,
    );
    say();
    say(`heap per socket          ${m((r) => r.heapPerSocketKb)} KB`);
    say(`CPU per handshake        ${m((r) => r.handshakeCpuMs, 2)} ms`);
    say(`SQL per handshake        ${m((r) => r.statementsPerHandshake)}`);
    say(
      `intervals per socket     ${m((r) => r.intervalsPerSocket, 2)} (engine.io's own heartbeat timeout aside)`,
    );
    say(`connect p50 / p99        ${m((r) => r.connectP50Ms)} / ${m((r) => r.connectP99Ms)} ms`);
    say(
      `ack p50 / p99            ${m((r) => r.ackP50Ms)} / ${m((r) => r.ackP99Ms)} ms (message:subscribe on every socket at once)`,
    );
  } finally {
    await haven.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
