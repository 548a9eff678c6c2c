import sqlite3 from 'sqlite3';

/**
 * The sqlite3 module handed to Sequelize, with a Database class that configures every connection
 * before anyone can use it. Sequelize opens a fresh connection for each transaction and its sqlite
 * dialect runs no connect hooks, so setting pragmas once at start-up would leave those connections
 * with SQLite's unsafe defaults.
 *
 * - journal_mode=WAL: readers don't block the writer (persistent, but cheap to assert).
 * - synchronous=FULL: an acknowledged commit survives power loss; health records deserve it.
 * - foreign_keys=ON: SQLite ignores FOREIGN KEY clauses unless told otherwise, per connection.
 * - busy_timeout: wait for a competing writer instead of failing with SQLITE_BUSY at once.
 */
export function sqliteDriverWithPragmas(busyTimeoutMs: number): typeof sqlite3 {
  const pragmas = [
    `PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`,
    'PRAGMA journal_mode = WAL',
    'PRAGMA synchronous = FULL',
    'PRAGMA foreign_keys = ON',
  ].join(';\n');

  class ConfiguredDatabase extends sqlite3.Database {
    constructor(filename: string, mode?: number, callback?: (err: Error | null) => void) {
      super(
        filename,
        mode ?? sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE,
        function (this: sqlite3.Database, err: Error | null) {
          if (err) {
            callback?.(err);
            return;
          }
          this.configure('busyTimeout', busyTimeoutMs);
          this.exec(pragmas, (pragmaError) => callback?.(pragmaError ?? null));
        },
      );
    }
  }

  return { ...sqlite3, Database: ConfiguredDatabase } as typeof sqlite3;
}
