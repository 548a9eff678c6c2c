import { AppError, phrase } from '../shared/errors';

/**
 * Money is a whole number of the currency's minor units (cents, pence, yen), never a float: a
 * float cannot hold 0.10 exactly, and sums of them drift (0.1 + 0.2 !== 0.3). Amounts are parsed
 * from text digit by digit, added and multiplied as integers, and turned back into text digit by
 * digit; `Intl.NumberFormat` only lays out a decimal string (it accepts strings exactly).
 */
export type Minor = number;

/** ISO 4217 codes this runtime knows (Intl's list), for the settings form. */
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.includes(code);
}

/** Digits after the decimal point in the currency (ISO 4217's minor unit: USD 2, JPY 0, BHD 3). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Largest amount we store: far above any clinic's bill, far below 2^53 (so integers stay exact). */
export const MAX_MINOR = 1_000_000_000_000;

function assertMinor(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number of minor units`);
}

/** Sum of integer amounts; refuses anything that is not an integer (a float slipping in is a bug). */
export function sum(values: readonly Minor[]): Minor {
  let total = 0;
  for (const v of values) {
    assertMinor(v, 'an amount');
    total += v;
  }
  assertMinor(total, 'a total');
  return total;
}

/** Unit fee × units, both integers. */
export function times(unitFee: Minor, units: number): Minor {
  assertMinor(unitFee, 'a fee');
  if (!Number.isSafeInteger(units)) throw new Error('units must be a whole number');
  const total = unitFee * units;
  assertMinor(total, 'a total');
  return total;
}

/**
 * "12.50", "12.5", "12", "1,250.00" → 1250 (USD). More decimals than the currency has, a sign,
 * letters or an empty value are refused with a problem for the form (a resource key, shown beside
 * the field in the reader's language).
 */
export function parseAmount(text: string, currency: string): Minor {
  const digits = minorDigits(currency);
  const clean = text.trim().replace(/[,\s]/g, '');
  const match = /^(\d{1,13})(?:\.(\d*))?$/.exec(clean);
  if (!match) {
    throw new AppError(
      'billing.amount_invalid',
      'bad_request',
      phrase('billing:problem.amount.format', { example: example(currency) }),
    );
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new AppError(
      'billing.amount_invalid',
      'bad_request',
      digits === 0
        ? phrase('billing:problem.amount.wholeNumber', { code: currency })
        : phrase('billing:problem.amount.decimals', { max: digits }),
    );
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) {
    throw new AppError('billing.amount_invalid', 'bad_request', phrase('billing:problem.amount.tooLarge'));
  }
  return minor;
}

function example(currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? '5000' : `50.${'0'.repeat(digits)}`;
}

/** 1250 → "12.50" (USD), 1250 → "1250" (JPY), -5 → "-0.05": exact, by string. */
export function toDecimal(minor: Minor, currency: string): string {
  assertMinor(minor, 'an amount');
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(minor));
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  const text = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return (negative ? '-' : '') + text;
}

/** 1250, 'USD' → "$12.50" (locale layout from Intl, digits from `toDecimal`). */
export function formatMoney(minor: Minor, currency: string, locale = 'en-US'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  // Intl.NumberFormat accepts a decimal string and formats it exactly (no float in between).
  return format.format(toDecimal(minor, currency) as unknown as number);
}
