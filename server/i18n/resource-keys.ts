import type { ResourceTree } from './translator';

/** i18next v4 plural suffixes, one per Intl.PluralRules category. */
export const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/** A feature file's leaves as `dotted.key → text` (what `t('feature:dotted.key')` reads). */
export function flattenKeys(tree: ResourceTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flattenKeys(value, path)) out.set(k, v);
  }
  return out;
}

/** `nav.unread_few` → `{ base: 'nav.unread', category: 'few' }`; a key without a plural suffix → null. */
export function pluralPart(key: string): { base: string; category: string } | null {
  const match = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
  return match ? { base: match[1]!, category: match[2]! } : null;
}

/** The `{{name}}` placeholders a string uses, sorted (a translation must use the same ones). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();
}
