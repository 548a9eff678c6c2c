import type { Sequelize } from 'sequelize';
import type { MailConfig } from '../config';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { MailSender } from './mail-sender';
import type { MailTransport } from './mail.types';
import { defineOutboxModel } from './outbox.model';
import { OutboxRepository } from './outbox.repository';
import { Outbox } from './outbox.service';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy';
import { createSmtpTransport } from './smtp-transport';

export { MailSender, type MailSenderStats } from './mail-sender';
export { Outbox } from './outbox.service';
export { createSmtpTransport } from './smtp-transport';
export type * from './mail.types';

export interface MailParts {
  readonly outbox: Outbox;
  /** Null when no SMTP server is configured: mail then waits in the outbox. */
  readonly sender: MailSender | null;
}

export interface CreateMailOptions {
  /** Overrides the SMTP transport (tests). */
  readonly transport?: MailTransport;
  readonly retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  readonly messageIdDomain?: string;
}

export function createMail(
  sequelize: Sequelize,
  config: MailConfig,
  clock: Clock,
  logger: Logger,
  options: CreateMailOptions = {},
): MailParts {
  const domain = options.messageIdDomain ?? /@([^>\s]+)/.exec(config.from)?.[1] ?? 'haven.local';
  const repo = new OutboxRepository(defineOutboxModel(sequelize), domain);
  const outbox = new Outbox(repo, clock);
  const transport = options.transport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : null);
  const sender = transport
    ? new MailSender(repo, transport, clock, logger.child({ component: 'mail' }), {
        from: config.from,
        pollIntervalMs: config.pollIntervalMs,
        retry: { ...DEFAULT_RETRY, ...options.retry, maxAttempts: config.maxAttempts },
      })
    : null;
  return { outbox, sender };
}
