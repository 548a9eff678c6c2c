import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { PollingLoop } from '../shared/polling-loop';
import type { SchedulingMailer } from './scheduling-mail';
import type { SchedulingRepository } from './scheduling.repository';
import type { Appointment } from './scheduling.types';

export interface ReminderJobOptions {
  /** Minutes before the start, e.g. [1440, 60]. */
  readonly offsetsMinutes: readonly number[];
  readonly pollIntervalMs: number;
  readonly batchSize?: number;
}

/**
 * The one reminder that is due now for an appointment: the smallest offset whose moment has passed.
 * After downtime only the most relevant reminder goes out (not "24 h" and "1 h" together), and none
 * for a reminder moment that was already past when the appointment was booked (the confirmation
 * covers it).
 */
export function dueOffset(a: Appointment, offsetsMinutes: readonly number[], now: Date): number | null {
  const due = [...offsetsMinutes]
    .sort((x, y) => x - y)
    .find((o) => a.start.getTime() - o * 60_000 <= now.getTime());
  if (due === undefined) return null;
  return a.createdAt.getTime() <= a.start.getTime() - due * 60_000 ? due : null;
}

/**
 * Queues appointment reminders into the outbox. Exactly-once is the outbox's idempotency key
 * (`appointment:<id>:reminder:<offset>:<start>:<person>`): a restart, a second Haven process or a
 * crash between queuing and sending cannot produce a second row. The status is re-read inside the
 * queuing transaction, so a cancellation that committed first means no reminder.
 */
export class ReminderJob {
  readonly #sequelize: Sequelize;
  readonly #repo: SchedulingRepository;
  readonly #mailer: SchedulingMailer;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: Required<ReminderJobOptions>;
  readonly #loop: PollingLoop<number>;

  constructor(
    sequelize: Sequelize,
    repo: SchedulingRepository,
    mailer: SchedulingMailer,
    clock: Clock,
    logger: Logger,
    options: ReminderJobOptions,
  ) {
    this.#sequelize = sequelize;
    this.#repo = repo;
    this.#mailer = mailer;
    this.#clock = clock;
    this.#logger = logger;
    this.#options = { batchSize: 500, ...options };
    this.#loop = new PollingLoop({
      pass: () => this.#pass(),
      intervalMs: this.#options.pollIntervalMs,
      onError: (error) => this.#logger.error({ err: error }, 'reminder pass failed'),
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops polling and waits for a pass in progress; idempotent. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One pass; returns how many reminder emails were newly queued. */
  runOnce(): Promise<number> {
    return this.#loop.runOnce();
  }

  async #pass(): Promise<number> {
    const now = this.#clock.now();
    const horizon = Math.max(0, ...this.#options.offsetsMinutes);
    const candidates = await this.#repo.confirmedStartingBetween(
      now,
      new Date(now.getTime() + horizon * 60_000),
      this.#options.batchSize,
    );
    let queued = 0;
    for (const candidate of candidates) {
      const offset = dueOffset(candidate, this.#options.offsetsMinutes, now);
      if (offset === null) continue;
      // People first, outside the transaction (one pool connection at a time; see SchedulingMailer).
      const recipients = await this.#mailer.recipients([candidate.therapistId, ...candidate.clientIds]);
      queued += await this.#sequelize.transaction(async (transaction) => {
        const current = await this.#repo.byId(candidate.id, transaction);
        if (
          !current ||
          current.status !== 'confirmed' ||
          current.start.getTime() !== candidate.start.getTime()
        ) {
          return 0;
        }
        return this.#mailer.remind(current, offset, now, transaction, recipients);
      });
    }
    if (queued > 0) this.#logger.info({ queued }, 'appointment reminders queued');
    return queued;
  }
}
