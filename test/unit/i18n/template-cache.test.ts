import assert from 'node:assert/strict';
import type { TFunction } from 'i18next';
import { createTranslator, LANGUAGE_CODES, readResources, type Resources } from '../../../server/i18n';
import { flattenKeys, placeholders } from '../../../server/i18n/resource-keys';
import { compileTemplate, renderTemplate, TemplateCache } from '../../../server/i18n/template-cache';
import { overrideSinkOf, shippedStringsOf } from '../../../server/composition/string-catalog';

type LooseT = (key: unknown, options?: unknown) => unknown;
const loose = (t: TFunction): LooseT => t as unknown as LooseT;

/** Values that could trip a shortcut: markup, numbers, null, placeholders and nesting inside a value. */
const AWKWARD_VALUES: readonly unknown[] = [
  'Sam',
  '<b>Sam & "Alex"</b>',
  42,
  0,
  null,
  undefined,
  '{{name}} and {{- raw}}',
  '$t(common:nav.messages)',
  ['a', 'b'],
  { toString: () => 'object' },
  '',
];

/** Every `feature:dotted.key` of the shipped English files, plural suffixes removed (what views call). */
function shippedKeys(resources: Resources): string[] {
  const keys = new Set<string>();
  for (const [ns, tree] of Object.entries(resources.en ?? {})) {
    for (const key of flattenKeys(tree).keys()) {
      keys.add(`${ns}:${key}`);
      keys.add(`${ns}:${key.replace(/_(zero|one|two|few|many|other)$/, '')}`);
    }
  }
  return [...keys].sort();
}

