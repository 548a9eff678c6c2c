import type { BillingRepository } from './billing.repository';
import type { Charge, Invoice, Payment } from './billing.types';

/** A client's billing, opened, for their record export (data rights writes it as CSV files). */
export interface BillingExport {
  readonly currency: string;
  readonly charges: readonly Charge[];
  readonly invoices: readonly Invoice[];
  readonly payments: readonly Payment[];
}

/**
 * Billing's part of a client's own export. CSV only, not FHIR: R4's `Claim` requires an insurer
 * and a coverage (Haven knows neither: a superbill is the client's to send), and R4's `Invoice`
 * is at maturity level 0, so neither fits cleanly (issue 19, item 7).
 */
export class BillingSubjectRecords {
  readonly #repo: BillingRepository;

  constructor(repo: BillingRepository) {
    this.#repo = repo;
  }

  async exportOf(clientId: string): Promise<BillingExport> {
    const [settings, charges, invoices, payments] = await Promise.all([
      this.#repo.settings(),
      this.#repo.chargesOf(clientId),
      this.#repo.invoicesOf(clientId),
      this.#repo.paymentsOf({ clientId }),
    ]);
    return { currency: settings.currency, charges, invoices, payments };
  }
}
