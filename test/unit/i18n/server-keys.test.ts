import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { englishKeys, filesUnder } from '../../support/i18n-sources';

const SERVER_DIR = join(__dirname, '../../../server');

/**
 * A key a service names (`phrase('clinical:problem.noSuchNote')`, a zod message
 * `'errors:field.atMost'`, a key built from a value `` `clinical:problem.section.${key}` ``) exists in
 * English, so no reader meets a bare key where a sentence belongs (the other languages are checked
 * against English by resource-files.test.ts). Only strings whose namespace is a feature file count:
 * `room:join` is a socket event, not a key. Comments are skipped.
 */
describe('every resource key the server names exists in English', () => {
  const keys = englishKeys();
  const namespaces = new Set([...keys].map((k) => k.slice(0, k.indexOf(':'))));
  const literal = /'([a-z][a-zA-Z-]*):([a-zA-Z0-9_.-]+)'|`([a-z][a-zA-Z-]*):([a-zA-Z0-9_.-]*)\$\{/g;

  const files = filesUnder(SERVER_DIR, '.ts').filter((f) => !relative(SERVER_DIR, f).startsWith('i18n/'));
  for (const file of files) {
    const named: { line: number; key: string; known: boolean }[] = [];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*(\*|\/\/|\/\*)/.test(text)) return;
        for (const m of text.matchAll(literal)) {
          const [ns, rest, built] = m[1] ? [m[1], m[2]!, false] : [m[3]!, m[4]!, true];
          if (!namespaces.has(ns)) continue;
          const known = built
            ? [...keys].some((k) => k.startsWith(`${ns}:${rest}`))
            : keys.has(`${ns}:${rest}`);
          named.push({ line: i + 1, key: `${ns}:${rest}${built ? '${…}' : ''}`, known });
        }
      });
    if (named.length === 0) continue;
    it(relative(SERVER_DIR, file), () => {
      assert.deepEqual(
        named.filter((n) => !n.known).map((n) => `${n.line}: ${n.key}`),
        [],
        'add these keys to server/i18n/locales/en (and every other language)',
      );
    });
  }
});
