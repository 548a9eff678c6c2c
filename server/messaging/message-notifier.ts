import type { Transaction } from 'sequelize';
import type { OutboxPort } from './messaging.types';

/** At most one "new message" email per thread and recipient in each window of this length. */
export const NOTICE_WINDOW_MS = 15 * 60_000;

/**
 * The email someone gets when a message arrives while they are not online. It says only that there
 * is a message and where to sign in: no content, no sender, no therapist specialty, no condition,
 * not even the clinic's internal thread id. A burst of messages is one email: the idempotency key
 * names the thread, the recipient and the 15-minute window, and the outbox keeps one email per key.
 */
export class MessageNotifier {
  readonly #outbox: OutboxPort;
  readonly #publicUrl: string;

  constructor(outbox: OutboxPort, publicUrl: string) {
    this.#outbox = outbox;
    this.#publicUrl = publicUrl;
  }

  static idempotencyKey(threadId: string, recipientId: string, now: Date): string {
    return `messaging:new:${threadId}:${recipientId}:${Math.floor(now.getTime() / NOTICE_WINDOW_MS)}`;
  }

  /** Queues the notice in the sender's transaction; false if this window already has one. */
  notify(
    recipient: { id: string; email: string },
    threadId: string,
    now: Date,
    tx: Transaction,
  ): Promise<boolean> {
    const link = `${this.#publicUrl}/messages`;
    return this.#outbox.enqueue(
      {
        to: recipient.email,
        subject: 'You have a new message',
        text: `You have a new message.\n\nSign in to read it: ${link}\n`,
        idempotencyKey: MessageNotifier.idempotencyKey(threadId, recipient.id, now),
      },
      tx,
    );
  }
}
