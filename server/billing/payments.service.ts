import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase, type Phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import { newId } from '../shared/ids';
import { notFound, type BillingAccess } from './billing-access';
import { canRecordPayment, canViewReceivables } from './billing.policy';
import type { BillingRepository } from './billing.repository';
import { parseOrThrow, paymentSchema } from './billing.schemas';
import type { BillingActor, BillingPerson, Invoice, Payment, PeopleSource } from './billing.types';
import { fieldAmount } from './catalog.service';
import { dayIn } from './days';
import { agedReceivables, invoiceStanding, type AgedRow } from './ledger';
import { toDecimal, type Minor } from './money';
import type { ProviderEvent } from './payment-provider';

export interface ReceivablesRow extends AgedRow {
  readonly client: BillingPerson | null;
}

/**
 * Money in and out against invoices: payments (cash, cheque, a card taken elsewhere, a bank
 * transfer; later online through the PaymentProvider port), refunds and write-offs, each with the
 * rules that keep an invoice from going below zero or refunding more than was paid. Reasons for
 * refunds and write-offs are kept sealed; every entry is audited.
 */
export class PaymentsService {
  readonly #sequelize: Sequelize;
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #people: PeopleSource;
  readonly #timeZone: () => Promise<string>;

  constructor(deps: {
    sequelize: Sequelize;
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    people: PeopleSource;
    timeZone: () => Promise<string>;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#people = deps.people;
    this.#timeZone = deps.timeZone;
  }

  /** An admin records a payment, refund or write-off against an invoice. */
  async record(
    actor: BillingActor,
    invoiceId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<Payment> {
    const invoice = await this.#repo.invoiceById(invoiceId);
    if (!invoice) throw notFound();
    await this.#access.require(actor, invoice.clientId, () => canRecordPayment(actor));
    const form = parseOrThrow(paymentSchema, input, 'billing.payment_invalid');
    const amountMinor = fieldAmount(form.amount, invoice.currency, 'amount');
    if (amountMinor === 0)
      throw fieldRefusal('billing.payment_invalid', 'amount', phrase('billing:problem.amount.zero'));
    return this.#sequelize.transaction(async (tx) => {
      const payment: Payment = {
        id: newId(),
        clientId: invoice.clientId,
        invoiceId,
        kind: form.kind,
        method: form.kind === 'write_off' ? null : (form.method ?? null),
        amountMinor,
        receivedOn: form.receivedOn,
        reference: form.reference || null,
        reason: form.reason || null,
        recordedBy: actor.id,
        createdAt: this.#clock.now(),
      };
      await this.#assertFits(invoice, payment, tx);
      await this.#repo.insertPayment(payment, null, tx);
      await this.#access.record(
        actor,
        `billing.${payment.kind}.recorded`,
        { type: 'billing_payment', id: payment.id, clientId: invoice.clientId },
        tx,
        {
          invoiceId,
          method: payment.method,
        },
      );
      return payment;
    });
  }

  /**
   * What an online payment provider reported (after `verifyNotification`): recorded once per
   * provider reference, with the same limits as a payment typed in by the front desk.
   */
  async recordFromProvider(providerName: string, event: ProviderEvent): Promise<Payment | null> {
    const invoice = await this.#repo.invoiceById(event.invoiceId);
    if (!invoice) throw notFound();
    if (event.currency !== invoice.currency) {
      throw new AppError(
        'billing.payment_invalid',
        'bad_request',
        phrase('billing:problem.providerCurrency', { reported: event.currency, invoiced: invoice.currency }),
      );
    }
    return this.#sequelize.transaction(async (tx) => {
      if (await this.#repo.providerRefSeen(event.providerRef, tx)) return null;
      const payment: Payment = {
        id: newId(),
        clientId: invoice.clientId,
        invoiceId: invoice.id,
        kind: event.kind,
        method: 'online',
        amountMinor: event.amountMinor,
        receivedOn: event.on,
        reference: providerName.slice(0, 80),
        // The reason is a note people type; what happened here is in the structured fields (a refund,
        // online, the provider's name as the reference), which every page writes in its reader's words.
        // Rows stored before kept an English "Refunded through …" note, which nothing shows.
        reason: null,
        recordedBy: null,
        createdAt: this.#clock.now(),
      };
      await this.#assertFits(invoice, payment, tx);
      await this.#repo.insertPayment(payment, event.providerRef, tx);
      await this.#access.record(
        null,
        `billing.${payment.kind}.recorded`,
        { type: 'billing_payment', id: payment.id, clientId: invoice.clientId },
        tx,
        {
          invoiceId: invoice.id,
          method: 'online',
        },
      );
      return payment;
    });
  }

  /** Nothing takes an invoice below zero, and no refund returns more than was paid. */
  async #assertFits(invoice: Invoice, p: Payment, tx: Transaction): Promise<void> {
    const standing = invoiceStanding(invoice, await this.#repo.paymentsOf({ invoiceId: invoice.id }, tx));
    // The limit is money in the reader's way of writing it: a decimal string with its currency.
    const limit = (m: Minor) => ({ amount: toDecimal(m, invoice.currency), currency: invoice.currency });
    const refuse = (problem: Phrase) => fieldRefusal('billing.payment_too_large', 'amount', problem);
    if (p.kind === 'refund') {
      const refundable = standing.paidMinor - standing.refundedMinor;
      if (p.amountMinor > refundable)
        throw refuse(phrase('billing:problem.refundTooLarge', limit(refundable)));
    } else if (p.amountMinor > standing.dueMinor) {
      const key =
        p.kind === 'write_off' ? 'billing:problem.writeOffTooLarge' : 'billing:problem.paymentTooLarge';
      throw refuse(phrase(key, limit(standing.dueMinor)));
    }
  }

  /** Admins: what every client owes, by how old the invoice is (0–30, 31–60, 61–90, 90+ days). */
  async receivables(
    actor: BillingActor,
  ): Promise<{ rows: ReceivablesRow[]; currency: string; today: string }> {
    if (!canViewReceivables(actor))
      throw new AppError('billing.forbidden', 'forbidden', phrase('billing:problem.receivablesAdminOnly'));
    const [invoices, payments, settings] = await Promise.all([
      this.#repo.invoicesOf(null),
      this.#repo.paymentsOf({}),
      this.#repo.settings(),
    ]);
    const today = dayIn(this.#clock.now(), await this.#timeZone());
    const rows = await Promise.all(
      agedReceivables(invoices, payments, today).map(async (r) => ({
        ...r,
        client: await this.#people.byId(r.clientId),
      })),
    );
    await this.#access.record(
      actor,
      'billing.receivables.viewed',
      { type: 'billing_receivables', id: null, clientId: null },
      undefined,
      {
        clients: rows.length,
      },
    );
    return { rows, currency: settings.currency, today };
  }
}
