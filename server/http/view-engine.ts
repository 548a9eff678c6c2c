import { join } from 'node:path';
import ejs from 'ejs';
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
 */
export function layoutEngine(viewsDir: string, cache: boolean, translator: Translator = createTranslator()) {
  // Under a request's own (language-locals.ts): English, for a page rendered before those are set.
  const english = languageViewLocals(translator, SOURCE_LANGUAGE, languageOf(SOURCE_LANGUAGE).locale, []);
  return (file: string, options: object, callback: RenderCallback): void => {
    const locals: Record<string, unknown> = {
      ...english,
      ...(options as Record<string, unknown>),
      head: {} as { title?: string },
    };
    const ejsOptions = { cache, root: viewsDir, views: [viewsDir] };
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
