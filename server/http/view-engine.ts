import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import ejs, { type TemplateFunction } from 'ejs';
import { createTranslator, languageOf, SOURCE_LANGUAGE, type Translator } from '../i18n';
import { languageViewLocals } from './middleware/language-locals';
import { escapeForViews } from './view-escape';

type RenderCallback = (error: Error | null, html?: string) => void;
type Locals = Record<string, unknown>;

/**
 * EJS with one layout: a page renders first, then `layouts/main.ejs` wraps it with `body` set to the
 * page's HTML. A page may choose another layout with `layout: 'name'` or none with `layout: false`.
 * (EJS has includes but no layouts; this is the whole of what we need from a layout library.)
 *
 * A page names itself for the layout's <title> with `<% head.title = t('feature:x.title') %>`: the
 * `head` object is the one thing the page and its layout share (each template writes its own
 * variables on its own object), so a page's title is written in its own language next to its
 * heading, not in the route.
 *
 * `partial('feature/_row', { a })` writes one row of a list: the view is named from the views
 * folder and sees the page's locals and `data`. It does not see variables the including template
 * declared or assigned itself: pass what it needs in `data`.
 *
 * A view whose first line is `<%# locals a, t: … %>` (a row of a long list) sees only the locals it
 * names: it is compiled without `with` (EJS's `destructuredLocals`) and reads each name once from its
 * locals chain, with no copy of the page's ~60 locals per row (most of what a list of rows cost,
 * issue 21). A name it uses and does not list is a ReferenceError, so a test rendering it shows it.
 *
 * Every template here (pages, layouts, `include`d and `partial` views) is compiled once in production
 * and rendered by CompiledViews below, not by `ejs.renderFile`/EJS's own `include`: those copied every
 * local (~60 of them) twice for each template and each include, the layout's locals once more, and
 * looked for an included file on disk on every call, which was most of the layout's cost on every
 * page (issue 21). Rendering a page now costs 0.6-0.8 of what it did.
 */
export function layoutEngine(viewsDir: string, cache: boolean, translator: Translator = createTranslator()) {
  // Under a request's own (language-locals.ts): English, for a page rendered before those are set.
  const english = nullPrototype(
    languageViewLocals(translator, SOURCE_LANGUAGE, languageOf(SOURCE_LANGUAGE).locale, []),
  );
  const views = new CompiledViews(viewsDir, cache);
  return (file: string, options: object, callback: RenderCallback): void => {
    let html: string;
    try {
      // One object per render, over the English words; every template gets a child of it.
      const locals = assignLocals(Object.create(english) as Locals, options as Locals);
      locals.head = {} as { title?: string };
      locals.partial = (view: string, data: Readonly<Locals> = {}): string =>
        views.render(views.partialFile(view), assignLocals(Object.create(locals) as Locals, data));
      html = views.render(file, locals);
      if (locals.layout !== false) {
        const layout = join(
          viewsDir,
          'layouts',
          `${typeof locals.layout === 'string' ? locals.layout : 'main'}.ejs`,
        );
        const layoutLocals = Object.create(locals) as Locals;
        layoutLocals.body = html;
        html = views.render(layout, layoutLocals);
      }
    } catch (error) {
      return callback(error as Error);
    }
    callback(null, html);
  };
}

/**
 * Copies `from`'s own enumerable properties as EJS's include did (utils.shallowCopy: not
 * `__proto__` or `constructor`).
 */
function assignLocals(to: Locals, from: Readonly<Locals>): Locals {
  // Object.assign is several times faster than a loop; the two names it would not skip are rare.
  if (!Object.hasOwn(from, 'constructor') && !Object.hasOwn(from, '__proto__'))
    return Object.assign(to, from);
  for (const key of Object.keys(from)) {
    if (key !== '__proto__' && key !== 'constructor') to[key] = from[key];
  }
  return to;
}

/**
 * The one object a template runs with: every local along `locals`' prototype chain, the nearest
 * winning, on an object of its own (what the template assigns stays there, as on EJS's copy).
 * Flat because `with (locals)` looks up every name the template uses (and EJS's own variables) on
 * it: through a chain of five or six objects that cost more than this one copy.
 */
function flatten(locals: Locals): Locals {
  const chain: Locals[] = [];
  for (let p: Locals | null = locals; p; p = Object.getPrototypeOf(p) as Locals | null) chain.push(p);
  const flat = Object.create(null) as Locals;
  for (let i = chain.length - 1; i >= 0; i--) assignLocals(flat, chain[i]!);
  return flat;
}

