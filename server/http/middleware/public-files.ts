import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import express, { type RequestHandler } from 'express';

/** The folder `npm run build` writes into public/ (it may appear after Haven started, in development). */
const BUILD_FOLDER = 'build';

/**
 * The top-level name under the public folder that a static lookup of `path` would open, resolved as
 * `send` (behind express.static) resolves it: decoded, then normalised (`//css/a.css`,
 * `/./css/a.css` and `/x/../css/a.css` all open css/a.css). Null when `send` refuses the path
 * before touching the disk (it cannot be decoded).
 */
export function firstPublicName(path: string): string | null {
  // Most paths (every page's) have nothing to decode or normalise: their first segment is the name.
  if (path.length > 1 && !path.includes('%') && !path.includes('/.') && !path.includes('//')) {
    const end = path.indexOf('/', 1);
    return end === -1 ? path.slice(1) : path.slice(1, end);
  }
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return null;
    }
  }
  const normalized = posix.normalize(`./${decoded}`);
  const end = normalized.indexOf('/');
  return end === -1 ? normalized : normalized.slice(0, end);
}

/**
 * express.static for the public folder, asked only about paths that can name a file there.
 *
 * Mounted at `/`, express.static stats the disk for every request, pages included, and only learns
 * from ENOENT that `/messages` is not a file: about 5% of a cheap page's CPU (issue 21). A path can
 * only be a public file if its first name is one of the folder's top-level entries (build/, css/,
 * favicon.svg, …), so every other path skips the lookup. The names are read once, when the app is
 * built, plus build/ (written by `npm run build`, which may run after Haven started); a top-level
 * entry added later is served after a restart. Every file, folder redirect (`/css` → `/css/`) and
 * refusal is what express.static answers, because it still answers every path that could be a file.
 */
export function publicFiles(root: string, options: Parameters<typeof express.static>[1]): RequestHandler {
  const serve = express.static(root, options);
  const names = new Set([...readdirSync(root), BUILD_FOLDER]);
  return (req, res, next) => {
    const name = firstPublicName(req.path);
    if (name !== null && names.has(name)) return serve(req, res, next);
    next();
  };
}
