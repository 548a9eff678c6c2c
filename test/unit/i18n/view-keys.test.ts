import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readResources, SOURCE_LANGUAGE } from '../../../server/i18n';
import { flattenKeys, pluralPart } from '../../../server/i18n/resource-keys';
import { VIEWS_DIR } from '../../../server/shared/paths';

function viewsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? viewsUnder(join(dir, entry.name))
      : entry.name.endsWith('.ejs')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * Every key a view names in full (`t('care:plan.title')`, `tHtml('home:therapist.unread', …)`) is in
 * English's files, as a key or as a plural's base. i18next shows a missing key's name to the reader
 * (`care:plan.titel`), which the extraction check cannot see: it only looks for English outside t().
 * Keys a view builds at run time (`t('clinical:specialty.' + s)`) are not checked here.
 */
describe('views name only keys that exist', () => {
  const english = readResources()[SOURCE_LANGUAGE]!;
  const known = new Set<string>();
  for (const [ns, tree] of Object.entries(english)) {
    for (const key of flattenKeys(tree).keys()) {
      known.add(`${ns}:${key}`);
      const plural = pluralPart(key);
      if (plural) known.add(`${ns}:${plural.base}`);
    }
  }

  for (const file of viewsUnder(VIEWS_DIR).sort()) {
    const source = readFileSync(file, 'utf8');
    const named = [...source.matchAll(/\b(?:t|tHtml)\(\s*(['"])([a-zA-Z][\w-]*:[\w.-]+)\1\s*[,)]/g)].map(
      (m) => m[2]!,
    );
    if (named.length === 0) continue;
    it(relative(VIEWS_DIR, file), () => {
      assert.deepEqual(
        [...new Set(named.filter((key) => !known.has(key)))],
        [],
        'add these keys to server/i18n/locales/en/<feature>.json (and every other language)',
      );
    });
  }
});
