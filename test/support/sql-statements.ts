import sqlite3 from 'sqlite3';

/**
 * The SQL text of every statement handed to the sqlite3 driver while `work` runs (all connections
 * of this process), for tests that count what a query or a request costs.
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const prototype = sqlite3.Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of ['all', 'run', 'get', 'exec', 'each']) {
    const original = prototype[name]!;
    originals.set(name, original);
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'string') seen.push(args[0]);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
  }
  return seen;
}

/** Statements whose (first) FROM is `table`, quoted by Sequelize or written plainly in a repository. */
export const from = (table: string) => (sql: string) =>
  /\bFROM\s+[`"]?(\w+)/i.exec(sql)?.[1]?.toLowerCase() === table.toLowerCase();
