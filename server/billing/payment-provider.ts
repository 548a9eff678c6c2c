import type { Minor } from './money';

/**
 * The port for online card payments, a later step: Haven calls no payment service today. A clinic
 * that adds one (a card processor's hosted checkout) implements this interface in an adapter; the
 * rest of billing already records what it reports, through `PaymentsService.recordFromProvider`,
 * once per provider reference.
 */
export interface PaymentProvider {
  /** Shown on receipts and in the audit trail, e.g. "Example Pay". */
  readonly name: string;
  /**
   * Starts a hosted checkout for what an invoice asks now. Haven never sees card numbers: the
   * client is sent to `redirectUrl` and comes back to `returnUrl`.
   */
  startCheckout(request: CheckoutRequest): Promise<{ redirectUrl: string; providerRef: string }>;
  /**
   * Checks a notification the provider sent (its signature, its amount) and says what happened,
   * or null when it is not genuine or not about a payment.
   */
  verifyNotification(
    headers: Readonly<Record<string, string>>,
    rawBody: Buffer,
  ): Promise<ProviderEvent | null>;
  /** Gives money back on an earlier online payment. */
  refund(providerRef: string, amountMinor: Minor): Promise<{ providerRef: string }>;
}

export interface CheckoutRequest {
  readonly invoiceId: string;
  readonly amountMinor: Minor;
  /** ISO 4217. */
  readonly currency: string;
  /** What the card statement says: the clinic's name and the invoice label, never a service. */
  readonly description: string;
  readonly returnUrl: string;
}

export interface ProviderEvent {
  readonly kind: 'payment' | 'refund';
  /** The provider's own id for this money movement; a second notification with it changes nothing. */
  readonly providerRef: string;
  readonly invoiceId: string;
  readonly amountMinor: Minor;
  readonly currency: string;
  /** YYYY-MM-DD. */
  readonly on: string;
}
