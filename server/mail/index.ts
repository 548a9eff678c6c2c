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
import { SwitchableTransport } from './switchable-transport';
import { brandedHtml, type EmailBrand } from './branded-html';

export { MailSender, type MailSenderStats } from './mail-sender';
export { Outbox } from './outbox.service';
export { createSmtpTransport } from './smtp-transport';
export { SwitchableTransport } from './switchable-transport';
export { brandedHtml, type EmailBrand } from './branded-html';
export type * from './mail.types';

export interface MailParts {
  readonly outbox: Outbox;
  /** Null only when mail is switched off entirely; with no SMTP server it waits (see `configured`). */
  readonly sender: MailSender | null;
  /** Points the sender at another SMTP server (the admin console's), or none (undefined). */
  useSmtp(url: string | undefined): void;
  /** True when there is somewhere to send mail; false: it waits in the outbox. */
  configured(): boolean;
  /** Sends one email now, bypassing the outbox (the console's "send test email"); throws on failure. */
  sendNow(message: TestMessage): Promise<void>;
}

/** An email sent at once; `language` is the recipient's (the branded HTML part's lang and dir). */
export interface TestMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly language?: string;
}

/**
 * The outbox on its own: what every feature writes to, in its own transaction. Built in the
 * infrastructure phase; the sending side (createMail) comes once the admin console's branding
 * exists, so nothing in mail reads a feature that is not built yet.
 */
export interface OutboxStore {
  readonly outbox: Outbox;
  /** The sender's side of the same table (opaque outside mail). */
  readonly repo: OutboxRepository;
  /** The domain of Message-IDs (from the From address unless given). */
  readonly domain: string;
}

export function createOutbox(
  sequelize: Sequelize,
  config: MailConfig,
  clock: Clock,
  messageIdDomain?: string,
): OutboxStore {
  const domain = messageIdDomain ?? /@([^>\s]+)/.exec(config.from)?.[1] ?? 'haven.local';
  const repo = new OutboxRepository(defineOutboxModel(sequelize), domain);
  return { outbox: new Outbox(repo, clock), repo, domain };
}

export interface CreateMailOptions {
  /** Overrides the SMTP transport (tests). */
  readonly transport?: MailTransport;
  readonly retry?: Partial<Omit<RetryPolicy, 'maxAttempts'>>;
  /** The clinic's branding for HTML emails, read at send time. */
  readonly brand?: () => Promise<EmailBrand | null>;
}

/** The sending side of mail over an outbox (see createOutbox). */
export function createMail(
  store: OutboxStore,
  config: MailConfig,
  clock: Clock,
  logger: Logger,
  options: CreateMailOptions = {},
): MailParts {
  const { outbox, repo, domain } = store;
  // A transport given by a test is fixed; otherwise the SMTP server may change while Haven runs.
  const switchable = options.transport
    ? null
    : new SwitchableTransport((url) => createSmtpTransport(url), config.smtpUrl);
  const transport: MailTransport = options.transport ?? switchable!;
  const sender = new MailSender(repo, transport, clock, logger.child({ component: 'mail' }), {
    from: config.from,
    pollIntervalMs: config.pollIntervalMs,
    retry: { ...DEFAULT_RETRY, ...options.retry, maxAttempts: config.maxAttempts },
    brand: options.brand ?? null,
  });
  return {
    outbox,
    sender,
    useSmtp: (url) => switchable?.use(url),
    configured: () => (transport.ready ? transport.ready() : true),
    async sendNow(message) {
      if (transport.ready && !transport.ready()) throw new Error('no SMTP server is configured');
      const brand = (await options.brand?.()) ?? null;
      await transport.send({
        from: config.from,
        ...message,
        ...(brand ? { html: brandedHtml(message.text, message.subject, brand, message.language) } : {}),
        messageId: `<test-${Date.now()}-${Math.random().toString(36).slice(2)}@${domain}>`,
        attachments: [],
      });
    },
  };
}
