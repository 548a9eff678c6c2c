import type { OverrideSink, ShippedStrings } from '../admin';
import { LANGUAGE_CODES, readResources, SOURCE_LANGUAGE, type Resources, type Translator } from '../i18n';
import { flattenKeys } from '../i18n/resource-keys';

/**
 * The strings Haven ships, as the clinic's override page sees them: `feature:dotted.key` → text per
 * language, read from the resource files (not the live translator, which holds the overrides).
 */
export function shippedStringsOf(resources: Resources = readResources()): ShippedStrings {
  const byLanguage = new Map<string, Map<string, string>>();
  for (const lng of LANGUAGE_CODES) {
    const flat = new Map<string, string>();
    for (const [ns, tree] of Object.entries(resources[lng] ?? {})) {
      for (const [key, text] of flattenKeys(tree)) flat.set(`${ns}:${key}`, text);
    }
    byLanguage.set(lng, flat);
  }
  const keys = [...(byLanguage.get(SOURCE_LANGUAGE)?.keys() ?? [])].sort();
  return {
    languages: () => LANGUAGE_CODES,
    keys: () => keys,
    text: (language, key) => byLanguage.get(language)?.get(key) ?? byLanguage.get(SOURCE_LANGUAGE)?.get(key),
  };
}

/** Puts a clinic's text (or, with null, the shipped one back) into the running translator: no restart. */
export function overrideSinkOf(translator: Translator, shipped: ShippedStrings): OverrideSink {
  return (language, key, value) => {
    const colon = key.indexOf(':');
    const text = value ?? shipped.text(language, key);
    if (colon < 0 || text === undefined) return;
    translator.i18n.addResource(language, key.slice(0, colon), key.slice(colon + 1), text);
  };
}
