import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readResources, SOURCE_LANGUAGE } from '../../server/i18n';
import { flattenKeys, pluralPart } from '../../server/i18n/resource-keys';

/** Every file below `dir` whose name ends with `ending` (`.ejs`, `.ts`), as full paths. */
export function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), ending)
      : entry.name.endsWith(ending)
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * English's keys as a page or a service names them: `feature:dotted.key`, and for a plural its base
 * too (`home:therapist.unread` for `unread_one`/`unread_other`), since `t` is called with the base.
 */
export function englishKeys(): Set<string> {
  const known = new Set<string>();
  for (const [ns, tree] of Object.entries(readResources()[SOURCE_LANGUAGE] ?? {})) {
    for (const key of flattenKeys(tree).keys()) {
      known.add(`${ns}:${key}`);
      const plural = pluralPart(key);
      if (plural) known.add(`${ns}:${plural.base}`);
    }
  }
  return known;
}
