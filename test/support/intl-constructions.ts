/** The Intl classes whose constructors cost more than a page's other per-request work (issue 21). */
const COUNTED = ['DateTimeFormat', 'NumberFormat', 'ListFormat'] as const;
type Counted = (typeof COUNTED)[number];

/**
 * How many `new Intl.DateTimeFormat/NumberFormat/ListFormat(…)` ran while `work` ran, by class (this
 * process, libraries such as luxon included), for tests that pin a formatter cache in place.
 */
export async function intlFormattersBuiltDuring(work: () => unknown): Promise<Record<Counted, number>> {
  const built: Record<Counted, number> = { DateTimeFormat: 0, NumberFormat: 0, ListFormat: 0 };
  const intl = Intl as unknown as Record<Counted, new (...args: unknown[]) => unknown>;
  const originals = COUNTED.map((name) => [name, intl[name]] as const);
  for (const [name, original] of originals) {
    intl[name] = new Proxy(original, {
      construct(target, args: unknown[]) {
        built[name] += 1;
        return new target(...args) as object;
      },
    });
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) intl[name] = original;
  }
  return built;
}
