// `npm run bench:pages`: how fast Haven's main signed-in pages are, next to a bare express app on
// the same machine. A benchmark, not a test: it prints figures and asserts nothing.
//
// It starts the built Haven with the demo clinic and the reference, signs each role in through the
// real forms, counts SQL statements and fsyncs per request for each page (a short sequential pass),
// then runs autocannon against each page and the reference in turn (interleaved, so both see the
// same machine load) for several rounds and prints medians and the page/reference ratio.
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { positiveOption } from './positive-option';
import autocannon from 'autocannon';
import { median } from './window-stats';
import { headerLines, rowLine, type Column } from './table';
import {
  compileBenchHelpers,
  startBenchHaven,
  startReference,
  type BenchHaven,
  type DemoPerson,
} from './pages/bench-processes';
import { signInThroughForms } from './pages/form-sign-in';
import { countFsyncs } from './pages/syscall-count';
import { cpuSeconds } from './proc-stats';

/** The pages people land on and use most, per role (demo people). */
const PAGES: readonly { role: string; path: string }[] = [
  { role: 'therapist', path: '/' },
  { role: 'therapist', path: '/clinical' },
  { role: 'therapist', path: '/schedule' },
  { role: 'therapist', path: '/messages' },
  { role: 'client', path: '/appointments' },
  { role: 'client', path: '/messages' },
  { role: 'client', path: '/clinical/me' },
  // Almost nothing of its own (the profile form): mostly the fixed cost every signed-in page pays.
  { role: 'client', path: '/account' },
  { role: 'peer_supporter', path: '/groups' },
  { role: 'admin', path: '/admin' },
];

/** The goal: every page at least this share of bare express, and p99 at most this. */
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 50;
const COUNTING_REQUESTS = 20;
const FLOOR_LABEL = 'stack floor';

/** Signs in to the stack floor app (it keeps a session like Haven's) and returns its cookie. */
async function floorCookie(url: string): Promise<string> {
  const response = await fetch(`${url}sign-in`);
  await response.arrayBuffer();
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`the stack floor app did not sign in (${response.status})`);
  return cookie;
}

const USAGE = `npm run bench:pages -- [options]
  --duration=S      seconds per autocannon run (default 5)
  --connections=N   concurrent connections (default 10)
  --runs=N          interleaved rounds; medians are over these (default 3)
  --only=TEXT       only pages whose role or path contains TEXT
  --show-sql        print the SQL (text only) one request of each page runs
  --counts-only     only the statement and fsync counts (no autocannon)
  --help            this text`;

interface Options {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly runs: number;
  readonly only: string | null;
  readonly showSql: boolean;
  readonly countsOnly: boolean;
}

function parseOptions(argv: readonly string[]): Options | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      'show-sql': { type: 'boolean' },
      'counts-only': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  return {
    durationSeconds: positiveOption('duration', values.duration, 5),
    connections: Math.round(positiveOption('connections', values.connections, 10)),
    runs: Math.round(positiveOption('runs', values.runs, 3)),
    only: values.only ?? null,
    showSql: values['show-sql'] ?? false,
    countsOnly: values['counts-only'] ?? false,
  };
}

interface Target {
  readonly label: string;
  readonly url: string;
  readonly cookie: string | null;
  /** The process answering: its CPU time is read around each run. */
  readonly pid: number;
}

interface Sample {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly bad: number;
  /**
   * The serving process's CPU time (user + system, /proc/<pid>/stat) over the run ÷ requests
   * answered, in ms: unlike req/s it barely moves when other work shares the cores.
   */
  readonly cpuMsPerRequest: number;
}

async function load(target: Target, options: Options, seconds = options.durationSeconds): Promise<Sample> {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: seconds,
    headers: target.cookie ? { cookie: target.cookie } : {},
  });
  const cpuAfter = cpuSeconds(target.pid);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
    cpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total),
  };
}

