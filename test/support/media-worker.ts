import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Media tests need a mediasoup worker binary. `scripts/build-mediasoup-worker` builds one into
 * ~/.cache/haven/mediasoup-worker/<version>/ and `.ci/run` exports MEDIASOUP_WORKER_BIN; for a
 * developer who built it but did not export the variable, this finds it. Returns the path or null.
 */
export function ensureMediasoupWorkerBin(): string | null {
  const given = process.env.MEDIASOUP_WORKER_BIN;
  if (given && existsSync(given)) return given;
  const cache = join(homedir(), '.cache', 'haven', 'mediasoup-worker');
  if (!existsSync(cache)) return null;
  for (const version of readdirSync(cache).sort().reverse()) {
    const bin = join(cache, version, 'mediasoup-worker');
    if (existsSync(bin)) {
      process.env.MEDIASOUP_WORKER_BIN = bin;
      return bin;
    }
  }
  return null;
}

/**
 * A base port for a test's media workers (4 ports apart, room for the workers of one test), away
 * from the default 40000 and below Linux's ephemeral range (32768–60999), where the run's own
 * outgoing sockets (Chromium, PostgreSQL, SMTP) could already hold it.
 */
export function testMediaPort(): number {
  return 22000 + Math.floor(Math.random() * 2500) * 4;
}

// mediasoup reads MEDIASOUP_WORKER_BIN once, when it is first imported: import this module before
// anything that imports mediasoup.
export const MEDIASOUP_WORKER_BIN = ensureMediasoupWorkerBin();
