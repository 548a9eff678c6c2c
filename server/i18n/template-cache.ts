import type { i18n, TFunction } from 'i18next';
import type { LanguageCode } from './languages';

/**
 * A cheaper `t` for the calls pages make most: a key alone, or a key with the values its text
 * names. i18next runs its whole pipeline on every call (split the namespace from the key, walk the
 * language chain, copy the options twice, rebuild and compare its RegExps, interpolate, look for
 * nesting): about a tenth of a page's CPU (issue 21). Here each (language, key) is resolved once
 * into a compiled template — literal text and placeholder names — and later calls only join the
 * pieces.
 *
 * Exactly i18next's output, or i18next itself:
 * - only a plain string key, with no options or options whose every key is a placeholder the
 *   text uses or a numeric `count` (so `context`, `ordinal`, `defaultValue`, `lng`, `replace`…
 *   always go to i18next); a plural is kept per form, keyed by i18next's own plural suffix for the
 *   count in each language of the fallback chain;
 * - only texts whose placeholders are plain names (no `{{- x}}`, no `{{x, format}}`, no dotted
 *   paths, no `$t(…)` nesting, none named like an i18next option);
 * - a template is kept only if it gives i18next's own answer for sentinel values and for no values;
 * - missing keys, objects and everything else are i18next's.
 * Any change to the strings (an admin's override, a bundle added or removed: the resource store's
 * `added`/`removed` events) drops every template, so the next call reads the new text.
 */

/** A compiled text: `literals[0] + value(names[0]) + literals[1] + … + literals[n]`. */
interface Template {
  readonly literals: readonly string[];
  readonly names: readonly string[];
  /** Each placeholder exactly as written (`{{ name }}`): what i18next leaves when no value is given. */
  readonly written: readonly string[];
  readonly nameSet: ReadonlySet<string>;
}

/** A key whose text this module does not handle: i18next answers it every time. */
const UNHANDLED = null;

type Values = Readonly<Record<string, unknown>>;
/** i18next's own fixed `t`, loosely typed: the fallback for everything the templates do not handle. */
type SlowT = (key: unknown, options?: unknown, ...rest: unknown[]) => string;
/** A call's count: none, written as text (no plural form chosen), or a number (a plural form). */
type Count = undefined | 'text' | number;

/**
 * Options i18next reads from a call's values (translate, resolve, extendTranslation, interpolate,
 * nest, getFixedT): a text naming one of these as a placeholder is left to i18next.
 */
const OPTION_NAMES: ReadonlySet<string> = new Set([
  'count',
  'context',
  'ordinal',
  'replace',
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'keyPrefix',
  'keySeparator',
  'nsSeparator',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'applyPostProcessor',
  'interpolation',
  'skipInterpolation',
  'missingInterpolationHandler',
  'nest',
  'appendNamespaceToCIMode',
  'missingKeyNoValueFallbackToKey',
  '__proto__',
  'constructor',
  'prototype',
]);

/** i18next's default placeholder pattern (prefix `{{`, suffix `}}`, lazy, one line). */
const PLACEHOLDER = /\{\{(.+?)\}\}/g;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** More distinct keys than this per language are not kept (a key built from input cannot grow memory). */
const MAX_TEMPLATES_PER_LANGUAGE = 20_000;

const NO_NAMES: ReadonlySet<string> = new Set();
/** A plural's text may write its count. */
const COUNT: ReadonlySet<string> = new Set(['count']);

/**
 * Compiles a text, or UNHANDLED if any placeholder is more than a plain name or names an i18next
 * option (other than those in `allowed`).
 */
export function compileTemplate(
  text: string,
  allowed: ReadonlySet<string> = NO_NAMES,
): Template | typeof UNHANDLED {
  if (text.includes('{{-') || text.includes('$t(')) return UNHANDLED;
  const literals: string[] = [];
  const names: string[] = [];
  const written: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!.trim();
    if (!PLAIN_NAME.test(name) || name.startsWith('defaultValue')) return UNHANDLED;
    if (OPTION_NAMES.has(name) && !allowed.has(name)) return UNHANDLED;
    literals.push(text.slice(last, match.index));
    names.push(name);
    written.push(match[0]);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  if (names.length > 1000) return UNHANDLED; // i18next's maxReplaces
  return { literals, names, written, nameSet: new Set(names) };
}

/**
 * The template's text with `values`, as i18next (escapeValue: false, skipOnVariables: true) writes
 * it: a value given is written as String(value) ('' for null and undefined); a placeholder with no
 * such key is left as written.
 */
export function renderTemplate(template: Template, values: Values | undefined): string {
  const { literals, names } = template;
  if (names.length === 0) return literals[0]!;
  let out = literals[0]!;
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i]!;
    if (values !== undefined && Object.hasOwn(values, name)) {
      const value = values[name];
      out += value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
    } else {
      out += template.written[i]!;
    }
    out += literals[i + 1]!;
  }
  return out;
}

/**
 * Whether a call's values are only placeholders of the template or the plural's count (nothing
 * else i18next would read as an option).
 */
function onlyPlaceholders(template: Template, values: object): boolean {
  for (const key of Object.keys(values)) if (!template.nameSet.has(key) && key !== 'count') return false;
  return true;
}

/** Sentinel values no translation contains: a template is kept only if i18next writes them the same. */
function sentinels(template: Template): Record<string, string> {
  return Object.fromEntries(template.names.map((name) => [name, `\u0000${name}\u0001{{${name}}}\u0002`]));
}

