import { spawn } from 'node:child_process';
import { childProcessEnv } from '../config/child-env';
import { BackupRefusedError } from './backup.types';

/**
 * PostgreSQL installs back up with pg_dump (custom format: compressed, restorable table by table)
 * and restore with pg_restore. The password travels in PGPASSWORD, never on the command line,
 * where any local user could read it.
 */
function connectionArgs(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const args = ['--host', u.hostname || 'localhost', '--port', u.port || '5432'];
  if (u.username) args.push('--username', decodeURIComponent(u.username));
  args.push('--dbname', decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres');
  const extra: Record<string, string> = {};
  if (u.password) extra['PGPASSWORD'] = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) extra['PGSSLMODE'] = sslmode;
  return { args, env: childProcessEnv(extra) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`${command} could not start: ${e.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${command} exited with ${code}: ${err.trim().slice(0, 500)}`)),
    );
  });
}

export async function pgDump(url: string, target: string): Promise<void> {
  const { args, env } = connectionArgs(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', target, ...args], env);
}

/** The archive must be readable by pg_restore and hold Haven's schema before anything is dropped. */
export async function assertRestorablePgDump(file: string): Promise<void> {
  let listing: string;
  try {
    listing = await run('pg_restore', ['--list', file], childProcessEnv());
  } catch (error) {
    throw new BackupRefusedError(`pg_restore cannot read the archive: ${(error as Error).message}`);
  }
  if (!/TABLE public schema_migrations/.test(listing)) {
    throw new BackupRefusedError('the archive has no Haven schema (schema_migrations)');
  }
}

/** Replaces the database's contents in one transaction: on any error nothing changes. */
export async function pgRestore(url: string, file: string): Promise<void> {
  const { args, env } = connectionArgs(url);
  await run(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', ...args, file],
    env,
  );
}
