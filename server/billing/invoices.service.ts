import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import type { Logger } from '../shared/logger';
import { notFound, type BillingAccess } from './billing-access';
import type { BillingMailer } from './billing-mail';
import { canIssueInvoice } from './billing.policy';
import type { BillingRepository } from './billing.repository';
import type { BillingActor, Charge, Invoice, InvoiceStanding, Payment, PeopleSource } from './billing.types';
import { addDays, dayIn, firstOfMonth } from './days';
import { invoiceStanding } from './ledger';
import { sum } from './money';

/** One invoice as its page shows it. */
export interface InvoiceView {
  readonly invoice: Invoice;
  readonly charges: readonly Charge[];
  readonly payments: readonly Payment[];
  readonly standing: InvoiceStanding;
}

/** How an invoice number is shown: INV-000042. */
export const invoiceLabel = (n: number): string => `INV-${String(n).padStart(6, '0')}`;

/**
 * Invoices gather a client's uninvoiced charges, on demand (therapist or admin) or at the start of
 * each month (the clinic's setting). The number comes from a counter taken inside the invoice's
 * transaction (billing.repository.ts), so numbers never repeat and never skip, however many are
 * issued at once.
 */
export class InvoicesService {
  readonly #sequelize: Sequelize;
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #people: PeopleSource;
  readonly #mailer: BillingMailer;
  readonly #clinic: () => Promise<{ clinicName: string; timeZone: string }>;
  readonly #logger: Logger;

  constructor(deps: {
    sequelize: Sequelize;
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    people: PeopleSource;
    mailer: BillingMailer;
    clinic: () => Promise<{ clinicName: string; timeZone: string }>;
    logger: Logger;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#people = deps.people;
    this.#mailer = deps.mailer;
    this.#clinic = deps.clinic;
    this.#logger = deps.logger;
  }

  /** Issues an invoice for the client's uninvoiced charges (the treating therapist or an admin). */
  async issue(actor: BillingActor, clientId: string): Promise<Invoice> {
    await this.#access.require(actor, clientId, (f) => canIssueInvoice(actor, f));
    return this.#issue(actor, clientId, null);
  }

  async #issue(actor: BillingActor | null, clientId: string, before: string | null): Promise<Invoice> {
    const client = await this.#people.byId(clientId);
    if (!client) throw notFound();
    const { clinicName, timeZone } = await this.#clinic();
    const invoice = await this.#sequelize.transaction(async (tx) => {
      const waiting = (await this.#repo.chargesOf(clientId, { uninvoiced: true }, tx)).filter(
        (c) => before === null || c.dateOfService < before,
      );
      if (waiting.length === 0) {
        throw new AppError(
          'billing.nothing_to_invoice',
          'conflict',
          phrase('billing:problem.nothingToInvoice'),
        );
      }
      const settings = await this.#repo.settings(tx);
      const today = dayIn(this.#clock.now(), timeZone);
      const made: Invoice = {
        id: newId(),
        number: await this.#repo.nextInvoiceNumber(tx),
        clientId,
        issuedOn: today,
        dueOn: addDays(today, settings.paymentTermsDays),
        totalMinor: sum(waiting.map((c) => c.amountMinor)),
        currency: settings.currency,
        createdBy: actor?.id ?? null,
        createdAt: this.#clock.now(),
      };
      await this.#repo.insertInvoice(made, tx);
      const taken = await this.#repo.assignInvoice(
        waiting.map((c) => c.id),
        made.id,
        made.createdAt,
        tx,
      );
      if (taken !== waiting.length) {
        // Another invoice took some of these charges meanwhile: roll back (the number is returned).
        throw new AppError('billing.invoice_race', 'conflict', phrase('billing:problem.justInvoiced'));
      }
      await this.#access.record(
        actor,
        'billing.invoice.issued',
        { type: 'billing_invoice', id: made.id, clientId },
        tx,
        {
          number: made.number,
          charges: waiting.length,
        },
      );
      await this.#mailer.invoiceReady(client, made.id, clinicName, tx);
      return made;
    });
    return invoice;
  }

  /**
   * The monthly run (clinic setting): on and after the first of a month, every client with charges
   * from earlier months gets one invoice for them. Idempotent: a second pass finds nothing waiting.
   */
  async monthlyRun(): Promise<number> {
    const settings = await this.#repo.settings();
    if (settings.invoicing !== 'monthly') return 0;
    const { timeZone } = await this.#clinic();
    const monthStart = firstOfMonth(dayIn(this.#clock.now(), timeZone));
    const waiting = (await this.#repo.chargesOf(null, { uninvoiced: true })).filter(
      (c) => c.dateOfService < monthStart,
    );
    let issued = 0;
    for (const clientId of new Set(waiting.map((c) => c.clientId))) {
      try {
        await this.#issue(null, clientId, monthStart);
        issued += 1;
      } catch (error) {
        this.#logger.warn({ err: error, clientId }, 'monthly invoice not issued');
      }
    }
    return issued;
  }

  /** One invoice with its charges and payments; the read is audited. Others get "not found". */
  async view(
    actor: BillingActor,
    invoiceId: string,
    action = 'billing.invoice.viewed',
  ): Promise<InvoiceView> {
    const invoice = await this.#repo.invoiceById(invoiceId);
    if (!invoice) throw notFound();
    await this.#access.require(actor, invoice.clientId);
    return this.#sequelize.transaction(async (tx: Transaction) => {
      const [charges, payments] = await Promise.all([
        this.#repo.chargesOf(invoice.clientId, { invoiceId }, tx),
        this.#repo.paymentsOf({ invoiceId }, tx),
      ]);
      await this.#access.record(
        actor,
        action,
        { type: 'billing_invoice', id: invoiceId, clientId: invoice.clientId },
        tx,
      );
      return { invoice, charges, payments, standing: invoiceStanding(invoice, payments) };
    });
  }
}
