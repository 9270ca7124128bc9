/**
 * bench/hostile-uploads: how quickly and how cheaply the server refuses hostile PDFs. Starts the
 * real server (embedded store), warms it with one ordinary statement (so that the parse workers
 * and pdfjs are loaded), takes its RSS as the baseline, then uploads each hand-built hostile file
 * (test/http/hostile-pdfs.ts) in turn, sampling the server's RSS every 10 ms from /proc while it
 * works, and checks GET /healthz after each. The target (issue 10): a 4xx within 5 s, the peak
 * RSS within 300 MB of the baseline.
 *
 *   node --import tsx bench/hostile-uploads.ts [--only <name part>]
 *
 * Linux only (/proc). Prints a Markdown table; paste it into docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { HOSTILE_PDFS } from '../test/http/hostile-pdfs.ts';
import { ADMIN_TOKEN, json, multipart, request, startProcess, storeEnv } from './bench-servers.ts';
import { statementWithPages } from './parse.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const TARGET_MS = 5000;
const TARGET_RSS_MB = 300;

async function upload(port: number, apiKey: string, sessionId: string, pdf: Buffer): Promise<{ status: number; body: string }> {
  const { body, contentType } = multipart({ session_id: sessionId, upload_type: 'PDF' }, pdf);
  return request(port, 'POST', '/bank-connect/v1/statement/upload_session/', { 'x-api-key': apiKey, 'content-type': contentType, 'content-length': body.length }, body);
}

/** The process's resident set in MB, from /proc (threads included: the parse workers are threads). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

interface Row {
  name: string;
  kb: number;
  status: number;
  code: string;
  ms: number;
  /** RSS right before the upload. */
  beforeMb: number;
  peakMb: number;
  healthz: number;
}

/** Starts a server, uploads every hostile file to it, and stops it. */
async function measure(): Promise<{ baseline: number; rows: Row[] }> {
const { env, cleanup } = await storeEnv('pglite');
const rows: Row[] = [];
try {
  const server = await startProcess('src/main.ts', { ...env, ADMIN_TOKEN });
  try {
    const { port, pid } = server;
    const client = await json(port, 'POST', '/admin/v1/clients', { authorization: `Bearer ${ADMIN_TOKEN}` }, { name: 'bench' });
    const apiKey = client.api_key as string;
    const session = await json(port, 'POST', '/bank-connect/v1/session/', { 'x-api-key': apiKey }, { link_id: 'bench-hostile', journey_mode: 'multi_banking', from_date: '01/05/2026', to_date: '31/10/2026' });
    const sessionId = session.session_id as string;
    const warm = await upload(port, apiKey, sessionId, (await statementWithPages(5)).pdf);
    if (warm.status !== 200) throw new Error(`warm-up upload: ${warm.status} ${warm.body}`);
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = rssMb(pid);
    for (const [name, build] of Object.entries(HOSTILE_PDFS)) {
      if (values.only && !name.includes(values.only)) continue;
      const pdf = build();
      // Memory a thread gave back reaches the OS over a moment: the rise is measured from here.
      await new Promise((r) => setTimeout(r, 1000));
      const before = rssMb(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
      const t0 = performance.now();
      const res = await upload(port, apiKey, sessionId, pdf);
      const ms = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, rssMb(pid));
      const code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? '(none)';
      const healthz = (await request(port, 'GET', '/healthz', {})).status;
      rows.push({ name, kb: pdf.length / 1024, status: res.status, code, ms, beforeMb: before, peakMb: peak, healthz });
      console.error(`${name}: ${res.status} ${code} in ${Math.round(ms)} ms, peak RSS ${Math.round(peak)} MB (${Math.round(before)} MB before it)`);
    }
    return { baseline, rows };
  } finally {
    await server.stop();
  }
} finally {
  await cleanup();
}
}

const { baseline, rows } = await measure();

console.log(`\nMachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB; Node ${process.version}. Server baseline RSS after a warm-up upload: ${Math.round(baseline)} MB.\n`);
console.log('| file | size | answer | time to answer | RSS before → peak (rise) | within 5 s and +300 MB of the baseline | /healthz after |');
console.log('|---|---:|---|---:|---:|---|---|');
for (const r of rows) {
  const within = r.status >= 400 && r.status < 500 && r.ms <= TARGET_MS && r.peakMb - baseline <= TARGET_RSS_MB;
  console.log(
    `| ${r.name} | ${r.kb < 1024 ? `${r.kb.toFixed(1)} KB` : `${(r.kb / 1024).toFixed(1)} MB`} | ${r.status} ${r.code} | ${(r.ms / 1000).toFixed(2)} s | ${Math.round(r.beforeMb)} → ${Math.round(r.peakMb)} MB (+${Math.round(r.peakMb - r.beforeMb)}) | ${within ? 'yes' : '**no**'} | ${r.healthz} |`,
  );
}
