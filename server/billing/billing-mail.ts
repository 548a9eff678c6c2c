import type { Transaction } from 'sequelize';
import type { OutgoingEmail } from '../mail';
import type { BillingPerson, BillingWords } from './billing.types';

/** The outbox as billing uses it (enqueued in the transaction that made the document). */
export interface OutboxPort {
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean>;
}

/**
 * "A document is ready" emails, in the recipient's language. They say only that, with a link to
 * sign in: no amount, no service, no diagnosis, no invoice number, not even which therapist —
 * email is not private.
 */
export class BillingMailer {
  readonly #outbox: OutboxPort;
  readonly #publicUrl: string;
  readonly #words: BillingWords;

  constructor(outbox: OutboxPort, publicUrl: string, words: BillingWords) {
    this.#outbox = outbox;
    this.#publicUrl = publicUrl;
    this.#words = words;
  }

  invoiceReady(
    to: Pick<BillingPerson, 'email' | 'language'>,
    invoiceId: string,
    clinicName: string,
    tx: Transaction,
  ): Promise<boolean> {
    const t = this.#words(to.language);
    const url = `${this.#publicUrl}/billing/invoices/${invoiceId}`;
    return this.#outbox.enqueue(
      {
        to: to.email,
        subject: t('billing:email.invoiceReady.subject', { clinic: clinicName }),
        text: `${t('billing:email.invoiceReady.body')}\n\n${t('billing:email.invoiceReady.signIn', { url })}\n`,
        idempotencyKey: `billing:invoice:${invoiceId}`,
        // The branded HTML part is built at send time in this language (lang, dir).
        language: to.language,
      },
      tx,
    );
  }
}
