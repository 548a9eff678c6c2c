import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project root (the folder holding package.json), found by walking up from this file. The same
 * code runs from `server/` under tsx and from `dist/server/` when compiled, so fixed `../..` paths
 * would be wrong in one of them.
 */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
export const PUBLIC_DIR = join(PROJECT_ROOT, 'public');
