import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * What a clean clone must not hold: installed packages and build output. A worktree's node_modules
 * is often a symlink to another checkout's, and "node_modules/" in .gitignore did not match a
 * symlink, so one was committed once; a clean clone then had a dangling self-link where `npm ci`
 * installs, and the appliance test's copy of the project failed on it.
 */
describe('the repository tracks no installed or built files', () => {
  it('git tracks nothing under node_modules, dist or public/build', () => {
    const tracked = execFileSync('git', ['ls-files', '--', 'node_modules', 'dist', 'public/build'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(tracked.trim(), '', 'untrack these with git rm --cached');
  });

  it('.gitignore ignores a node_modules symlink as well as the folder', () => {
    const ignored = execFileSync('git', ['check-ignore', '--no-index', '-v', 'node_modules'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.match(ignored, /\.gitignore:\d+:node_modules\tnode_modules/);
  });
});
