import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Charge, Invoice, Payment, PaymentKind } from '../../../server/billing';
import { balanceOf, invoiceStanding } from '../../../server/billing/ledger';
import { parseAmount, sum } from '../../../server/billing/money';

/**
 * Random account histories: charges and payments typed as decimal text (as forms send them). The
 * model works in BigInt cents straight from the text, independently of Haven's parser and ledger.
 */
const decimal = fc
  .tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 99 }), fc.boolean())
  .map(([whole, cents, short]) =>
    short && cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`,
  );
const cents = (text: string): bigint => {
  const [w, f = ''] = text.split('.');
  return BigInt(w!) * 100n + BigInt(f.padEnd(2, '0'));
};

const charge = (i: number, amount: string, invoiceId: string | null): Charge => ({
  id: `c${i}`,
  clientId: 'client',
  therapistId: 't',
  appointmentId: null,
  origin: 'session',
  serviceId: 's',
  serviceCode: '90834',
  serviceDescription: 'x',
  dateOfService: '2026-03-01',
  units: 1,
  unitFeeMinor: parseAmount(amount, 'USD'),
  amountMinor: parseAmount(amount, 'USD'),
  placeOfService: '10',
  placeConfirmed: true,
  modifiers: [],
  diagnoses: [],
  programId: null,
  invoiceId,
  adjusted: false,
  createdAt: new Date(0),
});

describe('billing ledger: totals and balances over random histories (property)', () => {
  it('an invoice totals its charges; balance = charges − payments + refunds − write-offs; due = balance − uninvoiced', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(decimal, fc.boolean()), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.constantFrom<PaymentKind>('payment', 'refund', 'write_off'), decimal), {
          maxLength: 30,
        }),
        (chargeSpecs, paymentSpecs) => {
          const charges = chargeSpecs.map(([amount, invoiced], i) =>
            charge(i, amount, invoiced ? 'inv' : null),
          );
          const onInvoice = charges.filter((c) => c.invoiceId === 'inv');
          const invoice: Invoice = {
            id: 'inv',
            number: 1,
            clientId: 'client',
            issuedOn: '2026-03-02',
            dueOn: '2026-04-01',
            totalMinor: sum(onInvoice.map((c) => c.amountMinor)),
            currency: 'USD',
            createdBy: null,
            createdAt: new Date(0),
          };
          const payments: Payment[] = paymentSpecs.map(([kind, amount], i) => ({
            id: `p${i}`,
            clientId: 'client',
            invoiceId: 'inv',
            kind,
            method: kind === 'write_off' ? null : 'cash',
            amountMinor: parseAmount(amount, 'USD'),
            receivedOn: '2026-03-03',
            reference: null,
            reason: null,
            recordedBy: null,
            createdAt: new Date(0),
          }));

          const model = (filter: (s: [string, boolean]) => boolean) =>
            chargeSpecs.filter(filter).reduce((t, [a]) => t + cents(a), 0n);
          const paid = (kind: PaymentKind) =>
            paymentSpecs.filter(([k]) => k === kind).reduce((t, [, a]) => t + cents(a), 0n);
          const charged = model(() => true);
          const invoiced = model(([, inv]) => inv);
          const expectedBalance = charged - paid('payment') + paid('refund') - paid('write_off');

          assert.equal(BigInt(invoice.totalMinor), invoiced);
          const balance = balanceOf(charges, payments);
          assert.equal(BigInt(balance.chargedMinor), charged);
          assert.equal(BigInt(balance.balanceMinor), expectedBalance);
          assert.equal(BigInt(balance.dueMinor), expectedBalance - (charged - invoiced));
          const standing = invoiceStanding(invoice, payments);
          assert.equal(
            BigInt(standing.dueMinor),
            invoiced - paid('payment') + paid('refund') - paid('write_off'),
          );
          for (const v of Object.values(balance)) assert.ok(Number.isSafeInteger(v));
        },
      ),
      { numRuns: 300 },
    );
  });
});
