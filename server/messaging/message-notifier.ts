import type { Transaction } from 'sequelize';
import type { MailWords } from '../mail';
import type { OutboxPort } from './messaging.types';

/** At most one "new message" email per thread and recipient in each window of this length. */
export const NOTICE_WINDOW_MS = 15 * 60_000;

/**
 * The email someone gets when a message arrives while they are not online. It says only that there
 * is a message and where to sign in: no content, no sender, no therapist specialty, no condition,
 * not even the clinic's internal thread id. It is written in the recipient's language (their profile's). A burst of messages is one email: the idempotency key
 * names the thread, the recipient and the 15-minute window, and the outbox keeps one email per key.
 */
export class MessageNotifier {
  readonly #outbox: OutboxPort;
  readonly #publicUrl: string;
  readonly #words: MailWords;

  constructor(outbox: OutboxPort, publicUrl: string, words: MailWords) {
    this.#outbox = outbox;
    this.#publicUrl = publicUrl;
    this.#words = words;
  }

  static idempotencyKey(threadId: string, recipientId: string, now: Date): string {
    return `messaging:new:${threadId}:${recipientId}:${Math.floor(now.getTime() / NOTICE_WINDOW_MS)}`;
  }

  /** Queues the notice in the sender's transaction; false if this window already has one. */
  notify(
    recipient: { id: string; email: string; language: string },
    threadId: string,
    now: Date,
    tx: Transaction,
  ): Promise<boolean> {
    const t = this.#words(recipient.language);
    const url = `${this.#publicUrl}/messages`;
    return this.#outbox.enqueue(
      {
        to: recipient.email,
        subject: t('email:message.subject'),
        text: `${t('email:message.body')}\n\n${t('email:message.signIn', { url })}\n`,
        language: recipient.language,
        idempotencyKey: MessageNotifier.idempotencyKey(threadId, recipient.id, now),
      },
      tx,
    );
  }
}
