/**
 * Phase 4 of the composition root: the work that runs on its own clock — the mail sender, backups,
 * the daily licence check, appointment reminders, the retention purge and billing's sweep and monthly
 * invoices. Built last, started only by `startBackground()` (main.ts; tests start what they need),
 * stopped before the database closes.
 *
 * With several nodes on one PostgreSQL database the jobs run on one node at a time: the node holding
 * the job-leadership lock (issue 22). On SQLite the one node always leads.
 */
import { BackupScheduler } from '../backup';
import { AdvisoryLockLeadership, SoleNodeLeadership, type JobLeadership } from '../cluster';
import { LicenceWatch } from '../directory';
import type { Features } from './features';
import type { Infrastructure } from './infrastructure';

export interface BackgroundJobs {
  /** Whether this node runs the jobs now (always, once started, on SQLite). */
  readonly leading: boolean;
  /** Starts the jobs here, or on PostgreSQL as soon as this node holds the leadership. */
  start(): void;
  /** Stops every job and waits for the one in progress; idempotent. */
  stop(): Promise<void>;
}

export function createBackgroundJobs(infra: Infrastructure, f: Features): BackgroundJobs {
  const { logger, config } = infra;
  const backupScheduler = new BackupScheduler(infra.backups, logger.child({ component: 'backup' }));
  const licenceWatch = new LicenceWatch(f.directory, logger.child({ component: 'directory' }));
  const leadership: JobLeadership =
    config.database.dialect === 'postgres'
      ? new AdvisoryLockLeadership({
          url: config.database.url,
          intervalMs: config.cluster.heartbeatMs,
          logger: logger.child({ component: 'cluster' }),
        })
      : new SoleNodeLeadership();
  const startAll = (): void => {
    f.mail.sender?.start();
    backupScheduler.start();
    licenceWatch.start();
    f.scheduling.reminders.start();
    f.dataRights.retention.start();
    f.billing.start();
  };
  const stopAll = async (): Promise<void> => {
    await f.scheduling.reminders.stop();
    await f.dataRights.retention.stop();
    await f.billing.stop();
    await f.mail.sender?.stop();
    await backupScheduler.stop();
    await licenceWatch.stop();
  };
  return {
    get leading() {
      return leadership.leading;
    },
    start() {
      leadership.start({ elected: startAll, deposed: stopAll });
    },
    async stop() {
      await leadership.stop();
      // Jobs a test started by hand (reminders.start()) stop too, leader or not.
      await stopAll();
    },
  };
}
