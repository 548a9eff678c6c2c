/** Interpolation values for one message (`{{when}}`, and `count` for plurals). */
export type WordValues = Readonly<Record<string, string | number>>;
/** One language's words: `t('email:reminder.subject', { when })`. */
export type Translate = (key: string, values?: WordValues) => string;
/**
 * How mail finds its words: the translator for a recipient's language (their profile's, else the
 * clinic default), with the clinic's string overrides applied. Emails are composed when they are
 * queued, so an email reads in the language its recipient had then.
 */
export type MailWords = (language: string) => Translate;

/** An email to queue. Bodies must never contain health information: say "you have a new message", not the message. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** The recipient's language, which the email is written in (BCP 47; English when absent). */
  readonly language?: string;
  /**
   * Stable for "this email about this event" (e.g. `reminder:<appointmentId>:24h`). Queuing the same
   * key twice keeps one email; it also seeds the Message-ID, so a resend after a crash is recognisable.
   */
  readonly idempotencyKey: string;
  readonly attachments?: readonly EmailAttachment[];
}

export interface EmailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** An outbox row as the rest of the app sees it. */
export interface OutboxMessage {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  /** The language the email is written in ('en' for rows from before languages). */
  readonly language: string;
  readonly attachments: readonly EmailAttachment[];
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly messageId: string;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

/** What the sender hands to a transport. */
export interface TransportMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly messageId: string;
  readonly attachments: readonly EmailAttachment[];
}

/** The port through which mail leaves the building (nodemailer in production, anything in tests). */
export interface MailTransport {
  send(message: TransportMessage): Promise<void>;
  close(): void;
  /** False while there is nowhere to send (no SMTP server yet): the sender then leaves mail queued. */
  ready?(): boolean;
}
