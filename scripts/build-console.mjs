#!/usr/bin/env node
// Bundles the lender console (console/ → dist/console/) with esbuild: one script and one
// stylesheet with content-hashed names (served for a year by src/http/routes/console-page.ts),
// the page that names them (index.html), and esbuild's metafile (meta.json, which also tells
// scripts/build.mjs which files the bundle was made from). Run by scripts/build.mjs, or alone.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The budget for everything the console page loads, gzipped. */
const BUDGET_GZIP_BYTES = 300 * 1024;

export async function buildConsole() {
  // Loaded here: `npm start` never needs esbuild, only `npm install` and `npm run build` do.
  const esbuild = await import('esbuild');
  const source = path.join(root, 'console');
  const out = path.join(root, 'dist', 'console');
  const assets = path.join(out, 'assets');
  // Old hashed files go: the page only ever names the new ones.
  rmSync(out, { recursive: true, force: true });
  mkdirSync(assets, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: path.join(source, 'src', 'main.tsx'), styles: path.join(source, 'src', 'styles.css') },
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    sourcemap: false,
    legalComments: 'none',
    tsconfig: path.join(source, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  });
  const names = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const name = path.basename(file);
    names[name.endsWith('.css') ? 'styles.css' : 'main.js'] = name;
  }
  // The icon, named by its content like the rest.
  const icon = readFileSync(path.join(source, 'favicon.svg'));
  names['favicon.svg'] = `favicon-${createHash('sha256').update(icon).digest('hex').slice(0, 8).toUpperCase()}.svg`;
  writeFileSync(path.join(assets, names['favicon.svg']), icon);

  const html = readFileSync(path.join(source, 'index.html'), 'utf8').replace(/\{\{([\w.]+)\}\}/g, (_, key) => {
    if (!names[key]) throw new Error(`console/index.html names {{${key}}}, which the build does not make`);
    return `/console/assets/${names[key]}`;
  });
  writeFileSync(path.join(out, 'index.html'), html);

  const sizes = Object.fromEntries(['main.js', 'styles.css'].map((key) => {
    const bytes = readFileSync(path.join(assets, names[key]));
    return [key, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
  }));
  const total = sizes['main.js'].gzip + sizes['styles.css'].gzip;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `console: ${names['main.js']} ${kb(sizes['main.js'].raw)} + ${names['styles.css']} ${kb(sizes['styles.css'].raw)}, ${kb(total)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)})`,
  );
  if (total > BUDGET_GZIP_BYTES) throw new Error(`The console bundle is ${kb(total)} gzipped, over its budget of ${kb(BUDGET_GZIP_BYTES)}`);
  // Written last: scripts/build.mjs takes it as the stamp of a finished build (and reads its inputs).
  writeFileSync(path.join(out, 'meta.json'), JSON.stringify(result.metafile, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildConsole();
