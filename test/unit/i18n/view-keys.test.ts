import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { VIEWS_DIR } from '../../../server/shared/paths';
import { englishKeys, filesUnder } from '../../support/i18n-sources';

/**
 * Every key a view names in full (`t('care:plan.title')`, `tHtml('home:therapist.unread', …)`) is in
 * English's files, as a key or as a plural's base. i18next shows a missing key's name to the reader
 * (`care:plan.titel`), which the extraction check cannot see: it only looks for English outside t().
 * Keys a view builds at run time (`t('clinical:specialty.' + s)`) are not checked here.
 */
describe('views name only keys that exist', () => {
  const known = englishKeys();

  for (const file of filesUnder(VIEWS_DIR, '.ejs').sort()) {
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
