/**
 * National Provider Identifier check (CMS, "NPI Check Digit"): ten digits whose last is a Luhn
 * check digit computed over the constant prefix 80840 followed by the first nine digits. A typo
 * in one digit, or two neighbouring digits swapped, fails the check.
 */
export const NPI_PREFIX = '80840';

/** The Luhn check digit for a digit string (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  let total = 0;
  // From the right, doubling every second digit starting with the rightmost of the payload.
  for (let i = digits.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return (10 - (total % 10)) % 10;
}

/** True for a well-formed NPI: 10 digits, first 1 or 2, last the Luhn digit over 80840 + the first nine. */
export function isValidNpi(npi: string): boolean {
  if (!/^[12]\d{9}$/.test(npi)) return false;
  return luhnCheckDigit(NPI_PREFIX + npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** Why an NPI is refused, as a resource key the form writes in the reader's language; null when it is valid. */
export function npiProblem(npi: string): string | null {
  if (!/^\d{10}$/.test(npi)) return 'billing:problem.npi.length';
  if (!/^[12]/.test(npi)) return 'billing:problem.npi.prefix';
  if (!isValidNpi(npi)) return 'billing:problem.npi.checkDigit';
  return null;
}
