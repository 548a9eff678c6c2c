/**
 * `make`, remembering its answer per key for at most `limit` keys; past that, later keys are built
 * each time and not kept. For values that are costly to build and keyed by something a visitor
 * chooses (a locale from Accept-Language): the first few hundred distinct keys are kept, and nobody
 * can grow the memory by sending new ones. No eviction: the keys that matter (the clinic's languages)
 * arrive first and stay. No Node APIs here: the browser bundles import it too (through file-size.ts).
 */
export function keptPerKey<A extends unknown[], V>(
  limit: number,
  keyOf: (...args: A) => string,
  make: (...args: A) => V,
): (...args: A) => V {
  const kept = new Map<string, V>();
  return (...args: A): V => {
    const key = keyOf(...args);
    if (kept.has(key)) return kept.get(key) as V;
    const made = make(...args);
    if (kept.size < limit) kept.set(key, made);
    return made;
  };
}
