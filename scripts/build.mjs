#!/usr/bin/env node
// Builds what production runs: server TypeScript -> dist/ (tsc), client TypeScript under public/src/
// -> public/build/ (esbuild), and vendored styles copied out of node_modules so pages load nothing
// from another host.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

// The translations (server/i18n/locales/<language>/<feature>.json) are read at run time from next to
// the compiled code, as under tsx from next to the sources.
cpSync(join(root, 'server', 'i18n', 'locales'), join(root, 'dist', 'server', 'i18n', 'locales'), {
  recursive: true,
  filter: (path) => !path.endsWith('.md'),
});

const srcDir = join(root, 'public', 'src');
const entryPoints = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(srcDir, f));
await build({
  entryPoints,
  outdir: join(root, 'public', 'build'),
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});

const vendor = join(root, 'public', 'build', 'vendor');
mkdirSync(vendor, { recursive: true });
copyFileSync(require.resolve('@picocss/pico/css/pico.min.css'), join(vendor, 'pico.min.css'));
