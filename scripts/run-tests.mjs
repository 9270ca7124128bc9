#!/usr/bin/env node
// Runs the test files, three at a time, each in its own process with its own store
// (test/helper.ts): on this 2-core machine a third file fills the time the other two spend
// waiting (on PostgreSQL, timers, worker threads); measured 273 s with two, 251 s with three.
// The longest files go first, so that the lanes finish together. `--slow` runs the *.slow.test.ts files instead
// (the browser journey and console, the producer matrix, hostile files, worker limits, the servers
// and CLI run as processes: killed -9 and restarted, stopped by signals; the console's data API,
// which processes sessions and delivers webhooks), one at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const slow = process.argv.includes('--slow');
/** Longest first (measured: docs/benchmarks.md, "Test suite"). */
const FIRST = [
  'test/statements/pool/page-sharing.test.ts', 'test/statements/pool/parse-pool.test.ts', 'test/webhooks/webhooks.test.ts', 'test/http/demo.test.ts',
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
// --liftoff-only: V8's baseline WebAssembly compiler only. Every file boots PGlite (PostgreSQL in
// WebAssembly) for seconds of tests, too short for optimized code to pay back its compiling:
// the suite takes a fifth less CPU.
const result = spawnSync(process.execPath, ['--liftoff-only', '--import', 'tsx', '--test', `--test-concurrency=${slow ? 1 : 3}`, ...process.argv.slice(2).filter((a) => a !== '--slow'), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
