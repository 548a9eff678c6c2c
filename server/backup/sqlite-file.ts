import { open as openFile } from 'node:fs/promises';
import sqlite3 from 'sqlite3';
import { BackupRefusedError } from './backup.types';

/**
 * Small promise wrappers over one raw sqlite3 connection. Backups use their own connection, not
 * Sequelize's, so the same code serves the running server and the command line.
 */
export class SqliteFile {
  readonly #db: sqlite3.Database;

  private constructor(db: sqlite3.Database) {
    this.#db = db;
  }

  static open(path: string, mode: 'readonly' | 'readwrite', busyTimeoutMs = 5000): Promise<SqliteFile> {
    const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE;
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path, flags, (err) => {
        if (err) return reject(err);
        db.configure('busyTimeout', busyTimeoutMs);
        resolve(new SqliteFile(db));
      });
    });
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.#db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    );
  }

  run(sql: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#db.run(sql, params, (err) => (err ? reject(err) : resolve())),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve())));
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses anything that is not a healthy Haven database: wrong file type, failed
 * `PRAGMA integrity_check`, or no migrations table. Returns the number of applied migrations.
 */
export async function assertRestorableSqlite(path: string): Promise<number> {
  const handle = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.equals(SQLITE_MAGIC)) {
      throw new BackupRefusedError('the file is not a SQLite database (wrong passphrase or wrong file?)');
    }
  } finally {
    await handle.close();
  }
  let db: SqliteFile;
  try {
    db = await SqliteFile.open(path, 'readonly');
  } catch (error) {
    throw new BackupRefusedError(`SQLite cannot open the file: ${(error as Error).message}`);
  }
  try {
    let problems: string[];
    try {
      const rows = await db.all<{ integrity_check: string }>('PRAGMA integrity_check(20)');
      problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    } catch (error) {
      problems = [(error as Error).message];
    }
    if (problems.length > 0) {
      throw new BackupRefusedError(`PRAGMA integrity_check failed: ${problems.slice(0, 3).join('; ')}`);
    }
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    );
    if (tables.length === 0)
      throw new BackupRefusedError('the database has no Haven schema (schema_migrations)');
    const [count] = await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations');
    return count?.n ?? 0;
  } finally {
    await db.close();
  }
}

/**
 * A consistent copy of a live database with `VACUUM INTO`: it reads inside one transaction, so
 * the copy holds every write committed before it began and none half-done, while the server
 * keeps reading and writing (WAL). Never a file copy, which could catch a page mid-write.
 */
export async function vacuumInto(source: string, target: string, busyTimeoutMs: number): Promise<void> {
  const db = await SqliteFile.open(source, 'readwrite', busyTimeoutMs);
  try {
    await db.run('VACUUM INTO ?', [target]);
  } finally {
    await db.close();
  }
}
