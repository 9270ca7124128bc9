/**
 * bench/parse: statement parse throughput against `pdftotext -layout` (poppler) on the same
 * generated statements in the same run, and the peak memory of a process that parses the
 * largest one.
 *
 *   node --import tsx bench/parse.ts [--pages 10,100,500] [--runs 5] [--layout hdfc] [--memory-workers 1,2,4] [--password pw]
 *
 * With --password the statements are password protected (AES-256), and pdftotext and the parsers
 * get the password.
 *
 * Needs pdftotext (Debian: apt-get install poppler-utils). Each statement is timed `--runs`
 * times after one warm-up, pdftotext and the parsers taking turns so that they share the
 * machine's ups and downs; medians are reported. Memory is the peak RSS of a child process
 * that only loads the parser and parses the largest statement once, in-process or through a
 * pool (whose every worker costs memory, idle or not). Prints Markdown tables;
 * paste them into docs/benchmarks.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CalendarDate } from '../src/lib/calendar-date.ts';
import { loadBankCatalogue } from '../src/banks/bank-catalogue.ts';
import { renderStatementPdf } from '../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../src/samples/sample-transactions.ts';
import { ParsePool } from '../src/statements/pool/parse-pool.ts';
import { parseStatement } from '../src/statements/parse/parse-statement.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IFSC_PREFIX: Record<string, string> = { hdfc: 'HDFC', sbi: 'SBIN', icici: 'ICIC', axis: 'UTIB', kotak: 'KKBK', generic: 'SAHY' };
/** What pdfkit writes for each page object; sample PDFs are not compressed at the object level. */
const PAGE_OBJECT = /\/Type \/Page\b/g;

export interface BenchStatement {
  pdf: Buffer;
  pages: number;
  rows: number;
}

/**
 * A generated statement with exactly `pages` pages. About 31 rows fit on a page, fewer when
 * narrations wrap, so the row count is corrected from the pages it gave, aiming at a last page
 * half full.
 */
export async function statementWithPages(pages: number, layout = 'hdfc', password?: string): Promise<BenchStatement> {
  let rows = Math.round((pages - 0.5) * 31);
  for (let attempt = 0; ; attempt++) {
    const from = '2026-05-01' as CalendarDate;
    const to = '2026-10-31' as CalendarDate;
    const opening = 25_000_00;
    const transactions = sampleTransactions({ seed: 1, from, to, count: rows, openingBalancePaise: opening, allowOverdraft: false });
    const account = sampleAccount(1, IFSC_PREFIX[layout] ?? 'SAHY');
    const pdf = await renderStatementPdf({ layout, account, from, to, openingBalancePaise: opening, transactions }, password ? { password } : {});
    const got = pdf.toString('latin1').match(PAGE_OBJECT)?.length ?? 0;
    if (got === pages || attempt === 5) return { pdf, pages: got, rows: transactions.length };
    rows = Math.max(1, Math.round(((pages - 0.5) * rows) / Math.max(0.5, got - 0.5)));
  }
}

/**
 * CPU seconds used on the machine by other processes since `start()`: all busy time in
 * /proc/stat less this process's own and its finished children's. Timings on a shared machine
 * mean little when this is large, so the benchmarks print it. Null where /proc is missing.
 */
export function otherCpu(): { start: () => void; seconds: () => number | null } {
  const read = (): number | null => {
    try {
      const hz = 100; // USER_HZ: /proc reports clock ticks of 1/100 s on Linux.
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
      const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!;
      const self = readFileSync('/proc/self/stat', 'utf8');
      const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
      // utime stime cutime cstime are fields 14–17, i.e. 11–14 after the command name.
      const own = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
      return (busy - own) / hz;
    } catch {
      return null;
    }
  };
  let first: number | null = null;
  return {
    start: () => void (first = read()),
    seconds: () => {
      const now = read();
      return first === null || now === null ? null : Math.max(0, now - first);
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pdftotextVersion(): string {
  const result = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (result.error) {
    process.stderr.write('bench/parse: pdftotext is not installed. On Debian or Ubuntu: apt-get install poppler-utils\n');
    process.exit(1);
  }
  return /pdftotext version (\S+)/.exec(`${result.stderr}${result.stdout}`)?.[1] ?? 'unknown';
}

/** One `pdftotext -layout` run, wall time from spawn to exit (its start-up included, as a caller would see it). */
function pdftotext(file: string, password: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn('pdftotext', ['-layout', ...(password ? ['-upw', password] : []), file, '-'], { stdio: ['ignore', 'ignore', 'inherit'] });
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`pdftotext exited with ${code}`))));
  });
}

