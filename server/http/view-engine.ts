import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs, { type TemplateFunction } from 'ejs';
import { createTranslator, languageOf, SOURCE_LANGUAGE, type Translator } from '../i18n';
import { languageViewLocals } from './middleware/language-locals';

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * EJS with one layout: a page renders first, then `layouts/main.ejs` wraps it with `body` set to the
 * page's HTML. A page may choose another layout with `layout: 'name'` or none with `layout: false`.
 * (EJS has includes but no layouts; this is the whole of what we need from a layout library.)
 *
 * A page names itself for the layout's <title> with `<% head.title = t('feature:x.title') %>`: the
 * `head` object is the one thing the page and its layout share (EJS copies the rest), so a page's
 * title is written in its own language next to its heading, not in the route.
 *
 * `partial('feature/_row', { a })` is a cheaper `include` for one row of a list: the view is named
 * from the views folder, compiled once (in production), and sees the page's locals and `data`. EJS's
 * `include` copies every local three times and looks for the file on disk on every call, which per
 * row of a long list was a measurable share of a page (issue 21). A partial does not see variables the
 * including template declared or assigned itself: pass what it needs in `data`.
 */
export function layoutEngine(viewsDir: string, cache: boolean, translator: Translator = createTranslator()) {
  // Under a request's own (language-locals.ts): English, for a page rendered before those are set.
  const english = languageViewLocals(translator, SOURCE_LANGUAGE, languageOf(SOURCE_LANGUAGE).locale, []);
  const ejsOptions = { cache, root: viewsDir, views: [viewsDir] };
  const partials = new PartialTemplates(viewsDir, ejsOptions);
  return (file: string, options: object, callback: RenderCallback): void => {
    const locals: Record<string, unknown> = {
      ...english,
      ...(options as Record<string, unknown>),
      head: {} as { title?: string },
    };
    locals.partial = (view: string, data: Readonly<Record<string, unknown>> = {}): string =>
      partials.get(view)(Object.assign(Object.create(null) as Record<string, unknown>, locals, data));
    ejs.renderFile(file, locals, ejsOptions, (error, body) => {
      if (error) return callback(error);
      if (locals.layout === false) return callback(null, body);
      const layout = join(
        viewsDir,
        'layouts',
        `${typeof locals.layout === 'string' ? locals.layout : 'main'}.ejs`,
      );
      ejs.renderFile(layout, { ...locals, body }, ejsOptions, callback);
    });
  };
}

/** Compiled partials by view name: kept when EJS keeps its templates (production), read each time otherwise. */
class PartialTemplates {
  readonly #viewsDir: string;
  readonly #options: { readonly cache: boolean; readonly root: string; readonly views: string[] };
  readonly #kept = new Map<string, TemplateFunction>();

  constructor(
    viewsDir: string,
    options: { readonly cache: boolean; readonly root: string; readonly views: string[] },
  ) {
    this.#viewsDir = viewsDir;
    this.#options = options;
  }

  get(view: string): TemplateFunction {
    const kept = this.#kept.get(view);
    if (kept) return kept;
    if (!/^[\w-]+(\/[\w-]+)*$/.test(view)) throw new Error(`not a view name: ${view}`);
    const filename = join(this.#viewsDir, `${view}.ejs`);
    // As EJS reads a template: the file's text without a byte-order mark.
    const compiled = ejs.compile(readFileSync(filename, 'utf8').replace(/^\uFEFF/, ''), {
      ...this.#options,
      filename,
    });
    if (this.#options.cache) this.#kept.set(view, compiled);
    return compiled;
  }
}