interface PageRow {
  readonly label: string;
  /** Null for the stack floor: the statement probe and strace count Haven only. */
  readonly statements: number | null;
  readonly fsyncs: number | null;
  readonly samples: Sample[];
  readonly references: Sample[];
}

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

function personFor(people: readonly DemoPerson[], role: string): DemoPerson {
  const person = people.find((p) => p.roles.includes(role));
  if (!person) throw new Error(`the demo clinic has no ${role}`);
  return person;
}

/** Statements and fsyncs per request, from a short sequential pass. */
async function countPerRequest(
  haven: BenchHaven,
  target: Target,
  showSql: boolean,
): Promise<{ statements: number; fsyncs: number | null }> {
  const get = async (): Promise<void> => {
    const response = await fetch(target.url, { headers: target.cookie ? { cookie: target.cookie } : {} });
    await response.arrayBuffer();
  };
  await get(); // a first request may do one-off work (caches, the CSRF token)
  if (showSql) {
    await haven.probe({ type: 'record' }, 'counts');
    await get();
    const recorded = await haven.probe({ type: 'recorded' }, 'recorded');
    say(`${target.label}: ${recorded.sql.length} statements`);
    for (const sql of recorded.sql) say(`    ${sql}`);
  }
  const before = await haven.probe({ type: 'count' }, 'counts');
  const fsyncs = await countFsyncs(haven.pid, async () => {
    for (let i = 0; i < COUNTING_REQUESTS; i += 1) await get();
  });
  const after = await haven.probe({ type: 'count' }, 'counts');
  return {
    statements: (after.statements - before.statements) / COUNTING_REQUESTS,
    fsyncs: fsyncs === null ? null : fsyncs / COUNTING_REQUESTS,
  };
}

