import { BackupService } from '../backup';
import { ConfigError, loadConfig } from '../config';

/**
 * `npm run backup` takes an online backup now (safe while Haven runs); `npm run backup -- list`
 * shows the backups on disk, newest first. Retention and encryption follow the BACKUP_* settings.
 * It opens only its own read connection: no migrations, no server.
 */
function say(line = ''): void {
  process.stdout.write(line + '\n');
}

async function main(): Promise<number> {
  const config = loadConfig();
  const service = new BackupService({
    database: config.database,
    backup: config.backup,
    dataDir: config.dataDir,
  });
  const command = process.argv[2] ?? 'now';
  if (command === 'list') {
    const entries = await service.list();
    if (entries.length === 0) say(`no backups in ${config.backup.dir}`);
    for (const e of entries) {
      say(
        `${e.takenAt.toISOString()}  ${e.reason.padEnd(13)}  ${String(e.bytes).padStart(12)} bytes  ${e.file}`,
      );
    }
    return 0;
  }
  if (command !== 'now') {
    say('usage: npm run backup [-- now|list]');
    return 64; // EX_USAGE
  }
  const result = await service.backup('manual');
  say(`backup written: ${result.file}`);
  say(
    `${result.bytes} bytes, ${result.encrypted ? 'encrypted' : 'NOT encrypted (set BACKUP_PASSPHRASE)'}, ${result.durationMs} ms`,
  );
  say(`keeping the newest ${config.backup.retention} backups in ${config.backup.dir}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigError ? `configuration error: ${error.message}` : (error as Error).message;
    process.stderr.write(`haven: backup failed: ${message}\n`);
    process.exitCode = 1;
  },
);
