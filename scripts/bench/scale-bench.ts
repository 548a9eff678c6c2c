// `npm run bench:scale`: what a second Haven node adds. A benchmark, not a test: it prints figures
// and asserts nothing.
//
// It starts Debian's PostgreSQL (a throw-away cluster, as the tests do), seeds the demo clinic, and
// starts two built Haven nodes on it (node-a, node-b: same secrets, own ports). Then, for several
// interleaved rounds, it loads a signed-in page with two autocannon instances at once: both at node A
// ("one node"), then one at each node ("two nodes"), and prints the medians and the ratio. Both
// nodes run on this one machine, so the ratio says what the nodes' own work allows here (the
// database and the load generator share the same cores); on separate machines it is what the
// database allows.
//
// Signalling the same way: a crowd of sockets of the signed-in client (as open pages hold them) all
// at node A, then half at each node; every socket asks `message:subscribe` at once and the burst's
// acks per second and median ack time are compared, one node against two.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startPostgres } from '../../test/support/postgres';
import { compileBenchHelpers, startBenchHaven, type BenchHaven } from './pages/bench-processes';
import { signInThroughForms } from './pages/form-sign-in';
import { positiveOption } from './positive-option';
import { ackLatencies, closeAll, openMany } from './socket-crowd';
import { median } from './window-stats';

const USAGE = `npm run bench:scale -- [options]
  --duration=S      seconds per autocannon run (default 5)
  --connections=N   concurrent connections per autocannon instance (default 5)
  --runs=N          interleaved rounds; medians are over these (default 3)
  --path=P          the page to load, signed in as the demo client (default /appointments)
  --sockets=N       sockets in each signalling burst, split over the nodes measured (default 400)
  --help            this text`;

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Options {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly runs: number;
  readonly path: string;
  readonly sockets: number;
}

function parseOptions(argv: readonly string[]): Options | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      runs: { type: 'string' },
      path: { type: 'string' },
      sockets: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  return {
    durationSeconds: positiveOption('duration', values.duration, 5),
    connections: Math.round(positiveOption('connections', values.connections, 5)),
    runs: Math.round(positiveOption('runs', values.runs, 3)),
    path: values.path ?? '/appointments',
    sockets: positiveOption('sockets', values.sockets, 400, { integer: true }),
  };
}

/** Two autocannon instances at once; their request rates added, their non-2xx counted. */
async function loadTogether(
  urls: readonly [string, string],
  cookie: string,
  options: Options,
): Promise<{ requestsPerSecond: number; bad: number }> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: { cookie },
      }),
    ),
  );
  return {
    requestsPerSecond: results.reduce((sum, r) => sum + r.requests.average, 0),
    bad: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

/**
 * One signalling burst: `count` sockets split evenly over `urls`, every one asking at once; acks
 * per second over the whole burst (first ask to last ack) and the median ack time.
 */
async function ackBurst(
  urls: readonly string[],
  cookie: string,
  count: number,
): Promise<{ acksPerSecond: number; medianMs: number }> {
  const sockets = [];
  for (const url of urls)
    sockets.push(...(await openMany(url, cookie, Math.ceil(count / urls.length))).sockets);
  try {
    const started = performance.now();
    const ms = await ackLatencies(sockets);
    const seconds = (performance.now() - started) / 1000;
    return { acksPerSecond: sockets.length / seconds, medianMs: median(ms) };
  } finally {
    await closeAll(sockets);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    say(USAGE);
    return;
  }
  await compileBenchHelpers();
  const loadBefore = loadavg();
  const postgres = await startPostgres();
  const nodes: BenchHaven[] = [];
  try {
    const shared = {
      DATABASE_URL: postgres.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TURN_SECRET: randomBytes(32).toString('hex'),
    };
    const a = await startBenchHaven({ env: { ...shared, NODE_ID: 'node-a' } });
    nodes.push(a);
    const b = await startBenchHaven({ env: { ...shared, NODE_ID: 'node-b' }, people: a.people });
    nodes.push(b);
    const client = a.people.find((p) => p.roles.includes('client'));
    if (!client) throw new Error('the demo clinic has no client');
    const cookie = await signInThroughForms(a.url, client);
    for (const node of [a, b]) {
      const check = await fetch(`${node.url}${options.path}`, { headers: { cookie }, redirect: 'manual' });
      await check.arrayBuffer();
      if (check.status !== 200) throw new Error(`${node.url}${options.path} answered ${check.status}`);
    }

    const one: number[] = [];
    const two: number[] = [];
    let bad = 0;
    for (let run = 1; run <= options.runs; run += 1) {
      const single = await loadTogether(
        [`${a.url}${options.path}`, `${a.url}${options.path}`],
        cookie,
        options,
      );
      const both = await loadTogether(
        [`${a.url}${options.path}`, `${b.url}${options.path}`],
        cookie,
        options,
      );
      one.push(single.requestsPerSecond);
      two.push(both.requestsPerSecond);
      bad += single.bad + both.bad;
      say(
        `run ${run}: one node ${single.requestsPerSecond.toFixed(0)} req/s, two nodes ${both.requestsPerSecond.toFixed(0)} req/s`,
      );
    }
    // Signalling: a warm-up burst on each node (JIT, session cache), then interleaved rounds.
    await ackBurst([a.url, b.url], cookie, Math.min(100, options.sockets));
    const acksOne: number[] = [];
    const acksTwo: number[] = [];
    const ackMsOne: number[] = [];
    const ackMsTwo: number[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const single = await ackBurst([a.url], cookie, options.sockets);
      const both = await ackBurst([a.url, b.url], cookie, options.sockets);
      acksOne.push(single.acksPerSecond);
      acksTwo.push(both.acksPerSecond);
      ackMsOne.push(single.medianMs);
      ackMsTwo.push(both.medianMs);
      say(
        `signalling run ${run}: one node ${single.acksPerSecond.toFixed(0)} acks/s (median ${single.medianMs.toFixed(1)} ms), ` +
          `two nodes ${both.acksPerSecond.toFixed(0)} acks/s (median ${both.medianMs.toFixed(1)} ms)`,
      );
    }
    const ackRatios = acksOne.map((o, i) => acksTwo[i]! / o);

    const ratios = one.map((o, i) => two[i]! / o);
    say();
    say(
      `page ${options.path} (signed in as the demo client), 2 × ${options.connections} connections, ${options.durationSeconds} s per run`,
    );
    say(`one node:  median ${median(one).toFixed(0)} req/s`);
    say(`two nodes: median ${median(two).toFixed(0)} req/s`);
    say(
      `two-node / one-node ratio: median ${median(ratios).toFixed(2)} (runs: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    say(`non-2xx or errors: ${bad}`);
    say();
    say(
      `signalling: ${options.sockets} sockets of the demo client per burst, message:subscribe on every one at once`,
    );
    say(
      `one node:  median ${median(acksOne).toFixed(0)} acks/s, median ack ${median(ackMsOne).toFixed(1)} ms`,
    );
    say(
      `two nodes: median ${median(acksTwo).toFixed(0)} acks/s, median ack ${median(ackMsTwo).toFixed(1)} ms`,
    );
    say(
      `two-node / one-node ratio (acks/s): median ${median(ackRatios).toFixed(2)} (runs: ${ackRatios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    say(
      `machine: ${cpus().length} cores; load average before ${loadBefore[0]!.toFixed(1)}, after ${loadavg()[0]!.toFixed(1)} ` +
        '(both nodes, PostgreSQL and autocannon share these cores)',
    );
  } finally {
    for (const node of nodes.reverse()) await node.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scale failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
