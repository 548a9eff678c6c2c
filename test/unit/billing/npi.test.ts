import assert from 'node:assert/strict';
import { isValidNpi, luhnCheckDigit, npiProblem } from '../../../server/billing/npi';

describe('billing NPI: the Luhn check digit over 80840 + the first nine digits', () => {
  it('accepts CMS’s worked example and other valid numbers', () => {
    // CMS "NPI check digit" example: 123456789 → check digit 3.
    assert.equal(luhnCheckDigit('80840123456789'), 3);
    for (const npi of ['1234567893', '1987654328', '1456789019']) assert.equal(isValidNpi(npi), true, npi);
    assert.equal(npiProblem('1234567893'), null);
  });

  it('refuses every single-digit typo and every swap of two neighbouring digits in a valid NPI', () => {
    const good = '1234567893';
    for (let i = 0; i < 10; i += 1) {
      for (let d = 0; d <= 9; d += 1) {
        const typo = good.slice(0, i) + String(d) + good.slice(i + 1);
        if (typo !== good) assert.equal(isValidNpi(typo), false, typo);
      }
    }
    for (let i = 0; i < 9; i += 1) {
      const swapped = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2);
      if (swapped !== good) assert.equal(isValidNpi(swapped), false, swapped);
    }
  });

  it("names what is wrong as a resource key (the form writes it in the reader's language)", () => {
    assert.equal(npiProblem('12345'), 'billing:problem.npi.length');
    assert.equal(npiProblem('3234567893'), 'billing:problem.npi.prefix');
    assert.equal(npiProblem('1234567890'), 'billing:problem.npi.checkDigit');
  });
});
