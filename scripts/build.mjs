#!/usr/bin/env node
// Builds the compiled node: dist/ from src/ (tsconfig.build.json), then the files the code reads at
// run time beside its own module (`new URL('…', import.meta.url)`), so that dist/ runs on its own.
// dist/ is emptied first: a source file removed or renamed must not survive as stale JavaScript.
// Run by `npm run build` and by `prepare`, which `npm install` and `npm ci` run. `--out DIR` builds
// elsewhere (inside the package, so that DIR still finds node_modules), leaving dist/ alone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const dist = path.resolve(root, values.out);

/** Data files read at run time. Not `.mjs`: the only one, the records writer's bootstrap, exists to
 * load TypeScript in a worker thread, which compiled code has no need of (see records/recorder.ts). */
const ASSET_EXTENSIONS = new Set(['.csv', '.json']);
/** The dashboard's stylesheet and client script: browser files, served as they are written. */
const BROWSER_ASSETS = path.join('portal', 'dashboard', 'assets');
const BROWSER_EXTENSIONS = new Set(['.css', '.js']);

// The output directory is emptied: refuse one that is not a directory of its own inside the package.
const inside = path.relative(root, dist);
if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside) || !path.relative(dist, src).startsWith('..') || !path.relative(src, dist).startsWith('..')) {
  process.stderr.write(`build: --out must be a directory of its own inside the package, not ${values.out}\n`);
  process.exit(2);
}

// A production install (`npm ci --omit=dev`) runs `prepare` too, without the compiler: it keeps the
// build it was shipped with, made where the devDependencies were installed.
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(path.join(dist, 'cli', 'main.js'))) {
    process.stdout.write(`build: no TypeScript compiler (devDependencies omitted); keeping the existing ${path.relative(root, dist)}/\n`);
    process.exit(0);
  }
  process.stderr.write('build: the TypeScript compiler is a devDependency: install with them (npm ci), or ship a built dist/\n');
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });

const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write(`build: the TypeScript compiler reported errors; ${path.relative(root, dist)}/ is incomplete\n`);
  process.exit(compiled.status ?? 1);
}

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const from = path.join(entry.parentPath, entry.name);
  const browser = path.relative(src, entry.parentPath) === BROWSER_ASSETS && BROWSER_EXTENSIONS.has(path.extname(entry.name));
  if (!browser && !ASSET_EXTENSIONS.has(path.extname(entry.name))) continue;
  cpSync(from, path.join(dist, path.relative(src, from)));
  copied++;
}
process.stdout.write(`build: ${path.relative(root, dist)}/ compiled, ${copied} data file(s) copied\n`);