const COLUMNS: Column<PageRow>[] = [
  { title: 'page', value: (r) => r.label.padEnd(26) },
  { title: 'req/s', value: (r) => median(r.samples.map((s) => s.requestsPerSecond)) },
  { title: 'p50 ms', value: (r) => median(r.samples.map((s) => s.p50Ms)), digits: 1 },
  { title: 'p99 ms', value: (r) => median(r.samples.map((s) => s.p99Ms)), digits: 1 },
  { title: 'ref req/s', value: (r) => median(r.references.map((s) => s.requestsPerSecond)) },
  {
    title: 'ratio',
    value: (r) => median(r.samples.map((s, i) => s.requestsPerSecond / r.references[i]!.requestsPerSecond)),
    digits: 3,
  },
  { title: 'CPU ms/req', value: (r) => median(r.samples.map((s) => s.cpuMsPerRequest)), digits: 2 },
  {
    title: 'CPU ratio',
    value: (r) => median(r.samples.map((s, i) => r.references[i]!.cpuMsPerRequest / s.cpuMsPerRequest)),
    digits: 3,
  },
  { title: 'SQL/req', value: (r) => (r.statements === null ? 'n/a' : r.statements), digits: 1 },
  { title: 'fsync/req', value: (r) => (r.fsyncs === null ? 'n/a' : r.fsyncs), digits: 2 },
  { title: 'non-2xx', value: (r) => r.samples.reduce((sum, s) => sum + s.bad, 0) },
];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    say(USAGE);
    return;
  }
  await compileBenchHelpers();
  const loadBefore = loadavg();
  const reference = await startReference();
  const floor = await startReference('stack-floor');
  const haven = await startBenchHaven();
  try {
    const cookies = new Map<string, string>();
    for (const role of new Set(PAGES.map((p) => p.role))) {
      cookies.set(role, await signInThroughForms(haven.url, personFor(haven.people, role)));
    }
    const pages = PAGES.filter(
      (p) => !options.only || p.role.includes(options.only) || p.path.includes(options.only),
    );
    const targets = pages.map((p) => ({
      label: `${p.role} ${p.path}`,
      url: `${haven.url}${p.path}`,
      cookie: cookies.get(p.role)!,
      pid: haven.pid,
    }));
    for (const target of targets) {
      const response = await fetch(target.url, { headers: { cookie: target.cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${target.label} answered ${response.status}, not 200`);
    }

    say(
      `Haven (dist/, NODE_ENV=production, SQLite, demo clinic) vs bare express "hello"; node ${process.version}, ${cpus().length} cores`,
    );
    say(
      `autocannon ${options.connections} connections × ${options.durationSeconds} s, ${options.runs} interleaved rounds (medians); load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
    );
    say();
    const rows: PageRow[] = [];
    for (const target of targets) {
      const counts = await countPerRequest(haven, target, options.showSql);
      rows.push({ label: target.label, ...counts, samples: [], references: [] });
    }
    if (options.countsOnly) {
      for (const row of rows)
        say(
          `${row.label.padEnd(26)} SQL/req ${row.statements?.toFixed(1) ?? 'n/a'}  fsync/req ${row.fsyncs ?? 'n/a'}`,
        );
      return;
    }
    const referenceTarget: Target = {
      label: 'bare express',
      url: reference.url,
      cookie: null,
      pid: reference.pid,
    };
    // The stack's floor for a signed-in page (stack-floor.ts) is measured like a page: the ratio a
    // page could reach if Haven did nothing of its own.
    const floorTarget: Target = {
      label: FLOOR_LABEL,
      url: floor.url,
      cookie: await floorCookie(floor.url),
      pid: floor.pid,
    };
    const measured: Target[] = [...targets, floorTarget];
    rows.push({ label: FLOOR_LABEL, statements: null, fsyncs: null, samples: [], references: [] });
    // Warm up both (JIT, EJS template cache, SQLite page cache) before anything is kept.
    await load(referenceTarget, options, 1);
    for (const target of measured) await load(target, options, 1);
    for (let round = 0; round < options.runs; round += 1) {
      for (const [i, target] of measured.entries()) {
        rows[i]!.references.push(await load(referenceTarget, options));
        rows[i]!.samples.push(await load(target, options));
      }
      process.stderr.write(`round ${round + 1}/${options.runs} done\n`);
    }

    for (const line of headerLines(COLUMNS)) say(line);
    for (const row of rows) say(rowLine(COLUMNS, row));
    say();
    say(
      `SQL/req = statements handed to SQLite per request (incl. PRAGMA, BEGIN/COMMIT); fsync/req from strace -c.`,
    );
    say(`ratio = page req/s ÷ reference req/s measured just before it, median over rounds.`);
    say(
      `CPU ms/req = the Haven process's user+system CPU time over a run (/proc/<pid>/stat) ÷ requests answered;`,
    );
    say(`CPU ratio = the reference's CPU ms/req ÷ the page's, from the same round (load-independent).`);
    say(
      `${FLOOR_LABEL} = express + helmet + express-session over a node-sqlite3 store + 2 reads + a small EJS page in a layout`,
    );
    say(
      `  (scripts/bench/pages/stack-floor.ts): the most a signed-in page's ratio can approach on this stack.`,
    );
    const missed = rows.filter((r) => {
      if (r.label === FLOOR_LABEL) return false;
      const ratio = median(r.samples.map((s, i) => s.requestsPerSecond / r.references[i]!.requestsPerSecond));
      return ratio < TARGET_RATIO || median(r.samples.map((s) => s.p99Ms)) > TARGET_P99_MS;
    });
    say(
      missed.length === 0
        ? `target met: every page ≥ ${TARGET_RATIO} of bare express with p99 ≤ ${TARGET_P99_MS} ms`
        : `target (≥ ${TARGET_RATIO} of bare express, p99 ≤ ${TARGET_P99_MS} ms) missed by: ${missed.map((r) => r.label).join(', ')}`,
    );
    say(
      `load average after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await haven.stop();
    await reference.stop();
    await floor.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pages failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
