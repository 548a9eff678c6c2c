/** A fixed-width text table for a terminal: right-aligned numbers, one header row. */
export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string | number;
  /** Decimal places for numbers (default 0). */
  readonly digits?: number;
}

export function formatCell(value: string | number, digits = 0): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** The header line (and a rule under it) for these columns. */
export function headerLines<Row>(columns: readonly Column<Row>[]): string[] {
  const header = columns.map((c) => c.title.padStart(width(c))).join('  ');
  return [header, '-'.repeat(header.length)];
}

/** One row, aligned under `headerLines`. */
export function rowLine<Row>(columns: readonly Column<Row>[], row: Row): string {
  return columns.map((c) => formatCell(c.value(row), c.digits).padStart(width(c))).join('  ');
}

const width = (column: { readonly title: string }): number => Math.max(column.title.length, 7);
