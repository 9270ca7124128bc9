#!/usr/bin/env node
// Compiles src/ to dist/ (run by `npm install` through `prepare`, and by `npm run build`), then
// copies the files the code reads at run time next to the compiled modules, and bundles the
// lender console (console/ → dist/console/, scripts/build-console.mjs) and the SDK
// (packages/client/src → packages/client/dist, its own tsconfig). Each part is skipped when
// nothing it is made from changed since it was last made.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = path.join(root, 'dist', '.tsbuildinfo');

/** The newest modification time under `dir` (or of `dir`, a file). */
function newest(dir) {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  return Math.max(
    statSync(dir).mtimeMs,
    ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)),
  );
}

// Nothing in src/ (or the build settings) changed since the last build: even an incremental tsc
// takes seconds to find that out, and `npm test` builds before every run.
const upToDate =
  existsSync(stamp) &&
  newest(path.join(root, 'src')) < statSync(stamp).mtimeMs &&
  ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].every((f) => statSync(path.join(root, f)).mtimeMs < statSync(stamp).mtimeMs);

// The console's bundle is up to date when nothing under console/, none of the files esbuild
// bundled (its metafile's inputs: Preact, the bank catalogue in src/) and neither the lock file
// nor its build script changed since it was written.
const consoleStamp = path.join(root, 'dist', 'console', 'meta.json');
function consoleUpToDate() {
  if (!existsSync(consoleStamp) || !existsSync(path.join(root, 'dist', 'console', 'index.html'))) return false;
  const built = statSync(consoleStamp).mtimeMs;
  let inputs;
  try {
    inputs = Object.keys(JSON.parse(readFileSync(consoleStamp, 'utf8')).inputs);
  } catch {
    return false;
  }
  const sources = [...inputs, 'package-lock.json', 'scripts/build-console.mjs'].map((f) => path.join(root, f));
  return newest(path.join(root, 'console')) < built && sources.every((f) => existsSync(f) && statSync(f).mtimeMs < built);
}
const consoleFresh = consoleUpToDate();

// The SDK (packages/client): its generated table is checked in (scripts/build-client.ts makes
// it), so building is only tsc on its sources, for its dist/ (JavaScript and .d.ts).
const clientDir = path.join(root, 'packages', 'client');
const clientStamp = path.join(clientDir, 'dist', 'index.d.ts');
const clientFresh =
  existsSync(clientStamp) &&
  [path.join(clientDir, 'src'), path.join(clientDir, 'tsconfig.json'), path.join(root, 'package-lock.json')].every((f) => newest(f) < statSync(clientStamp).mtimeMs);
if (upToDate && consoleFresh && clientFresh) process.exit(0);

if (!upToDate) compileSources();
if (!consoleFresh) await (await import('./build-console.mjs')).buildConsole();
if (!clientFresh) compileClient();

function compileClient() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(clientDir, 'tsconfig.json')], { cwd: clientDir, stdio: 'inherit' });
  // tsc leaves files it had nothing new for alone; the stamp must still say "built now".
  const now = new Date();
  utimesSync(clientStamp, now, now);
}

/** src/ → dist/: tsc, then the files read at run time. */
function compileSources() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });

  // Everything under src/ that is not TypeScript: the bank catalogue, the journey page's assets.
  // (A thread entry `x.mjs` beside `x.ts`, such as parse-worker.mjs, is only for running from
  // source; compiled code loads `x.js`.)
  function copyAssets(dir) {
    for (const entry of readdirSync(path.join(root, 'src', dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) copyAssets(rel);
      else if (!entry.name.endsWith('.ts') && !(entry.name.endsWith('.mjs') && existsSync(path.join(root, 'src', dir, entry.name.replace(/\.mjs$/, '.ts'))))) {
        mkdirSync(path.join(root, 'dist', dir), { recursive: true });
        cpSync(path.join(root, 'src', rel), path.join(root, 'dist', rel));
      }
    }
  }
  copyAssets('');
  // tsc leaves the stamp alone when it had nothing to emit.
  const now = new Date();
  utimesSync(stamp, now, now);
}
