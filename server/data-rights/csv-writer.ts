import { stringify } from 'csv-stringify/sync';

/**
 * The export's spreadsheets: one CSV per kind of record, RFC 4180 (csv-stringify), UTF-8 with a
 * byte-order mark (so spreadsheet programs read accented names right) and a header row. Times are
 * ISO 8601 UTC. Cells that a spreadsheet would run as a formula (starting with = + - @) are
 * prefixed with a quote (OWASP "CSV injection"), since the client's own text and their therapist's
 * go into them.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
};

export function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  return Buffer.from(
    stringify([header, ...rows.map((r) => r.map(cell))], { record_delimiter: 'windows', bom: true }),
  );
}
