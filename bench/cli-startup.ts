/**
 * bench/cli-startup: how long the compiled CLI takes to start, against a bare `node -e 0` on the
 * same machine in the same run, and the peak memory of a one-page `passbook parse`.
 *
 *   npm run build && npm run bench:cli-startup -- [--runs 15]
 *
 * Targets (issue 9): `passbook --help` ≤ 3× `node -e 0`; a one-page parse ≤ 4× and < 80 MB.
 * Each command runs `--runs` times, interleaved; the median wall time is reported, and the
 * largest peak RSS (GNU time's %M). Prints a Markdown table for docs/benchmarks.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CalendarDate } from '../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../src/samples/sample-transactions.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/passbook.mjs');
if (!existsSync(path.join(ROOT, 'dist/cli/passbook.js'))) throw new Error('dist/ is missing: run `npm run build` first');
if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (/usr/bin/time) for peak memory');

const dir = mkdtempSync(path.join(tmpdir(), 'passbook-cli-bench-'));
const from = '2026-10-01' as CalendarDate;
const to = '2026-10-31' as CalendarDate;
const opening = 25_000_00;
const pdf = await renderStatementPdf({
  layout: 'hdfc',
  account: sampleAccount(7, 'HDFC'),
  from,
  to,
  openingBalancePaise: opening,
  transactions: sampleTransactions({ seed: 7, from, to, count: 20, openingBalancePaise: opening, allowOverdraft: false }),
});
const file = path.join(dir, 'one-page.pdf');
writeFileSync(file, pdf);

const commands: Record<string, string[]> = {
  'node -e 0': [process.execPath, '-e', '0'],
  'passbook --help': [process.execPath, BIN, '--help'],
  'passbook parse (1 page)': [process.execPath, BIN, 'parse', file],
};

/** Wall milliseconds and peak RSS (MB) of one run, through GNU time. */
function measure(argv: string[]): { ms: number; mb: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, mb: rssKb / 1024 };
}

const samples = new Map(Object.keys(commands).map((k) => [k, [] as { ms: number; mb: number }[]]));
for (const argv of Object.values(commands)) measure(argv); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const [name, argv] of Object.entries(commands)) samples.get(name)!.push(measure(argv));
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(samples.get('node -e 0')!.map((s) => s.ms));
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
console.log(`${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, commit ${commit}, ${RUNS} runs each\n`);
console.log('| command | median ms | × node -e 0 | peak RSS MB |');
console.log('|---|---:|---:|---:|');
for (const [name, runs] of samples) {
  const ms = median(runs.map((s) => s.ms));
  console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)} | ${Math.max(...runs.map((s) => s.mb)).toFixed(0)} |`);
}
