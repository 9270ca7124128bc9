/**
 * bench/parse-vs-pdftotext: the whole `passbook parse FILE` process, as a user runs it (node
 * start-up included), against `pdftotext -layout FILE out.txt` on the same file, for every
 * producer of the matrix (src/samples/producers/) at about 100 and 500 pages (issue 10: "Speed
 * as a user sees it"; target: passbook ≤ 1.0× pdftotext everywhere, in one run).
 *
 *   npm run build && node --import tsx bench/parse-vs-pdftotext.ts [--runs 5] [--pages 100,500] [--producers pdfkit,chromium] [--make-only] [--cache DIR]
 *
 * The statements are HDFC-layout sample statements (seed 7) of 3,100 and 15,700 transactions:
 * about 100 and 500 pages as pdfkit lays them out (other producers lay them out on more or fewer
 * pages; the table gives each file's pages). Rendering 500 pages through LibreOffice, Chromium
 * or matplotlib takes minutes, so the files are kept under node_modules/.cache/passbook-bench/,
 * keyed by producer, layout, seed and transactions (delete the folder to render them anew;
 * --cache keeps them elsewhere, e.g. in a worktree whose node_modules is another checkout's).
 * --make-only renders the missing files and times nothing.
 *
 * For each file: one untimed run of each command (file cache), then --runs interleaved runs of
 * the two; the table gives the medians of wall time. Each parse's JSON is checked for the
 * statement's transaction count. Prints the machine, the date and the load average before and
 * after (the machine may be shared: compare runs only at a low load), then a Markdown table for
 * docs/benchmarks.md ("Parse against pdftotext").
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PRODUCERS, readerOf } from '../src/samples/producers/producer-matrix.ts';
import { statement } from '../test/statements/statement-fixtures.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    pages: { type: 'string', default: '100,500' },
    producers: { type: 'string' },
    'make-only': { type: 'boolean', default: false },
    cache: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/passbook.mjs');
const CACHE = values.cache ?? path.join(ROOT, 'node_modules/.cache/passbook-bench');
const LAYOUT = 'hdfc';
const SEED = 7;
/** Transactions that make about this many pages in the pdfkit HDFC layout (31 a page). */
const TRANSACTIONS: Record<string, number> = { '100': 3100, '500': 15_700 };

if (!values['make-only'] && !existsSync(path.join(ROOT, 'dist/cli/passbook.js'))) throw new Error('dist/ is missing: run `npm run build` first');
if (spawnSync('pdftotext', ['-v']).error) throw new Error('needs pdftotext (Debian: poppler-utils)');
const wanted = values.producers?.split(',');
const producers = wanted ? PRODUCERS.filter((p) => wanted.includes(p.name)) : PRODUCERS;
if (producers.length === 0) throw new Error(`no producer named ${values.producers}; there are ${PRODUCERS.map((p) => p.name).join(', ')}`);
const sizes = values.pages.split(',').map((p) => {
  const count = TRANSACTIONS[p];
  if (!count) throw new Error(`--pages takes ${Object.keys(TRANSACTIONS).join(' and ')}`);
  return { pages: p, count };
});
mkdirSync(CACHE, { recursive: true });

/** The producer's file of `count` transactions, from the cache or rendered now. */
async function benchFile(producer: (typeof PRODUCERS)[number], count: number): Promise<string> {
  const file = path.join(CACHE, `${producer.name}-${LAYOUT}-s${SEED}-${count}.pdf`);
  if (!existsSync(file)) {
    const started = performance.now();
    const [pdf] = await producer.pdfs([statement(LAYOUT, { seed: SEED, count })]);
    writeFileSync(file, pdf!);
    console.error(`rendered ${path.basename(file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return file;
}

function pageCount(file: string, password: string | undefined): number {
  const r = spawnSync('pdfinfo', [...(password ? ['-upw', password] : []), file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(r.stdout)?.[1] ?? NaN);
}

const out = path.join(tmpdir(), `passbook-bench-${process.pid}`);
mkdirSync(out, { recursive: true });

/** Wall milliseconds of one run, its stdout written to `stdoutFile` (as a shell's `> file` does). */
function timed(argv: string[], stdoutFile: string): number {
  const fd = openSync(stdoutFile, 'w');
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
    return ms;
  } finally {
    closeSync(fd);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
const loadBefore = loadavg();
const started = new Date();
for (const { pages, count } of sizes) {
  for (const producer of producers) {
    let file: string;
    try {
      file = await benchFile(producer, count);
    } catch (error) {
      rows.push(`| ${producer.name} | ~${pages} | – | – | – | – | not rendered: ${(error as Error).message.split('\n')[0]} |`);
      continue;
    }
    if (values['make-only']) continue;
    const password = producer.password;
    const pdftotext = ['pdftotext', '-layout', ...(password ? ['-upw', password] : []), file, path.join(out, 'out.txt')];
    const passbook = [process.execPath, BIN, 'parse', file, ...(password ? ['--password', password] : [])];
    const json = path.join(out, 'out.json');
    timed(pdftotext, '/dev/null');
    timed(passbook, json);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { transaction_count: number };
    const expected = statement(LAYOUT, { seed: SEED, count }).transactions.length;
    const rowsRead = parsed.transaction_count === expected ? `all ${expected}` : `${parsed.transaction_count} of ${expected}`;
    const times = { pdftotext: [] as number[], passbook: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.pdftotext.push(timed(pdftotext, '/dev/null'));
      times.passbook.push(timed(passbook, json));
    }
    const reader = await readerOf(readFileSync(file), password);
    const p = median(times.pdftotext);
    const b = median(times.passbook);
    rows.push(`| ${producer.name} | ${pageCount(file, password)} | ${p.toFixed(0)} | ${b.toFixed(0)} | ${(b / p).toFixed(2)} | ${reader} | ${rowsRead} |`);
    console.error(rows.at(-1));
  }
}
rmSync(out, { recursive: true, force: true });
if (values['make-only']) process.exit(0);

const cpu = cpus();
const pdftotextVersion = /pdftotext version (\S+)/.exec(spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? '?';
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
console.log(`${started.toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, pdftotext ${pdftotextVersion}`);
console.log(`Load average (1, 5, 15 min) ${load(loadBefore)} before, ${load(loadavg())} after; median of ${RUNS} interleaved runs each`);
console.log('');
console.log('| producer | pages | pdftotext ms | passbook ms | passbook ÷ pdftotext | reader | rows read |');
console.log('|---|--:|--:|--:|--:|---|---|');
for (const row of rows) console.log(row);
