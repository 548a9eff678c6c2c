import type { Balance, Charge, Invoice, InvoiceStanding, Payment, PaymentKind } from './billing.types';
import { sum, type Minor } from './money';

/**
 * The arithmetic of an account, as pure functions over plain records (so a property test can run
 * it over random histories). Every number is an integer of minor units, added with `sum`.
 */

const ofKind = (payments: readonly Payment[], kind: PaymentKind): Minor =>
  sum(payments.filter((p) => p.kind === kind).map((p) => p.amountMinor));

/** total − paid + refunded − written off, for one invoice. */
export function invoiceStanding(invoice: Invoice, payments: readonly Payment[]): InvoiceStanding {
  const own = payments.filter((p) => p.invoiceId === invoice.id);
  const paidMinor = ofKind(own, 'payment');
  const refundedMinor = ofKind(own, 'refund');
  const writtenOffMinor = ofKind(own, 'write_off');
  return {
    totalMinor: invoice.totalMinor,
    paidMinor,
    refundedMinor,
    writtenOffMinor,
    dueMinor: sum([invoice.totalMinor, -paidMinor, refundedMinor, -writtenOffMinor]),
  };
}

/** A client's balance: charges − payments + refunds − write-offs. */
export function balanceOf(charges: readonly Charge[], payments: readonly Payment[]): Balance {
  const chargedMinor = sum(charges.map((c) => c.amountMinor));
  const uninvoicedMinor = sum(charges.filter((c) => c.invoiceId === null).map((c) => c.amountMinor));
  const paidMinor = ofKind(payments, 'payment');
  const refundedMinor = ofKind(payments, 'refund');
  const writtenOffMinor = ofKind(payments, 'write_off');
  const balanceMinor = sum([chargedMinor, -paidMinor, refundedMinor, -writtenOffMinor]);
  return {
    chargedMinor,
    uninvoicedMinor,
    paidMinor,
    refundedMinor,
    writtenOffMinor,
    balanceMinor,
    dueMinor: sum([balanceMinor, -uninvoicedMinor]),
  };
}

/** What a payment of each kind does to what is owed. */
export const SIGN: Record<PaymentKind, 1 | -1> = { payment: -1, refund: 1, write_off: -1 };

export interface StatementLine {
  readonly on: string;
  readonly kind: 'invoice' | PaymentKind;
  /** "Invoice 42", "Payment (cash) on invoice 42". */
  readonly invoiceNumber: number;
  readonly amountMinor: Minor;
  /** Effect on what is owed: + for invoices and refunds, − for payments and write-offs. */
  readonly effectMinor: Minor;
  readonly method: Payment['method'];
}

export interface Statement {
  readonly from: string;
  readonly to: string;
  readonly openingMinor: Minor;
  readonly lines: readonly StatementLine[];
  readonly closingMinor: Minor;
}

/**
 * A statement for [from, to] (days, inclusive): the balance of invoices and payments before `from`,
 * every invoice, payment, refund and write-off in the range by date, and the closing balance.
 */
export function statementOf(
  from: string,
  to: string,
  invoices: readonly Invoice[],
  payments: readonly Payment[],
): Statement {
  const numberOf = new Map(invoices.map((i) => [i.id, i.number]));
  const all: StatementLine[] = [
    ...invoices.map((i) => ({
      on: i.issuedOn,
      kind: 'invoice' as const,
      invoiceNumber: i.number,
      amountMinor: i.totalMinor,
      effectMinor: i.totalMinor,
      method: null,
    })),
    ...payments.map((p) => ({
      on: p.receivedOn,
      kind: p.kind,
      invoiceNumber: numberOf.get(p.invoiceId) ?? 0,
      amountMinor: p.amountMinor,
      effectMinor: SIGN[p.kind] * p.amountMinor,
      method: p.method,
    })),
  ];
  const before = all.filter((l) => l.on < from);
  const lines = all
    .filter((l) => l.on >= from && l.on <= to)
    .sort((a, b) => (a.on === b.on ? (a.kind === 'invoice' ? -1 : 1) : a.on < b.on ? -1 : 1));
  const openingMinor = sum(before.map((l) => l.effectMinor));
  return {
    from,
    to,
    openingMinor,
    lines,
    closingMinor: sum([openingMinor, ...lines.map((l) => l.effectMinor)]),
  };
}

export const AGE_BUCKETS = ['0–30', '31–60', '61–90', '90+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** Which bucket an invoice falls in, by whole days since it was issued. */
export function ageBucket(issuedOn: string, today: string): AgeBucket {
  const days = Math.floor(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${issuedOn}T00:00:00Z`)) / 86_400_000,
  );
  if (days <= 30) return '0–30';
  if (days <= 60) return '31–60';
  if (days <= 90) return '61–90';
  return '90+';
}

export interface AgedRow {
  readonly clientId: string;
  readonly buckets: Readonly<Record<AgeBucket, Minor>>;
  readonly totalMinor: Minor;
}

/** Outstanding amounts per client by invoice age (open invoices only). */
export function agedReceivables(
  invoices: readonly Invoice[],
  payments: readonly Payment[],
  today: string,
): AgedRow[] {
  const rows = new Map<string, Record<AgeBucket, Minor>>();
  for (const invoice of invoices) {
    const due = invoiceStanding(invoice, payments).dueMinor;
    if (due === 0) continue;
    const row = rows.get(invoice.clientId) ?? { '0–30': 0, '31–60': 0, '61–90': 0, '90+': 0 };
    const bucket = ageBucket(invoice.issuedOn, today);
    row[bucket] = sum([row[bucket], due]);
    rows.set(invoice.clientId, row);
  }
  return [...rows.entries()]
    .map(([clientId, buckets]) => ({ clientId, buckets, totalMinor: sum(Object.values(buckets)) }))
    .sort((a, b) => b.totalMinor - a.totalMinor);
}

/**
 * What was paid towards each charge of one invoice: the invoice's net payments (payments less
 * refunds) applied to its charges oldest first, none beyond a charge's amount. Superbills show it.
 */
export function paidPerCharge(charges: readonly Charge[], payments: readonly Payment[]): Map<string, Minor> {
  let left = sum([
    ...payments.filter((p) => p.kind === 'payment').map((p) => p.amountMinor),
    ...payments.filter((p) => p.kind === 'refund').map((p) => -p.amountMinor),
  ]);
  const out = new Map<string, Minor>();
  const ordered = [...charges].sort((a, b) =>
    a.dateOfService === b.dateOfService
      ? a.createdAt.getTime() - b.createdAt.getTime()
      : a.dateOfService < b.dateOfService
        ? -1
        : 1,
  );
  for (const c of ordered) {
    const applied = Math.max(0, Math.min(left, c.amountMinor));
    out.set(c.id, applied);
    left -= applied;
  }
  return out;
}
