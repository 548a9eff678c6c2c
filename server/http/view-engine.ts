import { join } from 'node:path';
import ejs from 'ejs';

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * EJS with one layout: a page renders first, then `layouts/main.ejs` wraps it with `body` set to the
 * page's HTML. A page may choose another layout with `layout: 'name'` or none with `layout: false`.
 * (EJS has includes but no layouts; this is the whole of what we need from a layout library.)
 */
export function layoutEngine(viewsDir: string, cache: boolean) {
  return (file: string, options: object, callback: RenderCallback): void => {
    const locals = options as Record<string, unknown>;
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
