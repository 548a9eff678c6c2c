// `npm run bench:reset`: does asking for a password reset take longer for a registered address than
// for an unknown one? (If it does, timing tells an outsider which addresses have accounts.) A
// benchmark, not a test: it prints medians and their ratio and asserts nothing.
//
// It starts Haven on a throw-away SQLite file (the default database, with its durability pragmas),
// creates one account per measured request (a reset email per address is limited to five), signs
// nothing in, and posts /forgot-password over loopback HTTP for known and unknown addresses in a
// shuffled order, so both see the same machine load and whatever work an earlier request left behind.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createPerson, ensureAdmin } from '../../test/support/accounts';
import { startTestHaven } from '../../test/support/test-haven';
import { median, percentile } from './window-stats';

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

function options(): { perKind: number; warmup: number } | null {
  const { values } = parseArgs({
    options: { requests: { type: 'string' }, warmup: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return null;
  return { perKind: Number(values.requests ?? 150), warmup: Number(values.warmup ?? 20) };
}

const p90 = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    90,
  );

/**
 * Fisher–Yates. (Sorting with a random comparator is not a fair shuffle: it leaves most items near
 * where they started, so the kind listed first ran mostly early, on a smaller database.)
 */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function main(): Promise<void> {
  const opts = options();
  if (!opts) {
    say('npm run bench:reset -- [--requests=N (per kind, default 150)] [--warmup=N (default 20)]');
    return;
  }
  const t = await startTestHaven({
    env: { AUTH_ATTEMPTS_PER_IP: '10000', AUTH_ATTEMPTS_PER_ACCOUNT: '1000' },
  });
  const server = createServer(t.haven.http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await ensureAdmin(t.haven);
    say(`creating ${opts.perKind + opts.warmup} accounts…`);
    const known: string[] = [];
    for (let i = 0; i < opts.perKind + opts.warmup; i += 1) {
      known.push((await createPerson(t.haven, { roles: ['client'] })).email);
    }
    // One visitor session: its cookie and CSRF token serve every request.
    const page = await fetch(`${base}/forgot-password`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const ask = async (email: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(`${base}/forgot-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, email }).toString(),
      });
      await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`POST /forgot-password answered ${res.status}`);
      return ms;
    };
    const plan = shuffled([
      ...known.map((email) => ({ kind: 'known' as const, email })),
      ...known.map((_, i) => ({ kind: 'unknown' as const, email: `nobody-${i}-${Date.now()}@example.org` })),
    ]);
    const times = { known: [] as number[], unknown: [] as number[] };
    let warm = 0;
    for (const step of plan) {
      const ms = await ask(step.email);
      if (warm < opts.warmup * 2) warm += 1;
      else times[step.kind].push(ms);
    }
    const k = median(times.known);
    const u = median(times.unknown);
    say(
      `load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores; ${times.known.length} known, ${times.unknown.length} unknown (after ${warm} warm-up)`,
    );
    say('kind      median ms   p90 ms');
    say(`known     ${k.toFixed(2).padStart(9)}  ${p90(times.known).toFixed(2).padStart(7)}`);
    say(`unknown   ${u.toFixed(2).padStart(9)}  ${p90(times.unknown).toFixed(2).padStart(7)}`);
    say(`known / unknown = ${(k / u).toFixed(2)}  (difference of medians ${(k - u).toFixed(2)} ms)`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