/**
 * Templates per language over one i18next instance; `fixedT(lng)` gives a `t` that answers from
 * them where it safely can and asks i18next otherwise.
 */
export class TemplateCache {
  readonly #i18n: i18n;
  readonly #byLanguage = new Map<string, Map<string, Template | typeof UNHANDLED>>();

  constructor(instance: i18n) {
    this.#i18n = instance;
    // Every change to the strings (addResource, addResourceBundle, removeResourceBundle) passes here.
    const forget = (): void => this.#byLanguage.clear();
    instance.store.on('added', forget);
    instance.store.on('removed', forget);
  }

  /** How many templates are kept now (for tests). */
  get size(): number {
    let n = 0;
    for (const kept of this.#byLanguage.values()) n += kept.size;
    return n;
  }

  /** A `t` fixed to `lng`, with the same properties as i18next's (`lng`, `ns`, `keyPrefix`). */
  fixedT(lng: LanguageCode): TFunction {
    const slow = this.#i18n.getFixedT(lng);
    const call = slow as unknown as SlowT;
    const plurals = this.#pluralTagger(lng);
    const fast = (key: unknown, options?: unknown, ...rest: unknown[]): string => {
      if (typeof key === 'string' && rest.length === 0) {
        if (options === undefined) {
          const template = this.#template(lng, key, key, undefined, call);
          if (template !== UNHANDLED) return renderTemplate(template, undefined);
        } else if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
          const values = options as Values;
          const count = Object.hasOwn(values, 'count') ? values.count : undefined;
          if (count === undefined) {
            const template = this.#template(lng, key, key, undefined, call);
            if (template !== UNHANDLED && onlyPlaceholders(template, values)) {
              return renderTemplate(template, values);
            }
          } else if (typeof count === 'string') {
            // A count written as text (`number(n)`): i18next chooses no plural form, only writes it.
            const template = this.#template(lng, key, `${key}\u0000text`, 'text', call);
            if (template !== UNHANDLED && onlyPlaceholders(template, values)) {
              return renderTemplate(template, values);
            }
          } else if (typeof count === 'number' && Number.isFinite(count)) {
            // A plural: the form i18next chooses depends only on the count's category in each
            // language it looks in (and on whether it is 0), so that is what a template is kept by.
            const template = this.#template(lng, key, `${key}\u0000${plurals(count)}`, count, call);
            if (template !== UNHANDLED && onlyPlaceholders(template, values)) {
              return renderTemplate(template, values);
            }
          }
        }
      }
      return call(key, options, ...rest);
    };
    const { lng: fixedLng, ns, keyPrefix } = slow as unknown as Record<'lng' | 'ns' | 'keyPrefix', unknown>;
    return Object.assign(fast, { lng: fixedLng, ns, keyPrefix }) as unknown as TFunction;
  }

  /**
   * What decides a plural's form in `lng`: i18next's own suffix for the count in each language it
   * looks in (the reader's, then English), and whether the count is 0 (a `_zero` key comes first).
   */
  #pluralTagger(lng: string): (count: number) => string {
    const services = this.#i18n.services as unknown as {
      languageUtils: { toResolveHierarchy(code: string): string[] };
      pluralResolver: { getSuffix(code: string, count: number): string };
    };
    const chain = services.languageUtils.toResolveHierarchy(lng);
    return (count) => {
      let tag = count === 0 ? '0' : '';
      for (const code of chain) tag += services.pluralResolver.getSuffix(code, count);
      return tag;
    };
  }

  #template(
    lng: string,
    key: string,
    cacheKey: string,
    count: Count,
    slow: SlowT,
  ): Template | typeof UNHANDLED {
    let kept = this.#byLanguage.get(lng);
    if (!kept) {
      kept = new Map();
      this.#byLanguage.set(lng, kept);
    }
    const found = kept.get(cacheKey);
    if (found !== undefined) return found;
    const template = this.#compile(lng, key, count, slow);
    if (kept.size < MAX_TEMPLATES_PER_LANGUAGE) kept.set(cacheKey, template);
    return template;
  }

  /**
   * The key's text in `lng` (or its fallback; for a plural, the form for `count`), compiled, if
   * i18next agrees with the template.
   */
  #compile(lng: string, key: string, count: Count, slow: SlowT): Template | typeof UNHANDLED {
    const plural = typeof count === 'number' ? { count } : {};
    // A missing key or one naming an object is i18next's to answer (it writes the key, or a sentence).
    if (!this.#i18n.exists(key, { lng, returnObjects: false, ...plural })) return UNHANDLED;
    const text: unknown = slow(key, { skipInterpolation: true, ...plural });
    if (typeof text !== 'string') return UNHANDLED;
    const template = compileTemplate(text, count === undefined ? NO_NAMES : COUNT);
    if (template === UNHANDLED) return UNHANDLED;
    // Proof by i18next itself, once per key: with no values (but a plural's count) and with sentinel values.
    const bare = typeof count === 'number' ? plural : undefined;
    if (slow(key, bare) !== renderTemplate(template, bare)) return UNHANDLED;
    const values = { ...sentinels(template), ...plural };
    if (template.names.length > 0 && slow(key, values) !== renderTemplate(template, values)) return UNHANDLED;
    return template;
  }
}
