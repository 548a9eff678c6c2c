// Preloaded into the Haven process that `npm run bench:pages` measures (node --require, compiled
// by esbuild at bench time). It counts the statements Haven hands to SQLite, at the driver, so
// statements that Sequelize issues on its own (PRAGMA table_info, BEGIN/COMMIT) count too, and
// answers the bench over the IPC channel. It only counts and, when asked, keeps the first 120
// characters of each statement's SQL text (never its parameters, which can carry health data).
import sqlite3 from 'sqlite3';
import type { ProbeReply, ProbeRequest } from './probe-protocol';

const COUNTED = ['run', 'all', 'get', 'each', 'exec', 'prepare'] as const;

let statements = 0;

// Live setInterval handles, unref'd ones included (getActiveResourcesInfo leaves those out): a
// per-connection interval shows up here as one more per connection.
const intervals = new Set<unknown>();
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const handle = realSetInterval(...args);
  intervals.add(handle);
  return handle;
}) as typeof setInterval;
globalThis.clearInterval = ((handle?: Parameters<typeof clearInterval>[0]) => {
  intervals.delete(handle);
  realClearInterval(handle);
}) as typeof clearInterval;
let recording: string[] | null = null;

type DriverMethod = (this: sqlite3.Database, ...args: unknown[]) => unknown;
const prototype = sqlite3.Database.prototype as unknown as Record<string, DriverMethod>;
for (const name of COUNTED) {
  const original = prototype[name];
  if (!original) continue;
  prototype[name] = function counted(this: sqlite3.Database, ...args: unknown[]): unknown {
    statements += 1;
    if (recording && typeof args[0] === 'string') recording.push(args[0].slice(0, 120));
    return original.apply(this, args);
  };
}

process.on('message', (message: ProbeRequest) => {
  let reply: ProbeReply;
  if (message.type === 'record') {
    recording = [];
    reply = { type: 'counts', statements };
  } else if (message.type === 'recorded') {
    reply = { type: 'recorded', statements, sql: recording ?? [] };
    recording = null;
  } else if (message.type === 'process') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const cpu = process.cpuUsage();
    reply = {
      type: 'process',
      statements,
      heapUsedBytes: process.memoryUsage().heapUsed,
      cpuMicros: cpu.user + cpu.system,
      timers: process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length,
      intervals: intervals.size,
      collected: gc !== undefined,
    };
  } else {
    reply = { type: 'counts', statements };
  }
  process.send?.(reply);
});
// The channel must not keep Haven alive on its own: SIGTERM ends it as usual.
process.channel?.unref();
