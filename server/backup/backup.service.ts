import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../shared/logger';
import { decryptFile, encryptFile, isEncryptedBackup } from './backup-crypto';
import { backupFileName, listBackups, pruneBackups, type BackupEntry } from './backup-files';
import type { BackupConfig } from '../config/config.types';
import { BackupRefusedError, type BackupReason, type BackupResult } from './backup.types';
import { assertRestorablePgDump, pgDump, pgRestore } from './postgres-dump';
import { assertRestorableSqlite, vacuumInto } from './sqlite-file';

export interface BackupServiceDeps {
  readonly database: DatabaseConfig;
  readonly backup: BackupConfig;
  /** Scratch space next to the live data, so unencrypted copies never land on the backup disk. */
  readonly dataDir: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface RestoreResult {
  readonly restoredFrom: string;
  /** Where the replaced SQLite database was moved (nothing is deleted); absent for PostgreSQL. */
  readonly previousMovedTo: string | undefined;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** Takes, lists, prunes and restores backups of Haven's database (SQLite or PostgreSQL). */
export class BackupService {
  readonly #deps: BackupServiceDeps;

  constructor(deps: BackupServiceDeps) {
    this.#deps = deps;
  }

  get config(): BackupConfig {
    return this.#deps.backup;
  }

  list(): Promise<BackupEntry[]> {
    return listBackups(this.#deps.backup.dir);
  }

  /**
   * An online backup: SQLite through `VACUUM INTO` (consistent while the server writes), checked
   * with `PRAGMA integrity_check` before it counts; PostgreSQL through pg_dump. Encrypted when a
   * passphrase is configured. The file appears under its final name only when complete, and older
   * backups beyond the retention count are deleted afterwards.
   */
  async backup(reason: BackupReason): Promise<BackupResult> {
    const { database, backup, dataDir } = this.#deps;
    const started = Date.now();
    await mkdir(backup.dir, { recursive: true, mode: 0o700 });
    const kind = database.dialect === 'sqlite' ? 'sqlite' : 'pgdump';
    const encrypted = backup.passphrase !== undefined;
    const name = backupFileName((this.#deps.now ?? (() => new Date()))(), reason, kind, encrypted);
    const final = join(backup.dir, name);
    const tag = randomBytes(6).toString('hex');
    const plain = join(encrypted ? dataDir : backup.dir, `.${name}.${tag}.partial`);
    const sealed = join(backup.dir, `.${name}.${tag}.partial.enc`);
    try {
      if (database.dialect === 'sqlite') {
        await vacuumInto(database.storage, plain, database.busyTimeoutMs);
        await assertRestorableSqlite(plain);
      } else {
        await pgDump(database.url, plain);
        await assertRestorablePgDump(plain);
      }
      let ready = plain;
      if (backup.passphrase !== undefined) {
        await encryptFile(plain, sealed, backup.passphrase);
        ready = sealed;
      }
      await fsyncPath(ready);
      await rename(ready, final);
      await fsyncPath(backup.dir);
    } finally {
      await removeQuietly(plain);
      await removeQuietly(sealed);
    }
    const pruned = await pruneBackups(backup.dir, backup.retention);
    const result = {
      file: final,
      bytes: (await stat(final)).size,
      encrypted,
      durationMs: Date.now() - started,
    };
    this.#deps.logger?.info({ ...result, reason, pruned: pruned.length }, 'backup written');
    return result;
  }

  /**
   * Restores `file` over the live database. Haven must be stopped. Nothing is swapped until the
   * candidate decrypts and passes its checks; the SQLite file it replaces is moved aside, not deleted.
   */
  async restore(file: string, passphrase = this.#deps.backup.passphrase): Promise<RestoreResult> {
    const { database, dataDir } = this.#deps;
    if (!existsSync(file)) throw new BackupRefusedError(`no such backup file: ${file}`);
    const workDir = database.dialect === 'sqlite' ? dirname(database.storage) : dataDir;
    await mkdir(workDir, { recursive: true });
    const work = join(workDir, `.restore-${randomBytes(6).toString('hex')}.partial`);
    try {
      if (await isEncryptedBackup(file)) {
        if (passphrase === undefined) {
          throw new BackupRefusedError(
            'the backup is encrypted: set BACKUP_PASSPHRASE or pass --passphrase-file',
          );
        }
        await decryptFile(file, work, passphrase);
      } else {
        await copyFile(file, work);
      }
      if (database.dialect === 'postgres') {
        await assertRestorablePgDump(work);
        await pgRestore(database.url, work);
        this.#deps.logger?.info({ file }, 'database restored from backup');
        return { restoredFrom: file, previousMovedTo: undefined };
      }
      await assertRestorableSqlite(work);
      await fsyncPath(work);
      const previousMovedTo = await this.#moveAside(database.storage);
      try {
        await rename(work, database.storage);
      } catch (error) {
        if (previousMovedTo) await this.#moveBack(previousMovedTo, database.storage);
        throw error;
      }
      await fsyncPath(dirname(database.storage));
      this.#deps.logger?.info({ file, previousMovedTo }, 'database restored from backup');
      return { restoredFrom: file, previousMovedTo };
    } finally {
      await removeQuietly(work);
    }
  }

  /** Moves the database and its -wal/-shm together, so the moved copy still opens consistently. */
  async #moveAside(storage: string): Promise<string | undefined> {
    if (!existsSync(storage)) return undefined;
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const aside = join(dirname(storage), `${basename(storage)}.before-restore-${stamp}`);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(storage + suffix)) await rename(storage + suffix, aside + suffix);
    }
    await rename(storage, aside);
    return aside;
  }

  async #moveBack(aside: string, storage: string): Promise<void> {
    await rename(aside, storage);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(aside + suffix)) await rename(aside + suffix, storage + suffix);
    }
  }
}
