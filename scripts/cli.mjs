#!/usr/bin/env node
// Runs one of Haven's operator commands (server/cli/<name>.ts) from the compiled server in dist/:
//
//   node scripts/cli.mjs <name> [arguments…]      (what `npm run outbox`, `npm run migrate`… do)
//
// It never builds: compiling takes half a minute and is the job of `npm run build` (and of
// `npm start`, which builds first), so a command answers in about a second. When dist/ is missing
// it says what to run; when the sources changed after the last build it runs the built code and
// says so. Exit codes are the command's own.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const commands = readdirSync(join(root, 'server', 'cli'), { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && e.name !== 'cli-support.ts')
  .map((e) => e.name.slice(0, -3))
  .sort();

if (!name || !commands.includes(name)) {
  process.stderr.write(`usage: node scripts/cli.mjs <${commands.join('|')}> [arguments]\n`);
  process.exit(64); // EX_USAGE
}

const compiled = join(root, 'dist', 'server', 'cli', `${name}.js`);
if (!existsSync(compiled)) {
  process.stderr.write(
    `haven: ${name} is not built yet: run \`npm run build\` once (npm start also builds)\n`,
  );
  process.exit(69); // EX_UNAVAILABLE
}

/** Newest modification time of any .ts file under dir (a few hundred files: milliseconds). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
if (newestSource(join(root, 'server')) > statSync(compiled).mtimeMs) {
  process.stderr.write(
    'haven: note: server/ changed after the last build; this runs the built code (npm run build to update it)\n',
  );
}

const child = spawn(process.execPath, [compiled, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// A command ended by a signal exits as a shell reports it (128 + the signal's number).
child.on('exit', (code, signal) =>
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)),
);
