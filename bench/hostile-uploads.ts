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
import http from 'node:http';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { HOSTILE_PDFS } from '../test/http/hostile-pdfs.ts';
import { ADMIN_TOKEN, startProcess, storeEnv } from './bench-servers.ts';
import { statementWithPages } from './parse.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const TARGET_MS = 5000;
const TARGET_RSS_MB = 300;

function request(port: number, method: string, pathName: string, headers: Record<string, string | number>, body?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function json(port: number, pathName: string, headers: Record<string, string>, payload: unknown): Promise<Record<string, unknown>> {
  const body = Buffer.from(JSON.stringify(payload));
  const res = await request(port, 'POST', pathName, { ...headers, 'content-type': 'application/json', 'content-length': body.length }, body);
  if (res.status < 200 || res.status > 299) throw new Error(`${pathName}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

function upload(port: number, apiKey: string, sessionId: string, pdf: Buffer): Promise<{ status: number; body: string }> {
  const boundary = '----passbook-bench-hostile';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="session_id"\r\n\r\n${sessionId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="upload_type"\r\n\r\nPDF\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="statement.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return request(port, 'POST', '/bank-connect/v1/statement/upload_session/', { 'x-api-key': apiKey, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length }, body);
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
    const client = await json(port, '/admin/v1/clients', { authorization: `Bearer ${ADMIN_TOKEN}` }, { name: 'bench' });
    const apiKey = client.api_key as string;
    const session = await json(port, '/bank-connect/v1/session/', { 'x-api-key': apiKey }, { link_id: 'bench-hostile', journey_mode: 'multi_banking', from_date: '01/05/2026', to_date: '31/10/2026' });
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
