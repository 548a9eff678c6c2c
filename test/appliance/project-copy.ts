import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Copies the project as a fresh clone of this working tree would have it (tracked files plus new
 * ones git does not ignore, with their current content) into `target`. The appliance test builds
 * and runs compose from there: like an operator's checkout it has no node_modules, dist or .env,
 * and nothing the test writes (docker/.env, docker/offline/) lands in the developer's tree.
 */
export function copyProject(root: string, target: string): number {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  })
    .split('\0')
    .filter(Boolean);
  let copied = 0;
  for (const file of new Set(files)) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    const stat = lstatSync(from);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to); // keeps the mode bits (scripts stay executable)
    copied += 1;
  }
  return copied;
}
