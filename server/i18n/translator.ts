import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { LANGUAGE_CODES, SOURCE_LANGUAGE, type LanguageCode } from './languages';
import { TemplateCache } from './template-cache';

/**
 * Where the resource files live: `locales/<language>/<feature>.json` (i18next JSON v4: nested keys,
 * plurals as `key_one`/`key_other`/… chosen by Intl.PluralRules). The build copies the folder next
 * to the compiled code, so this path is right under tsx and from dist/ alike.
 */
export const LOCALES_DIR = join(__dirname, 'locales');

/** A feature file's contents: nested objects whose leaves are strings. */
export interface ResourceTree {
  readonly [key: string]: string | ResourceTree;
}

/** language → feature (namespace) → keys. */
export type Resources = Record<string, Record<string, ResourceTree>>;

/** Reads every `<language>/<feature>.json` under `dir` (a malformed file stops start-up, naming it). */
export function readResources(dir: string = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const lng of LANGUAGE_CODES) {
    const folder = join(dir, lng);
    resources[lng] = {};
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const path = join(folder, file);
      try {
        resources[lng][file.slice(0, -'.json'.length)] = JSON.parse(
          readFileSync(path, 'utf8'),
        ) as ResourceTree;
      } catch (error) {
        throw new Error(`cannot read the translation file ${path}: ${(error as Error).message}`);
      }
    }
  }
  return resources;
}

/** What views, routes and mail get: a `t` bound to one language, and a bundle's strings. */
export interface Translator {
  /** `t('common:header.signIn')`, `t('scheduling:slots', { count: 3 })` in `lng`, English where a key is missing. */
  fixedT(lng: LanguageCode): TFunction;
  /**
   * One feature file's strings in `lng` over English's (so a missing key still reads), for a client
   * bundle: the page renders them into a JSON script tag and the bundle reads only those.
   */
  strings(lng: LanguageCode, namespace: string): ResourceTree;
  /** The i18next instance, for adding a clinic's overrides (addResourceBundle) at start-up. */
  readonly i18n: i18n;
}

/** One i18next instance for the whole process, initialised synchronously from the resource files. */
export function createTranslator(resources: Resources = readResources()): Translator {
  const namespaces = [...new Set(Object.values(resources).flatMap((byNs) => Object.keys(byNs)))];
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: SOURCE_LANGUAGE,
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: [...LANGUAGE_CODES],
    ns: namespaces,
    defaultNS: 'common',
    // EJS escapes what `<%= %>` writes; escaping here too would show `&amp;` to the reader.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  // Pages call `t` a few hundred times each: answered from compiled templates where that is
  // provably i18next's answer (template-cache.ts).
  const templates = new TemplateCache(instance);
  const fixed = new Map<LanguageCode, TFunction>();
  return {
    fixedT(lng) {
      let t = fixed.get(lng);
      if (!t) {
        t = templates.fixedT(lng);
        fixed.set(lng, t);
      }
      return t;
    },
    strings(lng, namespace) {
      const english = (instance.getResourceBundle(SOURCE_LANGUAGE, namespace) ?? {}) as ResourceTree;
      const own = (instance.getResourceBundle(lng, namespace) ?? {}) as ResourceTree;
      return mergeTrees(english, own);
    },
    i18n: instance,
  };
}

function mergeTrees(base: ResourceTree, over: ResourceTree): ResourceTree {
  const out: Record<string, string | ResourceTree> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    out[key] = typeof value === 'object' && typeof below === 'object' ? mergeTrees(below, value) : value;
  }
  return out;
}
