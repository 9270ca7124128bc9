#!/usr/bin/env node
// Bundles the lender console (console/ → dist/console/) with esbuild: one script and one
// stylesheet with content-hashed names (served for a year by src/http/routes/console-page.ts),
// the chunks of what the app imports lazily (pdf.js for the statement viewer), pdf.js's worker,
// the page that names them (index.html), and esbuild's metafile (meta.json, which also tells
// scripts/build.mjs which files the bundle was made from). Run by scripts/build.mjs, or alone.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

  // pdf.js's worker (the statement viewer parses PDFs in it), served from this server like the
  // rest and named by its content. Named .js: the asset route serves scripts by that extension,
  // and a module worker from 'self' is what the page's CSP allows (script-src 'self').
  const worker = readFileSync(createRequire(import.meta.url).resolve('pdfjs-dist/build/pdf.worker.min.mjs'));
  const workerName = `pdf-worker-${createHash('sha256').update(worker).digest('hex').slice(0, 8).toUpperCase()}.js`;
  writeFileSync(path.join(assets, workerName), worker);

  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: path.join(source, 'src', 'main.tsx'), styles: path.join(source, 'src', 'styles.css') },
    outdir: assets,
    entryNames: '[name]-[hash]',
    // Lazily imported code (pdf.js, for the statement viewer) is a chunk of its own, loaded when used.
    splitting: true,
    chunkNames: 'chunk-[hash]',
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
    define: { 'process.env.NODE_ENV': '"production"', __PDF_WORKER_URL__: JSON.stringify(`/console/assets/${workerName}`) },
    metafile: true,
    logLevel: 'warning',
  });
  const names = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    // The two entry points; a lazily imported module is an entry point of esbuild's too.
    if (output.entryPoint === 'console/src/main.tsx') names['main.js'] = path.basename(file);
    else if (output.entryPoint === 'console/src/styles.css') names['styles.css'] = path.basename(file);
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

  // The budget covers what the first view loads: main.js, the chunks it imports (not those it
  // imports lazily) and the stylesheet. pdf.js (its chunk and its worker) loads only when the
  // statement viewer opens, and is reported apart.
  const outputs = result.metafile.outputs;
  const size = (file) => {
    const bytes = readFileSync(path.join(root, file));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const outputOf = (name) => Object.keys(outputs).find((f) => path.basename(f) === name);
  const firstView = new Set();
  const visit = (file) => {
    if (!file || firstView.has(file)) return;
    firstView.add(file);
    for (const i of outputs[file].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(outputOf(names['main.js']));
  firstView.add(outputOf(names['styles.css']));
  const lazy = Object.keys(outputs).filter((f) => !firstView.has(f) && f.endsWith('.js'));
  const isPdfjs = (f) => Object.keys(outputs[f].inputs).some((i) => i.includes('node_modules/pdfjs-dist/'));
  const sum = (files) => files.reduce((t, f) => ({ raw: t.raw + size(f).raw, gzip: t.gzip + size(f).gzip }), { raw: 0, gzip: 0 });
  const main = size(outputOf(names['main.js']));
  const total = sum([...firstView]).gzip;
  const pdfChunks = sum(lazy.filter(isPdfjs));
  const workerSize = size(path.relative(root, path.join(assets, workerName)));
  const otherLazy = sum(lazy.filter((f) => !isPdfjs(f)));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `console: main bundle ${names['main.js']} ${kb(main.raw)} (${kb(main.gzip)} gz); first view ${kb(total)} gzipped with ${firstView.size - 2} shared chunk(s) and ${names['styles.css']} (budget ${kb(BUDGET_GZIP_BYTES)})` +
      `; pdf.js, loaded by the statement viewer only: ${kb(pdfChunks.gzip + workerSize.gzip)} gzipped (library ${kb(pdfChunks.gzip)}, worker ${kb(workerSize.gzip)})` +
      (otherLazy.raw ? `; other lazy chunks ${kb(otherLazy.gzip)} gzipped` : ''),
  );
  if (total > BUDGET_GZIP_BYTES) throw new Error(`The console bundle is ${kb(total)} gzipped, over its budget of ${kb(BUDGET_GZIP_BYTES)}`);
  // Written last: scripts/build.mjs takes it as the stamp of a finished build (and reads its inputs).
  writeFileSync(path.join(out, 'meta.json'), JSON.stringify(result.metafile, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildConsole();
