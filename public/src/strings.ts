/**
 * A bundle's strings, in the page's language. The server renders only the strings one bundle needs
 * into `<script type="application/json" id="strings-<bundle>">` (views call `clientStrings('bundle-x')`,
 * from server/i18n/locales/<language>/bundle-x.json): no bundle carries every language, and none
 * carries another page's words. `{{name}}` placeholders and i18next v4 plurals (`key_one`, `key_few`,
 * … chosen by Intl.PluralRules in the page's language, when `count` is given) read as on the server.
 */
interface Tree {
  readonly [key: string]: string | Tree;
}

export type BundleT = (key: string, values?: Readonly<Record<string, string | number>>) => string;

export function bundleStrings(bundle: string): BundleT {
  let tree: Tree = {};
  const script = document.getElementById(`strings-${bundle}`);
  try {
    if (script?.textContent) tree = JSON.parse(script.textContent) as Tree;
  } catch {
    // A page without its strings still works: the key is shown, and the key check names it.
  }
  const plural = new Intl.PluralRules(document.documentElement.lang || 'en');
  const lookup = (key: string): string | undefined => {
    let node: string | Tree | undefined = tree;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  return (key, values = {}) => {
    const count = values.count;
    const text =
      (typeof count === 'number'
        ? (lookup(`${key}_${plural.select(count)}`) ?? lookup(`${key}_other`))
        : undefined) ??
      lookup(key) ??
      key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => String(values[name] ?? ''));
  };
}
