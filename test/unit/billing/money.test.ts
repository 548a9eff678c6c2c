import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatMoney, minorDigits, parseAmount, sum, times, toDecimal } from '../../../server/billing/money';
import { AppError } from '../../../server/shared/errors';

/** Refused with the problem `key` (a resource key the form writes in the reader's language) and its values. */
const refused = (fn: () => unknown, key: string, values?: Record<string, string | number>) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError && e.code === 'billing.amount_invalid');
    assert.deepEqual(e.phrase, values ? { key, values } : { key });
    return true;
  });

describe('billing money: integer minor units, never floats', () => {
  it('0.10 + 0.20 is exactly 0.30 (where floats give 0.30000000000000004)', () => {
    assert.notEqual(0.1 + 0.2, 0.3); // the trap this module exists to avoid
    const total = sum([parseAmount('0.10', 'USD'), parseAmount('0.20', 'USD')]);
    assert.equal(total, 30);
    assert.equal(total, parseAmount('0.3', 'USD'));
    assert.equal(toDecimal(total, 'USD'), '0.30');
    // A thousand ten-cent charges are exactly 100.00.
    assert.equal(
      toDecimal(sum(Array.from({ length: 1000 }, () => parseAmount('0.1', 'USD'))), 'USD'),
      '100.00',
    );
    assert.equal(times(parseAmount('19.99', 'USD'), 3), 5997);
  });

  it('parses what people type, per the currency’s minor unit (USD 2, JPY 0, BHD 3)', () => {
    assert.equal(minorDigits('USD'), 2);
    assert.equal(minorDigits('JPY'), 0);
    assert.equal(minorDigits('BHD'), 3);
    assert.equal(parseAmount('1,250.5', 'USD'), 125050);
    assert.equal(parseAmount('12', 'USD'), 1200);
    assert.equal(parseAmount('5000', 'JPY'), 5000);
    assert.equal(parseAmount('1.005', 'BHD'), 1005);
    assert.equal(toDecimal(-5, 'USD'), '-0.05');
    assert.equal(toDecimal(1250, 'JPY'), '1250');
    assert.equal(formatMoney(125050, 'USD'), '$1,250.50');
    refused(() => parseAmount('1.005', 'USD'), 'billing:problem.amount.decimals', { max: 2 });
    refused(() => parseAmount('1.5', 'JPY'), 'billing:problem.amount.wholeNumber', { code: 'JPY' });
    for (const bad of ['', '-3', 'ten', '1e3', '0x10', '1.2.3'])
      refused(() => parseAmount(bad, 'USD'), 'billing:problem.amount.format', { example: '50.00' });
    refused(() => parseAmount('5.0', 'JPY'), 'billing:problem.amount.wholeNumber', { code: 'JPY' });
    refused(() => parseAmount('9999999999999', 'USD'), 'billing:problem.amount.tooLarge');
    refused(() => parseAmount('99999999999999999', 'USD'), 'billing:problem.amount.format', {
      example: '50.00',
    });
  });

  it('refuses a float that slips into a sum or a product', () => {
    assert.throws(() => sum([10, 0.5]), /whole number/);
    assert.throws(() => times(0.1, 3), /whole number/);
    assert.throws(() => times(100, 1.5), /whole number/);
  });

  it('no float arithmetic in the billing feature (parseFloat, toFixed, Math.round, ×/÷ 100)', () => {
    const root = join(__dirname, '../../../server/billing');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    assert.ok(files.length > 10);
    const forbidden = [
      /parseFloat\s*\(/,
      /\.toFixed\s*\(/,
      /Math\.(round|floor|ceil)\s*\(\s*[^)]*(fee|amount|minor|total)/i,
      /[*/]\s*100\b/,
    ];
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (forbidden.some((re) => re.test(line))) hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(hits, []);
  });
});
