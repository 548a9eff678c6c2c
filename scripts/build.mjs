#!/usr/bin/env node
// Builds what production runs: server TypeScript -> dist/ (tsc), client TypeScript under public/src/
// -> public/build/ (esbuild), and vendored styles copied out of node_modules so pages load nothing
// from another host.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
// MediaPipe's files (background effects, public/src/media/) are served from a folder named for the
// package version, so they can be cached for a year and a new version is a new address.
// (The package's main file sits at its root.)
const selfieDir = dirname(require.resolve('@mediapipe/selfie_segmentation'));
const selfieVersion = JSON.parse(readFileSync(join(selfieDir, 'package.json'), 'utf8')).version;
const mediapipePath = `/build/vendor/mediapipe/selfie-segmentation-${selfieVersion}`;
const define = { __MEDIAPIPE_PATH__: JSON.stringify(mediapipePath) };

await build({
  entryPoints,
  outdir: join(root, 'public', 'build'),
  define,
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

// MediaPipe's selfie segmentation (background effects) next to the bundles, all served by Haven.
const mediapipeDir = join(root, 'public', mediapipePath);
rmSync(join(vendor, 'mediapipe'), { recursive: true, force: true });
mkdirSync(mediapipeDir, { recursive: true });
// The loader, its wasm (with and without SIMD: it picks by what the browser supports), the packed
// graph and the models; not the package's README and type declarations.
for (const file of readdirSync(selfieDir))
  if (/\.(js|wasm|data|binarypb|tflite)$/.test(file))
    copyFileSync(join(selfieDir, file), join(mediapipeDir, file));
