/**
 * WCAG 2.x contrast, as the success criterion 1.4.3 defines it: relative luminance of sRGB colours,
 * ratio (L1 + 0.05) / (L2 + 0.05). Normal text needs at least 4.5:1.
 */
export const MIN_TEXT_CONTRAST = 4.5;

/** `#rgb` or `#rrggbb`, lower-cased to `#rrggbb`; null for anything else. */
export function normaliseHex(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return null;
}

function channel(hex: string, offset: number): number {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(hex: string): number {
  const h = normaliseHex(hex);
  if (!h) throw new Error(`not a colour: ${hex}`);
  return 0.2126 * channel(h, 1) + 0.7152 * channel(h, 3) + 0.0722 * channel(h, 5);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The ratio rounded down to one decimal, as people read it ("3.9:1" must not display as "4.5:1"). */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}

/** Darkens (amount < 0) or lightens a colour by mixing with black or white; for hover shades. */
export function shade(hex: string, amount: number): string {
  const h = normaliseHex(hex);
  if (!h) throw new Error(`not a colour: ${hex}`);
  const target = amount < 0 ? 0 : 255;
  const t = Math.min(1, Math.abs(amount));
  const mix = (offset: number) => {
    const c = parseInt(h.slice(offset, offset + 2), 16);
    return Math.round(c + (target - c) * t)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}
