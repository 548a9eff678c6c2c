import { keptPerKey } from './kept-per-key';

/** The units above bytes, as English writes them and as Intl names them. */
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;
const INTL_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * A size scaled to the largest unit that keeps the number small: one decimal below 10 units, none
 * above; `unit` -1 means plain bytes. Never 1024 of a unit (1023.7 KB is 1 MB).
 */
function scaled(bytes: number): { value: number; unit: number } {
  if (bytes < 1024) return { value: Math.round(bytes), unit: -1 };
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  if (shown >= 1024 && unit < UNITS.length - 1) return { value: 1, unit: unit + 1 };
  return { value: shown, unit };
}

/**
 * Unit formatters by locale and unit: building an Intl formatter costs far more than formatting
 * with one (a page of attachments wrote one per size). Locales come from Accept-Language, so only
 * the first few hundred are kept.
 */
const unitFormatter = keptPerKey(
  256,
  (locale: string, unit: number) => `${unit}|${locale}`,
  (locale: string, unit: number) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: unit < 0 ? 'byte' : INTL_UNITS[unit],
      unitDisplay: unit < 0 ? 'long' : 'short',
    }),
);

/**
 * A file or disk size as people read it: "10 MB", "1.5 GB", "820 KB", "12 bytes" (1 KB = 1024 bytes,
 * as file managers count). Given the reader's `Intl` locale it writes the number and the unit in
 * their language ("1,5 Mo", "١٫٥ م.ب", "12 octets"); without one, or in English, the English form. Imported by the browser bundles too (messages): no Node APIs here.
 */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const { value, unit } = scaled(bytes);
  // English keeps the form file managers write ("820 KB"); Intl's English says "820 kB".
  if (locale !== undefined && !/^en\b/.test(locale)) return unitFormatter(locale, unit).format(value);
  if (unit < 0) return value === 1 ? '1 byte' : `${value} bytes`;
  return `${value} ${UNITS[unit]}`;
}
