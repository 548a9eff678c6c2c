/**
 * Phase 4 of the composition root: the work that runs on its own clock — the mail sender, backups,
 * the daily licence check, appointment reminders, the retention purge and billing's sweep and monthly
 * invoices. Built last, started only
 * by `startBackground()` (main.ts; tests start what they need), stopped before the database closes.
 */
import { BackupScheduler } from '../backup';
import { LicenceWatch } from '../directory';
import type { Features } from './features';
import type { Infrastructure } from './infrastructure';

export interface BackgroundJobs {
  start(): void;
  /** Stops every job and waits for the one in progress; idempotent. */
  stop(): Promise<void>;
}

export function createBackgroundJobs(infra: Infrastructure, f: Features): BackgroundJobs {
  const { logger } = infra;
  const backupScheduler = new BackupScheduler(infra.backups, logger.child({ component: 'backup' }));
  const licenceWatch = new LicenceWatch(f.directory, logger.child({ component: 'directory' }));
  return {
    start() {
      f.mail.sender?.start();
      backupScheduler.start();
      licenceWatch.start();
      f.scheduling.reminders.start();
      f.dataRights.retention.start();
      f.billing.start();
    },
    async stop() {
      await f.scheduling.reminders.stop();
      await f.dataRights.retention.stop();
      await f.billing.stop();
      await f.mail.sender?.stop();
      await backupScheduler.stop();
      await licenceWatch.stop();
    },
  };
}