/** `with (locals)` in a template must not find Object.prototype's names, as EJS's copies did not. */
function nullPrototype(from: Readonly<Locals>): Locals {
  return assignLocals(Object.create(null) as Locals, from);
}

/** A compiled template, and whether it reads only the locals it names (declaredLocals). */
interface Template {
  readonly fn: TemplateFunction;
  readonly lean: boolean;
}

/**
 * The names a view's first line declares as all it reads (`<%# locals a, t: what the view is %>`),
 * or null for a view that sees every local. A lean view cannot call `include` (it has none of ours).
 */
export function declaredLocals(text: string): string[] | null {
  const match = /^<%#\s*locals\s+([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\s*:/.exec(text);
  if (!match) return null;
  const names = match[1]!.split(',').map((name) => name.trim());
  if (names.includes('include')) throw new Error('a view that names its locals cannot include others');
  return names;
}

/**
 * Compiled templates by file, each rendered with one copy of its locals (EJS made two per include).
 *
 * The engine hands locals down as a chain (a partial's or an include's locals are a child of its
 * parent's with `data` on it: no copy). A template runs with one flat copy of its chain
 * (flatten(), passed as is: EJS's `unsafePrototypeLocals`) that also holds an `include` of its own:
 * inside the template's `with (locals)` that name is found before EJS's `include` parameter, so
 * every `include(path, data)` in the views comes here. Like EJS's, it sees the including
 * template's locals (not what the template assigned) and `data`, and finds `path` next to the
 * including file first, then in the views folder; the answer is kept with the compiled templates.
 */
class CompiledViews {
  readonly #viewsDir: string;
  readonly #cache: boolean;
  readonly #templates = new Map<string, Template>();
  readonly #includePaths = new Map<string, string>();

  constructor(viewsDir: string, cache: boolean) {
    this.#viewsDir = viewsDir;
    this.#cache = cache;
  }

  render(filename: string, locals: Locals): string {
    const template = this.#template(filename);
    // A view that names its locals reads them from the chain itself: no copy.
    if (template.lean) return template.fn(locals);
    const own = flatten(locals);
    own.include = (path: string, data?: Readonly<Locals>): string => {
      const child = Object.create(locals) as Locals;
      return this.render(this.#includePath(filename, path), data ? assignLocals(child, data) : child);
    };
    return template.fn(own);
  }

  /** A `partial()` view's file: a name from the views folder, never a way out of it. */
  partialFile(view: string): string {
    if (!/^[\w-]+(\/[\w-]+)*$/.test(view)) throw new Error(`not a view name: ${view}`);
    return join(this.#viewsDir, `${view}.ejs`);
  }

  #template(filename: string): Template {
    const kept = this.#templates.get(filename);
    if (kept) return kept;
    // As EJS reads a template: the file's text without a byte-order mark.
    const text = readFileSync(filename, 'utf8').replace(/^\uFEFF/, '');
    const names = declaredLocals(text);
    // EJS 7's option (its @types predate it): call the template with our object, not a copy.
    const options: ejs.Options & { async: false; client: false; unsafePrototypeLocals: boolean } = {
      filename,
      root: this.#viewsDir,
      views: [this.#viewsDir],
      async: false,
      client: false,
      unsafePrototypeLocals: true,
      escape: escapeForViews,
      ...(names ? { _with: false, strict: true, destructuredLocals: names } : {}),
    };
    const compiled: Template = { fn: ejs.compile(text, options), lean: names !== null };
    if (this.#cache) this.#templates.set(filename, compiled);
    return compiled;
  }

  /** Where EJS's include would look (ejs getIncludePath): an absolute path from the views folder, else beside the includer, else in the views folder. */
  #includePath(from: string, path: string): string {
    const key = `${from}\0${path}`;
    const kept = this.#includePaths.get(key);
    if (kept) return kept;
    const withExt = (p: string): string => (extname(path) ? p : `${p}.ejs`);
    let found: string | undefined;
    if (/^[A-Za-z]+:\\|^\//.test(path)) {
      found = withExt(resolve(this.#viewsDir, path.replace(/^\/*/, '')));
    } else {
      found = [withExt(resolve(dirname(from), path)), withExt(resolve(this.#viewsDir, path))].find((p) =>
        existsSync(p),
      );
    }
    if (!found) throw new Error(`Could not find the include file "${ejs.escapeXML(path)}"`);
    if (this.#cache) this.#includePaths.set(key, found);
    return found;
  }
}