describe('TemplateCache answers t() exactly as i18next does', () => {
  const resources = readResources();
  const keys = shippedKeys(resources);

  it('for every shipped key in every language: no values, awkward values, some values missing, extra values', () => {
    const translator = createTranslator(resources);
    const cache = new TemplateCache(translator.i18n);
    let compared = 0;
    for (const lng of LANGUAGE_CODES) {
      const fast = loose(cache.fixedT(lng));
      const slow = loose(translator.i18n.getFixedT(lng));
      for (const key of keys) {
        const text = slow(key, { skipInterpolation: true });
        const names = typeof text === 'string' ? placeholders(text) : [];
        const calls: unknown[] = [undefined, {}, { unrelated: 'x' }];
        for (const value of AWKWARD_VALUES) calls.push(Object.fromEntries(names.map((n) => [n, value])));
        if (names.length > 1) calls.push({ [names[0]!]: 'only the first' });
        for (const options of calls) {
          assert.deepEqual(
            fast(key, options),
            slow(key, options),
            `${lng} ${key} ${JSON.stringify(options)}`,
          );
          compared += 1;
        }
      }
    }
    assert.ok(compared > 10_000, `compared ${compared} calls`);
    // The shortcut is really taken: nearly every shipped key became a template.
    assert.ok(cache.size > keys.length * LANGUAGE_CODES.length * 0.8, `only ${cache.size} templates`);
  });

  it('for every shipped plural in every language: every form, counts as numbers and not, with values', () => {
    const translator = createTranslator(resources);
    const cache = new TemplateCache(translator.i18n);
    const plurals = shippedKeys(resources).filter((key) =>
      keys.some((k) => k !== key && k.startsWith(`${key}_`) && /_(one|other)$/.test(k)),
    );
    assert.ok(plurals.length > 20, `only ${plurals.length} plurals`);
    const counts: unknown[] = [0, 1, 2, 3, 5, 11, 99, 100, 101, 102, 1.5, -1, 1e6, NaN, Infinity, '3', null];
    for (const lng of LANGUAGE_CODES) {
      const fast = loose(cache.fixedT(lng));
      const slow = loose(translator.i18n.getFixedT(lng));
      for (const key of plurals) {
        const text = slow(key, { count: 5, skipInterpolation: true });
        const names = typeof text === 'string' ? placeholders(text).filter((n) => n !== 'count') : [];
        for (const count of counts) {
          for (const value of ['Sam', 7, '{{count}}']) {
            const options = { count, ...Object.fromEntries(names.map((n) => [n, value])) };
            assert.deepEqual(fast(key, options), slow(key, options), `${lng} ${key} ${String(count)}`);
          }
          assert.deepEqual(
            fast(key, { count }),
            slow(key, { count }),
            `${lng} ${key} ${String(count)} alone`,
          );
        }
      }
    }
  });

  it('plurals (Arabic’s six forms and the others), context, nesting, formats, escaping and missing keys', () => {
    const lines = {
      item_zero: 'no items',
      item_one: 'one item',
      item_two: 'two items',
      item_few: '{{count}} items (few)',
      item_many: '{{count}} items (many)',
      item_other: '{{count}} items',
      friend: 'a friend',
      friend_male: 'a boyfriend called {{name}}',
      friend_female: 'a girlfriend called {{name}}',
      nested: 'Sign in: $t(common:plain) for {{name}}',
      plain: 'Plain text',
      raw: 'Raw {{- html}} and escaped {{html}}',
      formatted: '{{n, number}} people',
      dotted: 'Hello {{person.name}}',
      option: 'In {{lng}} with {{ns}} and {{count}}',
      spaced: 'Hello {{ name }}!',
      empty: '',
      section: { inner: 'an object, not a string' },
    };
    const custom: Resources = { en: { common: lines }, ar: { common: { item_few: '{{count}} عناصر' } } };
    const translator = createTranslator(custom);
    const cache = new TemplateCache(translator.i18n);
    const calls: [unknown, unknown][] = [];
    for (const count of [0, 1, 2, 3, 11, 100, 1.5]) calls.push(['common:item', { count }]);
    for (const context of [undefined, 'male', 'female', 'other']) {
      calls.push(['common:friend', { context, name: 'Sam' }]);
    }
    calls.push(
      ['common:nested', { name: 'Sam' }],
      ['common:raw', { html: '<i>x</i>' }],
      ['common:formatted', { n: 1234.5 }],
      ['common:dotted', { person: { name: 'Sam' } }],
      ['common:option', {}],
      ['common:option', { count: 2 }],
      ['common:spaced', { name: 'Sam' }],
      ['common:spaced', undefined],
      ['common:empty', undefined],
      ['common:section', undefined],
      ['common:section.inner', undefined],
      ['common:missing', undefined],
      ['common:missing', { name: 'Sam' }],
      ['missing', undefined],
      ['nowhere:missing.key', undefined],
      ['common:plain', 'a default value'],
      ['common:missing', { defaultValue: 'the default {{name}}', name: 'Sam' }],
      [['common:missing', 'common:plain'], undefined],
    );
    for (const lng of ['en', 'ar'] as const) {
      const fast = loose(cache.fixedT(lng));
      const slow = loose(translator.i18n.getFixedT(lng));
      for (const [key, options] of calls) {
        assert.deepEqual(fast(key, options), slow(key, options), `${lng} ${JSON.stringify([key, options])}`);
      }
    }
    // Arabic's forms really differ (few from its own file, the rest from English).
    const ar = loose(cache.fixedT('ar'));
    assert.equal(ar('common:item', { count: 3 }), '3 عناصر');
    // Two has no Arabic line: English's plural for 2 (other), as i18next chooses.
    assert.equal(ar('common:item', { count: 2 }), '2 items');
  });

  it('follows overrides changed while Haven runs (set, and reset to the shipped text)', () => {
    const translator = createTranslator(resources);
    const cache = new TemplateCache(translator.i18n);
    const en = loose(cache.fixedT('en'));
    const ar = loose(cache.fixedT('ar'));
    const key = 'common:nav.messages';
    const shippedEn = en(key);
    const shippedAr = ar(key);
    assert.ok(cache.size >= 2, 'both were kept as templates');
    const sink = overrideSinkOf(translator, shippedStringsOf(resources));

    sink('en', key, 'Come in, {{who}}');
    assert.equal(en(key), 'Come in, {{who}}');
    assert.equal(en(key, { who: 'Sam' }), 'Come in, Sam');
    assert.equal(ar(key), shippedAr, 'Arabic has its own text');
    sink('ar', key, 'ادخل');
    assert.equal(ar(key), 'ادخل');
    sink('en', key, null);
    sink('ar', key, null);
    assert.equal(en(key), shippedEn);
    assert.equal(ar(key), shippedAr);
    // A whole bundle removed: the fallback (English) answers, as i18next does.
    translator.i18n.removeResourceBundle('ar', 'common');
    assert.equal(ar(key), shippedEn);
    assert.equal(ar(key), loose(translator.i18n.getFixedT('ar'))(key));
  });

  it('answers a kept key without calling i18next at all', () => {
    const translator = createTranslator(resources);
    const cache = new TemplateCache(translator.i18n);
    const fr = loose(cache.fixedT('fr'));
    const first = fr('common:nav.messages');
    const unread = [1, 2, 7].map((count) => fr('common:nav.unread', { count }));
    const instance = translator.i18n as unknown as { t: (...args: unknown[]) => unknown };
    const original = instance.t;
    let calls = 0;
    instance.t = (...args) => {
      calls += 1;
      return original.apply(translator.i18n, args);
    };
    try {
      for (let i = 0; i < 100; i += 1) assert.equal(fr('common:nav.messages'), first);
      // A plural form kept for one count serves every count of that form (12: 'other', as 7).
      assert.deepEqual(
        [1, 2, 7, 12].map((count) => fr('common:nav.unread', { count })),
        [...unread, String(unread[2]).replace('7', '12')],
      );
      assert.equal(calls, 0);
      fr('common:missing.key'); // not a template: i18next answers
      assert.equal(calls, 1);
    } finally {
      instance.t = original;
    }
  });

  it('keeps i18next’s properties on the fixed t (lng, ns), which problemText reads', () => {
    const translator = createTranslator(resources);
    const t = translator.fixedT('ar') as unknown as { lng: string };
    assert.equal(t.lng, 'ar');
  });

  it('compiles only plain placeholders and writes values as i18next does', () => {
    assert.equal(compileTemplate('a {{- b}}'), null);
    assert.equal(compileTemplate('$t(x) y'), null);
    assert.equal(compileTemplate('{{a.b}}'), null);
    assert.equal(compileTemplate('{{n, number}}'), null);
    assert.equal(compileTemplate('{{count}}'), null);
    const template = compileTemplate('Hi {{ name }}, {{n}}!');
    assert.ok(template);
    assert.equal(renderTemplate(template, undefined), 'Hi {{ name }}, {{n}}!');
    assert.equal(renderTemplate(template, { name: null, n: 3 }), 'Hi , 3!');
    assert.equal(renderTemplate(template, { name: undefined }), 'Hi , {{n}}!');
  });
});
