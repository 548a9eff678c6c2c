import { createApp, type Haven } from '../app';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../shared/logger';

/** Prints to standard output (CLIs talk to a person; the server logs through pino). */
export function say(line = ''): void {
  process.stdout.write(line + '\n');
}

/**
 * Runs an operator command against the configured database: loads config the same way the server
 * does, applies pending migrations, runs `work`, closes, and sets the exit code. Media stays off:
 * no command needs it, and a running server already holds the media ports (starting workers here
 * only logged "address already in use" and cost seconds).
 */
export async function runCli(
  work: (haven: Haven, args: readonly string[]) => Promise<number | void>,
): Promise<void> {
  let haven: Haven | undefined;
  try {
    const config = loadConfig();
    // Warnings only: the command's own output is what the operator wants to read.
    const logger = createLogger(config.log.level === 'silent' ? 'silent' : 'warn', undefined);
    haven = await createApp({ config, logger, startMedia: false });
    const code = await work(haven, process.argv.slice(2));
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? `configuration error: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`haven: ${message}\n`);
    process.exitCode = 1;
  } finally {
    await haven?.close();
  }
}
