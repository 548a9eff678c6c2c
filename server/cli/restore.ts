import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BackupRefusedError, BackupService } from '../backup';
import { ConfigError, loadConfig } from '../config';

const USAGE = `usage: scripts/restore <backup-file> [--passphrase-file <file>]

Stop Haven first. The backup is decrypted (if encrypted) and checked with PRAGMA integrity_check
before anything is touched; the database it replaces is moved aside, never deleted.
The passphrase comes from --passphrase-file or BACKUP_PASSPHRASE.`;

function say(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Is something answering as Haven on the configured port? Then it is running: refuse. */
async function havenAnswers(host: string, port: number): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  try {
    const res = await fetch(`http://${target.includes(':') ? `[${target}]` : target}:${port}/healthz`, {
      signal: AbortSignal.timeout(1500),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--passphrase-file');
  const passIndex = args.indexOf('--passphrase-file');
  if (!file || args.includes('--help') || (passIndex >= 0 && !args[passIndex + 1])) {
    say(USAGE);
    return 64; // EX_USAGE
  }
  const config = loadConfig();
  if (await havenAnswers(config.http.host, config.http.port)) {
    say(`Haven is answering on port ${config.http.port}: stop it before restoring.`);
    return 2;
  }
  const passphrase =
    passIndex >= 0
      ? readFileSync(args[passIndex + 1] as string, 'utf8').replace(/\r?\n$/, '')
      : config.backup.passphrase;
  const service = new BackupService({
    database: config.database,
    backup: config.backup,
    dataDir: config.dataDir,
  });
  const result = await service.restore(resolve(file), passphrase);
  say(`restored from ${result.restoredFrom}`);
  if (result.previousMovedTo) say(`the database it replaced is kept at ${result.previousMovedTo}`);
  say('start Haven again; pending migrations (if the backup is older) run at start.');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof BackupRefusedError) {
      process.stderr.write(`haven: restore refused, nothing was changed: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message =
      error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message;
    process.stderr.write(`haven: restore failed: ${message}\n`);
    process.exitCode = 1;
  },
);
