import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

/** The database holds health information: owner read/write only, like the secrets. */
export const SQLITE_FILE_MODE = 0o600;

/**
 * Makes sure the SQLite file, and the -wal and -shm files beside it, can be read by the owner only.
 * SQLite creates a new database with mode 0644 (less the umask) and gives its -wal and -shm files the
 * mode of the database file; so the file is created empty with 0600 before SQLite first opens it (an
 * empty file is a valid empty database), and an existing file that is more open is tightened. Runs
 * once at start-up, before any connection.
 */
export function restrictSqliteFiles(storage: string): void {
  if (storage === '' || storage === ':memory:' || storage.startsWith('file:')) return;
  if (!existsSync(storage)) closeSync(openSync(storage, 'a', SQLITE_FILE_MODE));
  for (const file of [storage, `${storage}-wal`, `${storage}-shm`]) {
    if (existsSync(file)) chmodSync(file, SQLITE_FILE_MODE);
  }
}
