/**
 * A bench's numeric command-line option: `fallback` when absent, else a positive number (a positive
 * integer with `integer`), refused with the option's name otherwise. The benches' one copy.
 */
export function positiveOption(
  name: string,
  text: string | undefined,
  fallback: number,
  { integer = false }: { readonly integer?: boolean } = {},
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const ok = integer ? Number.isInteger(value) : Number.isFinite(value);
  if (!ok || value <= 0)
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  return value;
}
