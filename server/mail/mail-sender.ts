import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { PollingLoop } from '../shared/polling-loop';
import { brandedHtml, type EmailBrand } from './branded-html';
import type { MailTransport } from './mail.types';
import type { OutboxRepository } from './outbox.repository';
import { decideAfterFailure, describeMailError, type RetryPolicy } from './retry-policy';

export interface MailSenderOptions {
  readonly from: string;
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
  /** How long one attempt may hold a row before another sender may take it over. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** The clinic's branding, read at send time; plain-text emails get a branded HTML part from it. */
  readonly brand?: (() => Promise<EmailBrand | null>) | null;
}

/** Counters an operator (and the fault tests) can read. */
export interface MailSenderStats {
  attempts: number;
  delivered: number;
  transientFailures: number;
  permanentFailures: number;
}

/**
 * Delivers the outbox. Each due row is claimed, sent, and marked sent only after the server accepted
 * it: a crash in between means the row is sent again later (at-least-once), never lost. Because every
 * attempt carries the same Message-ID, such a duplicate is recognisable and the count is bounded by
 * the number of crashes/dropped connections during DATA.
 */
export class MailSender {
  readonly #repo: OutboxRepository;
  readonly #transport: MailTransport;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: Required<MailSenderOptions>;
  readonly stats: MailSenderStats = {
    attempts: 0,
    delivered: 0,
    transientFailures: 0,
    permanentFailures: 0,
  };
  readonly #loop: PollingLoop<number>;

  constructor(
    repo: OutboxRepository,
    transport: MailTransport,
    clock: Clock,
    logger: Logger,
    options: MailSenderOptions,
  ) {
    this.#repo = repo;
    this.#transport = transport;
    this.#clock = clock;
    this.#logger = logger;
    this.#options = { leaseMs: 120_000, batchSize: 20, brand: null, ...options };
    this.#loop = new PollingLoop({
      pass: () => this.#drain(),
      intervalMs: this.#options.pollIntervalMs,
      onError: (error) => this.#logger.error({ err: error }, 'outbox pass failed'),
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops polling and waits for an attempt in progress; idempotent. */
  async stop(): Promise<void> {
    await this.#loop.stop();
    this.#transport.close();
  }

  /** One pass over what is due now; returns how many emails were delivered. Safe to call directly. */
  drainOnce(): Promise<number> {
    return this.#loop.runOnce();
  }

  async #drain(): Promise<number> {
    let delivered = 0;
    if (this.#transport.ready && !this.#transport.ready()) return 0;
    try {
      const due = await this.#repo.due(this.#clock.now(), this.#options.batchSize);
      for (const message of due) {
        if (!(await this.#repo.claim(message, this.#clock.now(), this.#options.leaseMs))) continue;
        const attempts = message.attempts + 1;
        this.stats.attempts += 1;
        try {
          const brand = message.html ? null : ((await this.#options.brand?.()) ?? null);
          const html =
            message.html ??
            (brand ? brandedHtml(message.text, message.subject, brand, message.language) : null);
          await this.#transport.send({
            from: this.#options.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            ...(html ? { html } : {}),
            messageId: message.messageId,
            attachments: message.attachments,
          });
          await this.#repo.markSent(message.id, this.#clock.now());
          this.stats.delivered += 1;
          delivered += 1;
        } catch (error) {
          await this.#handleFailure(message.id, attempts, error);
        }
      }
    } catch (error) {
      // The database was unreachable; the next poll tries again.
      this.#logger.error({ err: error }, 'mail sender could not read the outbox');
    }
    return delivered;
  }

  async #handleFailure(id: string, attempts: number, error: unknown): Promise<void> {
    const reason = describeMailError(error);
    const outcome = decideAfterFailure(error, attempts, this.#options.retry);
    if (outcome.kind === 'fail') {
      this.stats.permanentFailures += 1;
      await this.#repo.markFailed(id, reason);
      // The address is personal data; the outbox id is enough for an operator to find the row.
      this.#logger.warn({ outboxId: id, attempts, reason }, 'email failed permanently');
      return;
    }
    this.stats.transientFailures += 1;
    await this.#repo.markRetry(id, new Date(this.#clock.now().getTime() + outcome.delayMs), reason);
    this.#logger.info(
      { outboxId: id, attempts, reason, retryInMs: outcome.delayMs },
      'email will be retried',
    );
  }
}
