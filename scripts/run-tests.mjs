#!/usr/bin/env node
// Runs the test files in a few processes, several files in each. Most of a test process's cost
// was its start, paid once per file: loading the app through tsx (about 2 s: typebox alone is
// 683 modules) and opening PGlite (about 1.5 s). Three processes of about thirty files each, run
// side by side, took the suite from 251 s to 106 s on this 2-core machine (docs/benchmarks.md,
// "Test suite"). The files of a process share its stores (test/helper.ts empties them before
// each test) and run one test at a time; so a test file must not rely on a process of its own,
// and must not register root-level hooks (before/beforeEach at the top of the file run for
// every file of its process, or not at all): it sets up with top-level await instead.
//
// `--slow` runs the *.slow.test.ts files instead (the browser journey and console, the producer
// matrix, hostile files, worker limits, the servers and CLI run as processes: killed -9 and
// restarted, stopped by signals; the console's data API, which processes sessions and delivers
// webhooks), one file per process, one process at a time: they measure memory and time, start
// servers and browsers, and must not share.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const slow = process.argv.includes('--slow');
const PROCESSES = 3;
/** The longest files (measured: docs/benchmarks.md, "Test suite"), one per process first. */
const FIRST = [
  'test/statements/pool/page-sharing.test.ts', 'test/statements/pool/parse-pool.test.ts', 'test/http/demo.test.ts', 'test/cli/parse.test.ts',
];

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') && entry.name.endsWith('.slow.test.ts') === slow ? [file] : [];
  });
}

const files = testFiles('test').sort((a, b) => {
  const rank = (f) => (FIRST.includes(f) ? FIRST.indexOf(f) : FIRST.length);
  return rank(a) - rank(b) || a.localeCompare(b);
});
if (files.length === 0) throw new Error('no test files found');
// A root-level before/beforeEach/afterEach would run for the other files of its process, or
// never (registered after the process's first tests began): see above.
const rootHooks = slow ? [] : files.filter((file) => /^(before|beforeEach|afterEach)\(/m.test(readFileSync(file, 'utf8')));
if (rootHooks.length > 0) throw new Error(`root-level test hooks in ${rootHooks.join(', ')}: set up with top-level await, or put the tests in a describe()`);

/** One generated entry file per process, importing its share of the files in turn. */
function groupEntries(dir) {
  const groups = Array.from({ length: PROCESSES }, () => []);
  files.forEach((file, i) => groups[i % PROCESSES].push(file));
  return groups.map((group, i) => {
    const entry = path.join(dir, `files-${i + 1}-of-${PROCESSES}.test.mjs`);
    const imports = group.map((file) => `// ${file}\nawait import(${JSON.stringify(pathToFileURL(path.resolve(file)).href)});`);
    writeFileSync(entry, `${imports.join('\n')}\n`);
    return entry;
  });
}

// --liftoff-only: V8's baseline WebAssembly compiler only. A process boots PGlite (PostgreSQL in
// WebAssembly) for tests too short for optimized code to pay back its compiling: the suite took
// a fifth less CPU.
const args = ['--liftoff-only', '--import', 'tsx', '--test', `--test-concurrency=${slow ? 1 : PROCESSES}`, ...process.argv.slice(2).filter((a) => a !== '--slow')];
// A directory of this run's own: runs side by side (two checkouts sharing node_modules) must not
// overwrite each other's entry files.
const entryDir = mkdtempSync(path.join(tmpdir(), 'passbook-tests-'));
const result = spawnSync(process.execPath, [...args, ...(slow ? files : groupEntries(entryDir))], { stdio: 'inherit' });
rmSync(entryDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
