import type { Transaction } from 'sequelize';
import type { OutgoingEmail } from '../mail';

/** The outbox as billing uses it (enqueued in the transaction that made the document). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

/**
 * "A document is ready" emails. They say only that, with a link to sign in: no amount, no
 * service, no diagnosis, no invoice number, not even which therapist — email is not private.
 */
export class BillingMailer {
  readonly #outbox: OutboxPort;
  readonly #publicUrl: string;

  constructor(outbox: OutboxPort, publicUrl: string) {
    this.#outbox = outbox;
    this.#publicUrl = publicUrl;
  }

  invoiceReady(to: string, invoiceId: string, clinicName: string, tx: Transaction): Promise<boolean> {
    const link = `${this.#publicUrl}/billing/invoices/${invoiceId}`;
    return this.#outbox.enqueue(
      {
        to,
        subject: `A new document is ready from ${clinicName}`,
        text: `A new billing document is ready for you.\n\nSign in to see it: ${link}\n`,
        idempotencyKey: `billing:invoice:${invoiceId}`,
      },
      tx,
    );
  }
}
