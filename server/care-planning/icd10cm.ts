import { ICD10CM_SUBSET_LINES } from './icd10cm-subset.data';

/** One ICD-10-CM code of the bundled subset, with its published description. */
export interface Icd10Code {
  /** With its dot, as clinicians write it: `F41.1`. */
  readonly code: string;
  readonly description: string;
}

/** The FHIR system URI of ICD-10-CM (HL7 terminology). */
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** `F411` → `F41.1`; three-character categories (`F39`) have no dot. */
function withDot(raw: string): string {
  return raw.length > 3 ? `${raw.slice(0, 3)}.${raw.slice(3)}` : raw;
}

const CODES: readonly Icd10Code[] = ICD10CM_SUBSET_LINES.trim()
  .split('\n')
  .map((line) => {
    const space = line.indexOf(' ');
    return { code: withDot(line.slice(0, space)), description: line.slice(space + 1) };
  });
const BY_CODE = new Map(CODES.map((c) => [c.code, c]));

/** Every code of the subset, in tabular order. */
export function allCodes(): readonly Icd10Code[] {
  return CODES;
}

/** The entry for a code typed with or without its dot, in any case; null outside the subset. */
export function lookupCode(input: string): Icd10Code | null {
  const compact = input.trim().toUpperCase().replace(/\./g, '');
  if (!/^[A-Z][0-9A-Z]{2,6}$/.test(compact)) return null;
  return BY_CODE.get(withDot(compact)) ?? null;
}

/**
 * Codes whose code starts with, or whose description contains every word of, the query. Code
 * matches come first; at most `limit` results.
 */
export function searchCodes(query: string, limit = 25): Icd10Code[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const compact = q.toUpperCase().replace(/\./g, '');
  const words = q.split(/\s+/).filter(Boolean);
  const byCode = CODES.filter((c) => c.code.replace('.', '').startsWith(compact));
  const byText = CODES.filter(
    (c) => !byCode.includes(c) && words.every((w) => c.description.toLowerCase().includes(w)),
  );
  return [...byCode, ...byText].slice(0, limit);
}