interface Parser {
  name: string;
  parse: (bytes: Buffer) => Promise<{ transactions: unknown[] }>;
  close: () => Promise<void>;
}

/** The server's PARSE_WORKERS default (src/config.ts). */
// The server's PARSE_WORKERS default (src/config.ts): one per core, up to 4.
const DEFAULT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

const poolName = (workers: number) => `ParsePool, ${workers} worker${workers > 1 ? 's' : ''}`;

/** In-process (as the CLI parses), the pool as the server has it by default, and a pool with a worker per core. */
function parsers(password: string | undefined): Parser[] {
  const banks = loadBankCatalogue();
  const options = password ? { password } : {};
  const pool = (workers: number): Parser => {
    const p = new ParsePool({ workers, timeoutMs: 600_000, maxHeapMb: 1024 });
    return { name: poolName(workers), parse: (bytes) => p.parse(bytes, options), close: () => p.close() };
  };
  const cores = availableParallelism();
  return [
    { name: 'parseStatement, in-process', parse: (bytes) => parseStatement(bytes, banks, options), close: async () => {} },
    pool(DEFAULT_WORKERS),
    ...(cores !== DEFAULT_WORKERS ? [pool(cores)] : []),
  ];
}

interface Row {
  pages: number;
  rows: number;
  kb: number;
  name: string;
  ms: number[];
}

async function throughput(sizes: number[], runs: number, layout: string, dir: string, password: string | undefined): Promise<Row[]> {
  const list = parsers(password);
  const out: Row[] = [];
  try {
    for (const pages of sizes) {
      const s = await statementWithPages(pages, layout, password);
      const file = path.join(dir, `statement-${s.pages}.pdf`);
      writeFileSync(file, s.pdf);
      const rows: Row[] = [{ pages: s.pages, rows: s.rows, kb: s.pdf.length / 1024, name: 'pdftotext -layout', ms: [] }];
      for (const p of list) rows.push({ pages: s.pages, rows: s.rows, kb: s.pdf.length / 1024, name: p.name, ms: [] });
      for (let run = -1; run < runs; run++) {
        const t = await pdftotext(file, password);
        if (run >= 0) rows[0]!.ms.push(t);
        for (const [i, p] of list.entries()) {
          const t0 = performance.now();
          const parsed = await p.parse(s.pdf);
          const elapsed = performance.now() - t0;
          if (parsed.transactions.length !== s.rows) throw new Error(`${p.name}: ${parsed.transactions.length} rows, expected ${s.rows}`);
          if (run >= 0) rows[i + 1]!.ms.push(elapsed);
        }
      }
      for (const r of rows) process.stderr.write(`${r.pages} pages, ${r.name}: median ${median(r.ms).toFixed(0)} ms (${r.ms.map((m) => m.toFixed(0)).join(', ')})\n`);
      out.push(...rows);
    }
  } finally {
    await Promise.all(list.map((p) => p.close()));
  }
  return out;
}

interface MemoryResult {
  mode: string;
  beforeMb: number;
  peakMb: number;
  ms: number;
}

/**
 * Runs this script as a child that parses `file` once, and reads the peak RSS it reports.
 * `workers`: 0 parses in-process, else through a pool of that many workers.
 */
