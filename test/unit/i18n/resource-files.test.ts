import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGE_CODES, LOCALES_DIR, readResources, SOURCE_LANGUAGE } from '../../../server/i18n';
import { flattenKeys, placeholders, pluralPart } from '../../../server/i18n/resource-keys';

/**
 * Every language file has exactly English's keys: no key missing (a reader would meet English), none
 * extra (a stale or misspelt key nobody reads). Plurals are compared by their base key: English has
 * `_one`/`_other`, Arabic `_zero`/`_one`/`_two`/`_few`/`_many`/`_other` — each language exactly the
 * categories Intl.PluralRules gives it. A translation keeps English's {{placeholders}}.
 */
describe('translation files', () => {
  const resources = readResources();
  const english = resources[SOURCE_LANGUAGE]!;

  /** `feature:key` → text, with plural keys folded to `feature:base` → their categories. */
  function keysOf(lng: string) {
    const plain = new Map<string, string>();
    const plural = new Map<string, Map<string, string>>();
    for (const [ns, tree] of Object.entries(resources[lng] ?? {})) {
      for (const [key, text] of flattenKeys(tree)) {
        const part = pluralPart(key);
        if (part) {
          const id = `${ns}:${part.base}`;
          if (!plural.has(id)) plural.set(id, new Map());
          plural.get(id)!.set(part.category, text);
        } else {
          plain.set(`${ns}:${key}`, text);
        }
      }
    }
    return { plain, plural };
  }

  const source = keysOf(SOURCE_LANGUAGE);

  it('English exists, and every folder under locales/ is a shipped language', () => {
    assert.ok(Object.keys(english).length > 0, 'no English resource files');
    const folders = readdirSync(LOCALES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
    assert.deepEqual(folders.map((d) => d.name).sort(), [...LANGUAGE_CODES].sort());
  });

  it("English's own plurals have exactly English's categories", () => {
    for (const [id, forms] of source.plural) {
      assert.deepEqual([...forms.keys()].sort(), ['one', 'other'], id);
    }
  });

  for (const lng of LANGUAGE_CODES.filter((l) => l !== SOURCE_LANGUAGE)) {
    describe(lng, () => {
      const own = keysOf(lng);
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories.slice().sort();

      it('has the same feature files as English', () => {
        assert.deepEqual(Object.keys(resources[lng] ?? {}).sort(), Object.keys(english).sort());
      });

      it('misses no key English has and has none English lacks', () => {
        const missing = [...source.plain.keys()].filter((k) => !own.plain.has(k));
        const extra = [...own.plain.keys()].filter((k) => !source.plain.has(k));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      });

      it(`writes each plural in exactly its categories (${categories.join(', ')})`, () => {
        const problems: string[] = [];
        for (const id of source.plural.keys()) {
          const forms = own.plural.get(id);
          const have = forms ? [...forms.keys()].sort() : [];
          if (have.join() !== categories.join()) problems.push(`${id}: has ${have.join(', ') || 'nothing'}`);
        }
        for (const id of own.plural.keys())
          if (!source.plural.has(id)) problems.push(`${id}: not in English`);
        assert.deepEqual(problems, []);
      });

      it("keeps English's placeholders and leaves no string empty", () => {
        const problems: string[] = [];
        for (const [key, text] of own.plain) {
          const want = placeholders(source.plain.get(key) ?? '');
          if (text.trim() === '') problems.push(`${key}: empty`);
          else if (placeholders(text).join() !== want.join())
            problems.push(`${key}: {{${placeholders(text)}}} ≠ {{${want}}}`);
        }
        for (const [id, forms] of own.plural) {
          const want = placeholders(source.plural.get(id)?.get('other') ?? '');
          for (const [category, text] of forms) {
            // A form for one exact number may say it in words ("two codes") instead of the number,
            // so it may leave placeholders out; it may not add one English does not have.
            const extra = placeholders(text).filter((p) => p !== 'count' && !want.includes(p));
            if (text.trim() === '') problems.push(`${id}_${category}: empty`);
            else if (extra.length > 0) problems.push(`${id}_${category}: {{${extra}}} not in English`);
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  it('reads from the folder the build copies (locales/<language>/<feature>.json)', () => {
    assert.ok(readdirSync(join(LOCALES_DIR, SOURCE_LANGUAGE)).every((f) => f.endsWith('.json')));
  });
});
