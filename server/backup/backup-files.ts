import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupReason } from './backup.types';

/**
 * Backup file names sort by time: haven-20261126T201500123Z-scheduled.sqlite[.enc] (SQLite) or
 * .pgdump[.enc] (PostgreSQL custom-format archive).
 */
const NAME = /^haven-(\d{8}T\d{9}Z)-(scheduled|manual|pre-migration)\.(sqlite|pgdump)(\.enc)?$/;

export function backupFileName(
  at: Date,
  reason: BackupReason,
  kind: 'sqlite' | 'pgdump',
  encrypted: boolean,
): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `haven-${stamp}-${reason}.${kind}${encrypted ? '.enc' : ''}`;
}

export interface BackupEntry {
  readonly file: string;
  readonly name: string;
  readonly takenAt: Date;
  readonly reason: BackupReason;
  readonly bytes: number;
}

function parseStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  if (!m) return new Date(0);
  const [, y, mo, d, h, mi, s, ms] = m.map(Number);
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!));
}

/** Our backups in `dir`, newest first (other files are ignored, never deleted). */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m?.[1] || !m[2]) continue;
    const file = join(dir, name);
    entries.push({
      file,
      name,
      takenAt: parseStamp(m[1]),
      reason: m[2] as BackupReason,
      bytes: (await stat(file)).size,
    });
  }
  return entries.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/**
 * Pre-upgrade backups are kept apart from the rest (the newest few), so that a server stuck
 * restarting on a failing migration cannot push the scheduled backups out of the retention window.
 */
export const PRE_MIGRATION_KEEP = 3;

/**
 * Deletes all but the newest `keep` scheduled/manual backups and all but the newest
 * PRE_MIGRATION_KEEP pre-migration ones; returns the deleted paths.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const all = await listBackups(dir);
  const doomed = [
    ...all.filter((e) => e.reason !== 'pre-migration').slice(keep),
    ...all.filter((e) => e.reason === 'pre-migration').slice(Math.min(keep, PRE_MIGRATION_KEEP)),
  ];
  for (const entry of doomed) await unlink(entry.file);
  return doomed.map((e) => e.file);
}
