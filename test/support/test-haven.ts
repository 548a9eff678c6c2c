import { createApp, type Haven } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import type { MailTransport } from '../../server/mail';
import type { Clock } from '../../server/shared/clock';
import { createLogger } from '../../server/shared/logger';
import { makeTempDir } from './temp-dir';

export interface TestHaven {
  readonly haven: Haven;
  readonly config: Config;
  readonly dataDir: string;
  /** Closes Haven and removes its temp directory. */
  stop(): Promise<void>;
}

export interface TestHavenOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly mailTransport?: MailTransport;
  /** Start mediasoup workers (default false: only live-session tests need them). */
  readonly startMedia?: boolean;
}

/**
 * A complete Haven on a throw-away SQLite file (or the PostgreSQL in DATABASE_URL of `env`), built
 * through the same composition root as production. Nothing listens unless the test listens.
 */
export async function startTestHaven(options: TestHavenOptions = {}): Promise<TestHaven> {
  const temp = makeTempDir();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: temp.dir, LOG_LEVEL: 'silent', ...options.env },
    { readDotenv: false, cwd: temp.dir },
  );
  const haven = await createApp({
    config,
    logger: createLogger(config.log.level),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
    startMedia: options.startMedia ?? false,
  });
  return {
    haven,
    config,
    dataDir: temp.dir,
    async stop() {
      try {
        await haven.close();
      } finally {
        temp.remove();
      }
    },
  };
}
