import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResources, SOURCE_LANGUAGE } from '../../../server/i18n';
import { flattenKeys } from '../../../server/i18n/resource-keys';
import { PROJECT_ROOT, VIEWS_DIR } from '../../../server/shared/paths';
import { filesUnder } from '../../support/i18n-sources';

const SRC = join(PROJECT_ROOT, 'public', 'src');

/**
 * A browser bundle reads its words from `bundle-<name>.json` (public/src/strings.ts): every key a
 * source file asks its `bundleStrings('<name>')` for exists in English (so, by the key check, in every
 * language), and every page that loads the bundle renders its strings.
 */
describe("browser bundles' strings", () => {
  const english = readResources()[SOURCE_LANGUAGE]!;

  const views = filesUnder(VIEWS_DIR, '.ejs').map((f) => ({ f, text: readFileSync(f, 'utf8') }));

  for (const file of filesUnder(SRC, '.ts')) {
    const text = readFileSync(file, 'utf8');
    const bundle = /bundleStrings\('([\w-]+)'\)/.exec(text)?.[1];
    if (!bundle) continue;
    it(`${file.slice(SRC.length + 1)} asks bundle-${bundle} only for keys it has`, () => {
      const keys = new Set(
        [...flattenKeys(english[`bundle-${bundle}`] ?? {}).keys()].map((k) => k.replace(/_(one|other)$/, '')),
      );
      const asked = [...text.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
      assert.ok(asked.length > 0, 'no t() calls found');
      assert.deepEqual(
        asked.filter((k) => !keys.has(k)),
        [],
      );
    });

    // Only an entry point (a file directly under public/src) is a bundle a page loads.
    if (!/^[\w-]+\.ts$/.test(file.slice(SRC.length + 1))) continue;
    const script = `/build/${file.slice(SRC.length + 1).replace(/\.ts$/, '.js')}`;
    it(`every view that loads ${script} renders bundle-${bundle}'s strings`, () => {
      const loading = views.filter((v) => v.text.includes(`src="${script}"`));
      assert.ok(loading.length > 0, `no view loads ${script}`);
      assert.deepEqual(
        loading.filter((v) => !v.text.includes(`clientStrings('bundle-${bundle}')`)).map((v) => v.f),
        [],
      );
    });
  }
});