function memory(file: string, workers: number, password: string | undefined): Promise<MemoryResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const args = ['--import', 'tsx', script, '--child', String(workers), '--file', file, ...(password ? ['--password', password] : [])];
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child (${workers} workers) exited with ${code}`));
      resolve(JSON.parse(out) as MemoryResult);
    });
  });
}

/** The child: load the parser, parse once, report RSS before and at peak (process-wide, worker threads included). */
async function child(workers: number, file: string, password: string | undefined): Promise<void> {
  const bytes = readFileSync(file);
  const banks = loadBankCatalogue();
  const pool = workers > 0 ? new ParsePool({ workers, timeoutMs: 600_000, maxHeapMb: 1024 }) : null;
  // Let the pool's workers load pdfjs, so that "before" is the idle process.
  await new Promise((r) => setTimeout(r, 2000));
  const beforeMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const options = password ? { password } : {};
  if (pool) await pool.parse(bytes, options);
  else await parseStatement(bytes, banks, options);
  const ms = performance.now() - t0;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  await pool?.close();
  const name = pool ? `${poolName(workers)} (the whole process)` : 'parseStatement, in-process';
  process.stdout.write(JSON.stringify({ mode: name, beforeMb, peakMb, ms } satisfies MemoryResult));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '10,100,500' },
      runs: { type: 'string', default: '5' },
      layout: { type: 'string', default: 'hdfc' },
      child: { type: 'string' },
      'memory-workers': { type: 'string' },
      file: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const password = values.password;
  if (values.child) return child(Number(values.child), values.file!, password);

  const poppler = pdftotextVersion();
  const sizes = values.pages.split(',').map(Number);
  const runs = Number(values.runs);
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-bench-parse-'));
  const other = otherCpu();
  other.start();
  const t0 = performance.now();
  try {
    const rows = await throughput(sizes, runs, values.layout, dir, password);
    const largest = path.join(dir, `statement-${rows.at(-1)!.pages}.pdf`);
    // In-process, then pools: by default as in the throughput table, and 4 workers (the most
    // the server starts by default, on 5 cores or more), since every worker adds memory.
    const poolSizes = values['memory-workers'] ? values['memory-workers'].split(',').map(Number) : [...new Set([DEFAULT_WORKERS, availableParallelism(), 4])];
    const mem: MemoryResult[] = [];
    for (const workers of [0, ...poolSizes]) mem.push(await memory(largest, workers, password));

    console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, pdftotext ${poppler}`);
    const foreign = other.seconds();
    const wall = (performance.now() - t0) / 1000;
    console.log(`Date: ${new Date().toISOString().slice(0, 10)}; layout ${values.layout}${password ? ', password protected' : ''}; median of ${runs} runs after one warm-up`);
    console.log(foreign === null ? '' : `Other processes used ${foreign.toFixed(1)} CPU-seconds during the ${wall.toFixed(0)} s run (${((foreign / wall) * 100).toFixed(0)} % of one core)\n`);
    console.log('| statement | reader | median ms | min ms | pages/s | ÷ pdftotext |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const base = median(rows.find((x) => x.pages === r.pages && x.name === 'pdftotext -layout')!.ms);
      const m = median(r.ms);
      const ratio = m / base;
      const ratioText = r.name === 'pdftotext -layout' ? '1.00×' : ratio <= 1.5 ? `**${ratio.toFixed(2)}×**` : `${ratio.toFixed(2)}×`;
      console.log(`| ${r.pages} pages, ${r.rows} rows, ${r.kb.toFixed(0)} KB | ${r.name} | ${m.toFixed(0)} | ${Math.min(...r.ms).toFixed(0)} | ${((r.pages / m) * 1000).toFixed(0)} | ${ratioText} |`);
    }
    console.log(`\nPeak memory parsing the ${rows.at(-1)!.pages}-page statement once (a fresh process each):\n`);
    console.log('| process | RSS before the parse MB | peak RSS MB | parse ms |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const m of mem) console.log(`| ${m.mode} | ${m.beforeMb.toFixed(0)} | ${m.peakMb.toFixed(0)} | ${m.ms.toFixed(0)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
