/**
 * bench/insights: a 500-page account (about 16,000 transactions over two years, with planted
 * salary, EMIs, bounces and transfers) through the whole of issue 11's path, on the embedded
 * store: enrichment alone, the whole account analysis, the processing job (analysis and its
 * storage), `insights/` served, and the account's Excel report downloaded. Targets: enrichment
 * under 1 s, insights served under 1 s, the xlsx built under 3 s, memory bounded.
 *
 *   node --expose-gc --import tsx bench/insights.ts [--runs 5] [--per-month 660]
 *
 * Prints a Markdown table for docs/benchmarks.md. Times are medians of --runs; the processing
 * job runs once (it is what a session pays once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { analyseAccount } from '../src/analysis/analyse-account.ts';
import { buildApp } from '../src/app.ts';
import { compose } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import type { StoredTransaction } from '../src/domain/statement.ts';
import { enrichTransactions } from '../src/enrichment/enrich-transaction.ts';
import { loadNarrationRules } from '../src/enrichment/narration-rules.ts';
import type { CalendarDate } from '../src/lib/calendar-date.ts';
import { plantedActivity } from '../src/samples/planted-activity.ts';
import { sampleAccount } from '../src/samples/sample-transactions.ts';
import { statementsRepository } from '../src/store/repositories/statements-repository.ts';
import { createClient } from '../src/usecases/manage-clients.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'per-month': { type: 'string', default: '660' } } });
const RUNS = Number(values.runs);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

function timed<T>(fn: () => T): { ms: number; value: T } {
  gc();
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const { transactions } = plantedActivity({ seed: 500, from: '2024-10-01' as CalendarDate, to: '2026-09-30' as CalendarDate, openingBalancePaise: 50_00_000_00, allowOverdraft: true, noisePerMonth: Number(values['per-month']) });
const statementId = '00000000-0000-4000-8000-000000000500';
const stored: StoredTransaction[] = transactions.map((t, i) => ({ ...t, statementId, seq: i + 1, page: Math.floor(i / 32) + 1, bbox: [40, 100, 550, 112] }));
const rules = loadNarrationRules();
const rows: [string, string][] = [];

const enrich = Array.from({ length: RUNS }, () => timed(() => enrichTransactions(stored, rules)).ms);
rows.push([`enrich ${stored.length} transactions (${Math.ceil(stored.length / 32)} pages)`, `${median(enrich).toFixed(0)} ms`]);
const account = { accountId: statementId, bankName: 'hdfc', identity: { name: 'AYUSH PATIL', accountNumber: '50100012345678', ifsc: 'HDFC0001234', micr: null, address: null, accountCategory: 'individual' as const, accountType: 'SAVINGS' as const, odLimitPaise: null, creditLimitPaise: null }, openingBalancePaise: 50_00_000_00, transactions: stored, statementFraud: [] };
const hints = { employerNames: [], holderNames: [], companiesForSelfTransfer: [] };
const analyse = Array.from({ length: RUNS }, () => timed(() => analyseAccount(account, rules, hints)).ms);
rows.push(['the whole account analysis (enrichment, salary … predictors)', `${median(analyse).toFixed(0)} ms`]);

// The service: the statement stored as an upload stores it, then processed and read over HTTP.
const rssBeforeService = Math.max(peakRss, process.memoryUsage().rss);
const dataDir = mkdtempSync(path.join(tmpdir(), 'passbook-bench-insights-'));
const now = new Date('2026-10-05T06:00:00Z');
const config = { ...loadConfig({ DATA_DIR: dataDir }), publicUrl: 'https://journey.passbook.test' };
const composition = await compose(config, { now: () => now, pollMs: 20 });
// Request logs to nowhere: the bench prints only its table.
composition.workers.jobs.start();
const app = await buildApp({ deps: composition.deps, config, logStream: new Writable({ write: (_chunk, _enc, done) => done() }) });
try {
  const { credentials } = await createClient(composition.deps, { name: 'bench' });
  const keys = { 'x-api-key': credentials.apiKey, 'server-hash': credentials.serverHash };
  const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
  const { session_id: sid } = json<{ session_id: string }>(
    await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': credentials.apiKey }, payload: { link_id: 'bench', from_date: '01/10/2024', to_date: '30/09/2026' } }),
  );
  const sample = sampleAccount(500, 'HDFC');
  const repo = statementsRepository(composition.deps.db);
  const identity = { ...account.identity, accountNumber: sample.accountNumber };
  const accountId = await repo.ensureAccount(sid, 'hdfc', identity, '00000000-0000-4000-8000-00000000a500');
  await repo.insertStoring({
    statementId, sessionId: sid, accountId, bankName: 'hdfc', source: 'pdf', fileSha256: 'b'.repeat(64), blobKey: `sessions/${sid}/${statementId}.pdf`, uploadFileName: 'bench.pdf',
    pageCount: Math.ceil(stored.length / 32), fromDate: transactions[0]!.date, toDate: transactions.at(-1)!.date, openingBalancePaise: 50_00_000_00,
    closingBalancePaise: transactions.at(-1)!.balancePaise, reconciled: true, firstBreak: null, fraudFindings: [],
  });
  await repo.appendTransactions(statementId, accountId, stored);
  await repo.markStored(statementId, new Date());

  const api = (what: string, method: 'GET' | 'POST' = 'GET') => app.inject({ method, url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
  const processing = await timedAsync(async () => {
    await api('initiate_processing', 'POST');
    for (;;) {
      const progress = json<{ session_progress: string }>(await api('progress'));
      if (progress.session_progress === 'completed') return;
      if (progress.session_progress === 'failed') throw new Error(`processing failed: ${JSON.stringify(progress)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  rows.push(['processing job: analysis stored, webhook queued (polled every 20 ms)', `${processing.ms.toFixed(0)} ms`]);

  let size = 0;
  const served = [];
  for (let i = 0; i < RUNS; i++) {
    const res = await timedAsync(() => api('insights'));
    if (res.value.statusCode !== 200) throw new Error(res.value.body);
    size = res.value.rawPayload.length;
    served.push(res.ms);
  }
  rows.push([`GET insights/ (${mb(size)} MB of JSON)`, `${median(served).toFixed(0)} ms`]);

  const link = new URL(json<{ reports: { link: string }[] }>(await api('xlsx_report')).reports[0]!.link);
  let xlsxBytes = 0;
  const xlsx = [];
  for (let i = 0; i < RUNS; i++) {
    const res = await timedAsync(() => app.inject({ method: 'GET', url: `${link.pathname}${link.search}` }));
    if (res.value.statusCode !== 200) throw new Error(res.value.body);
    xlsxBytes = res.value.rawPayload.length;
    xlsx.push(res.ms);
  }
  rows.push([`GET the account's xlsx report (${(xlsxBytes / 1024 / 1024).toFixed(1)} MB)`, `${median(xlsx).toFixed(0)} ms`]);
} finally {
  await app.close();
  await composition.close();
  rmSync(dataDir, { recursive: true, force: true });
  clearInterval(sampler);
}

console.log(`${stored.length} transactions; ${cpus().length} × ${cpus()[0]?.model}; Node ${process.version}; medians of ${RUNS}; peak RSS ${mb(rssBeforeService)} MB before the service, ${mb(peakRss)} MB with it (PGlite's WebAssembly heap included)\n`);
console.log('| step | time |\n| --- | ---: |');
for (const [step, time] of rows) console.log(`| ${step} | ${time} |`);
