import type { Sequelize } from 'sequelize';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { fieldRefusal } from '../shared/form-refusal';
import type { BillingAccess } from './billing-access';
import {
  canEditClientDetails,
  canOverrideProgram,
  canSetDefaultProgram,
  canViewReceivables,
  type AccountFacts,
} from './billing.policy';
import type { BillingRepository } from './billing.repository';
import { clientDetailsSchema, overrideSchema, parseOrThrow } from './billing.schemas';
import type {
  Balance,
  BillingActor,
  BillingPerson,
  CareSource,
  Charge,
  ClientAccount,
  FeeProgram,
  Invoice,
  InvoiceStanding,
  Payment,
  PeopleSource,
} from './billing.types';
import { balanceOf, invoiceStanding } from './ledger';

/** Everything a client's billing page shows. */
export interface AccountView {
  readonly client: BillingPerson;
  readonly account: ClientAccount;
  readonly facts: AccountFacts;
  readonly charges: readonly Charge[];
  readonly invoices: ReadonlyArray<{ invoice: Invoice; standing: InvoiceStanding }>;
  readonly payments: readonly Payment[];
  readonly balance: Balance;
  readonly programs: readonly FeeProgram[];
  /** The program whose prices apply now (override, own, the clinic's default), or null for standard fees. */
  readonly effectiveProgram: FeeProgram | null;
}

/** One row of a therapist's or an admin's list of accounts. */
export interface AccountSummary {
  readonly client: BillingPerson;
  readonly balance: Balance;
}

/**
 * A client's billing account: what they owe and why, the fee program they are on (an admin sets
 * it; the treating therapist may override it for them, giving a reason), and the details a
 * superbill needs (legal name, date of birth, address), sealed at rest.
 */
export class AccountsService {
  readonly #sequelize: Sequelize;
  readonly #repo: BillingRepository;
  readonly #access: BillingAccess;
  readonly #clock: Clock;
  readonly #people: PeopleSource;
  readonly #care: CareSource;

  constructor(deps: {
    sequelize: Sequelize;
    repo: BillingRepository;
    access: BillingAccess;
    clock: Clock;
    people: PeopleSource;
    care: CareSource;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#clock = deps.clock;
    this.#people = deps.people;
    this.#care = deps.care;
  }

  /** The whole account; the read is audited. Someone else's: "not found". */
  async view(actor: BillingActor, clientId: string): Promise<AccountView> {
    const facts = await this.#access.require(actor, clientId);
    const client = (await this.#people.byId(clientId))!;
    return this.#sequelize.transaction(async (tx) => {
      const account = await this.#repo.account(clientId, tx);
      const charges = await this.#repo.chargesOf(clientId, {}, tx);
      const invoices = await this.#repo.invoicesOf(clientId, tx);
      const payments = await this.#repo.paymentsOf({ clientId }, tx);
      const programs = await this.#repo.programs(tx);
      const settings = await this.#repo.settings(tx);
      const effectiveId = account.overrideProgramId ?? account.programId ?? settings.defaultProgramId;
      await this.#access.record(
        actor,
        'billing.account.viewed',
        { type: 'billing_account', id: clientId, clientId },
        tx,
      );
      return {
        client,
        account,
        facts,
        charges,
        invoices: invoices.map((invoice) => ({ invoice, standing: invoiceStanding(invoice, payments) })),
        payments,
        balance: balanceOf(charges, payments),
        programs,
        effectiveProgram: programs.find((p) => p.id === effectiveId) ?? null,
      };
    });
  }

  /**
   * The accounts the actor may see, with balances: a therapist's own clients, or every client for
   * an admin. The listing is audited (it names people in care).
   */
  async list(actor: BillingActor): Promise<AccountSummary[]> {
    let clients: BillingPerson[];
    if (canViewReceivables(actor)) clients = await this.#people.clients();
    else if (actor.roles.includes('therapist')) {
      const ids = await this.#care.clientsOf(actor.id);
      clients = (await Promise.all(ids.map((id) => this.#people.byId(id)))).filter(
        (p): p is BillingPerson => p !== null && p.roles.includes('client'),
      );
    } else throw new AppError('billing.forbidden', 'forbidden', phrase('billing:problem.noList'));
    const [charges, payments] = await Promise.all([this.#repo.chargesOf(null), this.#repo.paymentsOf({})]);
    await this.#access.record(
      actor,
      'billing.accounts.listed',
      { type: 'billing_account', id: null, clientId: null },
      undefined,
      {
        count: clients.length,
      },
    );
    return clients
      .map((client) => ({
        client,
        balance: balanceOf(
          charges.filter((c) => c.clientId === client.id),
          payments.filter((p) => p.clientId === client.id),
        ),
      }))
      .sort((a, b) => a.client.displayName.localeCompare(b.client.displayName));
  }

  /** An admin puts a client on a fee program (their income band), or back on standard fees. */
  async setProgram(actor: BillingActor, clientId: string, programId: string | null): Promise<void> {
    await this.#access.require(actor, clientId, () => canSetDefaultProgram(actor));
    await this.#assertProgram(programId);
    await this.#sequelize.transaction(async (tx) => {
      const account = await this.#repo.account(clientId, tx);
      await this.#repo.saveAccount({ ...account, programId }, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.program.assigned',
        { type: 'billing_account', id: clientId, clientId },
        tx,
        {
          programId,
        },
      );
    });
  }

  /** The treating therapist (or an admin) overrides the client's program, with a reason; an empty program clears it. */
  async override(
    actor: BillingActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    await this.#access.require(actor, clientId, (f) => canOverrideProgram(actor, f));
    const form = parseOrThrow(overrideSchema, input, 'billing.override_invalid');
    if (form.programId && !form.reason) {
      throw fieldRefusal('billing.override_invalid', 'reason', phrase('billing:problem.overrideReason'));
    }
    await this.#assertProgram(form.programId);
    await this.#sequelize.transaction(async (tx) => {
      const account = await this.#repo.account(clientId, tx);
      const now = this.#clock.now();
      await this.#repo.saveAccount(
        {
          ...account,
          overrideProgramId: form.programId,
          overrideReason: form.programId ? form.reason : null,
          overrideBy: form.programId ? actor.id : null,
          overrideAt: form.programId ? now : null,
        },
        now,
        tx,
      );
      await this.#access.record(
        actor,
        form.programId ? 'billing.program.overridden' : 'billing.program.override_cleared',
        {
          type: 'billing_account',
          id: clientId,
          clientId,
        },
        tx,
        { programId: form.programId },
      );
    });
  }

  async saveDetails(
    actor: BillingActor,
    clientId: string,
    input: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    await this.#access.require(actor, clientId, (f) => canEditClientDetails(actor, clientId, f));
    const form = parseOrThrow(clientDetailsSchema, input, 'billing.details_invalid');
    await this.#sequelize.transaction(async (tx) => {
      const account = await this.#repo.account(clientId, tx);
      await this.#repo.saveAccount({ ...account, details: form }, this.#clock.now(), tx);
      await this.#access.record(
        actor,
        'billing.details.updated',
        { type: 'billing_account', id: clientId, clientId },
        tx,
      );
    });
  }

  async #assertProgram(programId: string | null): Promise<void> {
    if (programId && !(await this.#repo.programById(programId))) {
      throw fieldRefusal('billing.override_invalid', 'programId', phrase('billing:problem.chooseProgram'));
    }
  }
}
