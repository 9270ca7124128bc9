/**
 * bench/console-scroll: the console's transactions page with a big account (~20,000 rows) in
 * Chromium. A generated statement of that many rows is uploaded to a server on a fresh store and
 * processed; then, signed in to the console at 1440×900:
 *
 * - the first view: from the navigation to the transactions page to the first frame painted
 *   with the table's rows (the insights document fetched, parsed, the rows built), median of
 *   `--runs` loads;
 * - scrolling: the window is scrolled from the table's top to its bottom, `--step` pixels a frame
 *   (a fast fling: 600 px is 16 rows a frame, ~36,000 px a second), and every frame's time is
 *   taken with requestAnimationFrame: frames over 16.7 ms (one missed frame at 60 Hz) and over
 *   33.3 ms (two), each with a millisecond of timer jitter allowed, and the 95th percentile; and
 *   the main thread's time a frame in script, style and layout.
 *
 *   npm run build && node --import tsx bench/console-scroll.ts [--rows 20000] [--runs 3] [--step 600] [--store pglite] [--trace scroll.json]
 *
 * --trace writes a Chromium trace of the scroll (open it in the browser's DevTools, Performance).
 *
 * Needs the built console (`npm run build`) and Chromium (/usr/bin/chromium, or CHROMIUM=…).
 * Prints Markdown tables. Not part of any test script.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { CalendarDate } from '../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../src/samples/sample-transactions.ts';
import { ADMIN_TOKEN, json, multipart, request, ROOT, startProcess, storeEnv } from './bench-servers.ts';
import { otherCpu } from './parse.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'bench console password';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    step: { type: 'string', default: '600' },
    store: { type: 'string', default: 'pglite' },
    trace: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const RUNS = Math.max(1, Number(args.runs));
const STEP = Math.max(1, Number(args.step));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const median = (values: number[]) => percentile(values, 50);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'console', 'index.html'))) throw new Error('The console is not built: run npm run build first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium, or set CHROMIUM)`);
  const cpu = otherCpu();
  cpu.start();
  const wallStart = performance.now();
  const log = (line: string) => process.stderr.write(`console-scroll: ${line}\n`);

  // One statement of ROWS rows over a year (about 55 a day), as the sample producer prints it.
  let t0 = performance.now();
  const range = { from: '2025-11-01' as CalendarDate, to: '2026-10-31' as CalendarDate };
  const opening = 25_000_00;
  const transactions = sampleTransactions({ seed: 1, ...range, count: ROWS, openingBalancePaise: opening, allowOverdraft: false });
  const pdf = await renderStatementPdf({ layout: 'hdfc', account: sampleAccount(1, 'HDFC'), ...range, openingBalancePaise: opening, transactions });
  const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
  const generateMs = performance.now() - t0;
  log(`statement: ${transactions.length} rows, ${pages} pages, ${(pdf.length / 1e6).toFixed(1)} MB, made in ${seconds(generateMs)}`);

  const store = await storeEnv(args.store);
  const server = await startProcess('src/main.ts', {
    ...store.env,
    ADMIN_TOKEN,
    MAX_PDF_PAGES: String(Math.max(500, pages + 10)),
    MAX_UPLOAD_MB: String(Math.min(200, Math.max(25, Math.ceil(pdf.length / 1e6) + 5))),
    HTTP_REQUEST_TIMEOUT_SECONDS: '600',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const port = server.port;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const client = (await json(port, 'POST', '/admin/v1/clients', admin, { name: 'Bench Lending', enabled_modes: ['pdf'] })) as { client_id: string; api_key: string; server_hash: string };
    await json(port, 'POST', `/admin/v1/clients/${client.client_id}/console-users`, admin, { email: 'bench@lender.example', name: 'Bench', role: 'analyst', password: PASSWORD });
    const keys = { 'x-api-key': client.api_key, 'server-hash': client.server_hash };
    const session = (await json(port, 'POST', '/bank-connect/v1/session/', { 'x-api-key': client.api_key }, { link_id: 'bench-20k', from_date: '01/11/2025', to_date: '31/10/2026' })) as { session_id: string };
    const sid = session.session_id;

    t0 = performance.now();
    const form = multipart({ session_id: sid, upload_type: 'PDF' }, pdf);
    const uploaded = await request(port, 'POST', '/bank-connect/v1/statement/upload_session/', { 'x-api-key': client.api_key, 'content-type': form.contentType, 'content-length': form.body.length }, form.body);
    if (uploaded.status !== 200) throw new Error(`upload: ${uploaded.status} ${uploaded.body}`);
    const uploadMs = performance.now() - t0;
    log(`uploaded and parsed in ${seconds(uploadMs)}`);

    t0 = performance.now();
    const initiated = await request(port, 'POST', `/bank-connect/v1/session_data/${sid}/initiate_processing/`, keys);
    if (initiated.status !== 202) throw new Error(`initiate_processing: ${initiated.status} ${initiated.body}`);
    for (;;) {
      const progress = await request(port, 'GET', `/bank-connect/v1/session_data/${sid}/progress/`, keys);
      const state = (JSON.parse(progress.body) as { session_progress?: string }).session_progress;
      if (state === 'completed') break;
      if (state === 'failed') throw new Error(`processing failed: ${progress.body}`);
      if (performance.now() - t0 > 30 * 60_000) throw new Error('processing took over 30 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const processMs = performance.now() - t0;
    const insights = await request(port, 'GET', `/bank-connect/v1/session_data/${sid}/insights/`, keys);
    const count = (JSON.parse(insights.body) as { accounts: { data: { transactions: unknown[] } }[] }).accounts[0]!.data.transactions.length;
    log(`processed in ${seconds(processMs)}: ${count} transactions, insights ${(Buffer.byteLength(insights.body) / 1e6).toFixed(1)} MB`);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-IN' });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('Email').fill('bench@lender.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sessions', exact: true }).waitFor({ timeout: 30_000 });

    // The first frame painted with table rows, in ms from the navigation's start (the page's time origin).
    // (Scripts for the page are strings: tsx would name the functions with a helper the page lacks.)
    await page.addInitScript(`
      window.__firstRows = new Promise((resolve) => {
        const check = () => {
          if (!document.querySelector('[role="row"].txn-row')) return false;
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
          return true;
        };
        const observer = new MutationObserver(() => check() && observer.disconnect());
        const start = () => check() || observer.observe(document.documentElement, { childList: true, subtree: true });
        if (document.documentElement) start();
        else document.addEventListener('DOMContentLoaded', start);
      });
    `);
    const loads: { total: number; insights: number; insightsBytes: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${base}/console/sessions/${sid}/transactions`);
      const total = await page.evaluate<number>('window.__firstRows');
      const resource = await page.evaluate<{ ms: number; bytes: number }>(`(() => {
        const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/insights'));
        return r ? { ms: r.responseEnd - r.startTime, bytes: r.transferSize || r.encodedBodySize } : { ms: NaN, bytes: NaN };
      })()`);
      loads.push({ total, insights: resource.ms, insightsBytes: resource.bytes });
      log(`first view ${total.toFixed(0)} ms (insights ${resource.ms.toFixed(0)} ms)`);
    }
    const shownCount = await page.locator('.txn-count').textContent();

    // Scrolling the window over the whole table, STEP px a frame, timing each frame; the main
    // thread's time in script, style, layout and all (Chromium's Performance.getMetrics) over it.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metrics();
    if (args.trace) await browser.startTracing(page, { path: args.trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8'] });
    const scroll = await page.evaluate<{ frames: number[]; maxRows: number; lastRow: string | null; height: number }>(`(async (step) => {
      const table = document.querySelector('.txn-grid');
      const top = table.getBoundingClientRect().top + window.scrollY;
      const end = top + table.getBoundingClientRect().height - window.innerHeight;
      window.scrollTo(0, top);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const frames = [];
      let maxRows = 0;
      let last = 0;
      await new Promise((done) => {
        const frame = (now) => {
          if (last) frames.push(now - last);
          last = now;
          maxRows = Math.max(maxRows, document.querySelectorAll('[role="row"].txn-row').length);
          if (window.scrollY >= end - 1) return done();
          window.scrollTo(0, Math.min(end, window.scrollY + step));
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
      // The last rows are there at the bottom.
      const rows = document.querySelectorAll('[role="row"].txn-row');
      const lastRow = String(Math.max(...[...rows].map((r) => Number(r.getAttribute('aria-rowindex')))));
      return { frames, maxRows, lastRow, height: end - top };
    })(${STEP})`);
    const after = await metrics();
    if (args.trace) await browser.stopTracing();
    const perFrame = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / Math.max(1, scroll.frames.length);
    const frames = scroll.frames;
    const over = (ms: number) => frames.filter((f) => f > ms).length;
    const pct = (n: number) => `${((n / frames.length) * 100).toFixed(1)} %`;
    const foreign = cpu.seconds();
    const wall = (performance.now() - wallStart) / 1000;

    console.log(`\n### Transactions page, ${count.toLocaleString('en')} rows (bench/console-scroll.ts)\n`);
    console.log(`${cpus()[0]?.model ?? 'CPU'} × ${availableParallelism()}, Chromium headless (software rendering), 1440×900.`);
    console.log(foreign === null ? '' : `Other processes used ${foreign.toFixed(1)} CPU-seconds during the ${wall.toFixed(0)} s run (${((foreign / wall) * 100).toFixed(0)} % of one core).\n`);
    console.log('| setup | |');
    console.log('| --- | ---: |');
    console.log(`| statement | ${transactions.length.toLocaleString('en')} rows, ${pages} pages, ${(pdf.length / 1e6).toFixed(1)} MB |`);
    console.log(`| generate the PDF | ${seconds(generateMs)} |`);
    console.log(`| upload (parse) | ${seconds(uploadMs)} |`);
    console.log(`| processing | ${seconds(processMs)} |`);
    console.log(`| transactions in insights | ${count.toLocaleString('en')} (the page says "${shownCount?.trim()}") |`);
    console.log('');
    console.log(`| first view (navigation → first rows painted), ${RUNS} loads | median | min | max |`);
    console.log('| --- | ---: | ---: | ---: |');
    const totals = loads.map((l) => l.total);
    const fetches = loads.map((l) => l.insights);
    console.log(`| page shown with rows | ${median(totals).toFixed(0)} ms | ${Math.min(...totals).toFixed(0)} ms | ${Math.max(...totals).toFixed(0)} ms |`);
    console.log(`| of which GET …/insights (${(median(loads.map((l) => l.insightsBytes)) / 1e6).toFixed(1)} MB over the wire) | ${median(fetches).toFixed(0)} ms | ${Math.min(...fetches).toFixed(0)} ms | ${Math.max(...fetches).toFixed(0)} ms |`);
    console.log('');
    console.log(`| scroll top to bottom, ${STEP} px a frame | |`);
    console.log('| --- | ---: |');
    console.log(`| distance | ${(scroll.height / 1000).toFixed(0)}k px, ${frames.length} frames |`);
    console.log(`| frame time p50 / p95 / p99 / max | ${median(frames).toFixed(1)} / ${percentile(frames, 95).toFixed(1)} / ${percentile(frames, 99).toFixed(1)} / ${Math.max(...frames).toFixed(1)} ms |`);
    // requestAnimationFrame's times step by the display's 16.7 ms give or take a little: a frame
    // counts as late when it took a millisecond more than one (or two) of them.
    console.log(`| frames over 16.7 ms (one frame missed or more) | ${over(17.7)} (${pct(over(17.7))}) |`);
    console.log(`| frames over 33 ms (two or more) | ${over(34.4)} (${pct(over(34.4))}) |`);
    console.log(`| main thread a frame: script / style / layout / all tasks | ${perFrame('ScriptDuration').toFixed(1)} / ${perFrame('RecalcStyleDuration').toFixed(1)} / ${perFrame('LayoutDuration').toFixed(1)} / ${perFrame('TaskDuration').toFixed(1)} ms |`);
    console.log(`| rows in the page at most | ${scroll.maxRows} (last row at the bottom: aria-rowindex ${scroll.lastRow}) |`);
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    await store.cleanup();
  }
}

await main();
