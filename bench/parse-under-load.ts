/**
 * bench/parse-under-load: does parsing a large statement block the API? Starts the real server,
 * uploads a generated statement (500 pages by default) through
 * `POST /bank-connect/v1/statement/upload_session/`, and meanwhile sends `GET /healthz` on a
 * fixed schedule (every 10 ms, whether or not earlier ones have answered, so that a stalled
 * event loop shows in the latencies instead of just delaying the next request).
 *
 * Each server gets two uploads of the statement. The first names another bank (`bank_name`),
 * so it is refused with BANK_NAME_MISMATCH after the whole parse and nothing is stored: it
 * measures parsing alone. The second is accepted, and also stores every transaction.
 *
 *   node --import tsx bench/parse-under-load.ts [--pages 500] [--stores pglite,postgres] [--workers default,2] [--interval 10]
 *
 * `--workers` are PARSE_WORKERS values for the server (`default`: leave it unset). Needs the
 * local PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) for the
 * postgres rows. Prints Markdown tables; paste them into docs/benchmarks.md.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN, json, multipart, pollHealth, request, startProcess, stats, storeEnv, type Sample, type Stats } from './bench-servers.ts';
import { otherCpu, statementWithPages, type BenchStatement } from './parse.ts';


const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '500' },
    stores: { type: 'string', default: 'pglite,postgres' },
    workers: { type: 'string', default: 'default,2' },
    interval: { type: 'string', default: '10' },
    layout: { type: 'string', default: 'hdfc' },
  },
});
const PAGES = Number(values.pages);
const INTERVAL_MS = Number(values.interval);
const IDLE_MS = 3000;

async function upload(port: number, apiKey: string, sessionId: string, pdf: Buffer, bankName?: string): Promise<{ ms: number; status: number; out: Record<string, unknown> }> {
  const { body, contentType } = multipart({ session_id: sessionId, upload_type: 'PDF', ...(bankName ? { bank_name: bankName } : {}) }, pdf);
  const t0 = performance.now();
  const res = await request(port, 'POST', '/bank-connect/v1/statement/upload_session/', { 'x-api-key': apiKey, 'content-type': contentType, 'content-length': body.length }, body);
  return { ms: performance.now() - t0, status: res.status, out: JSON.parse(res.body) as Record<string, unknown> };
}

interface Measured {
  kind: 'parse only' | 'parse and store';
  idle: Stats;
  busy: Stats;
  uploadMs: number;
  slowest: Sample[];
}

interface Result {
  store: string;
  workers: string;
  runs: Measured[];
}

/** One upload of the big statement with healthz polled throughout; `check` vets the answer. */
async function measure(port: number, kind: Measured['kind'], send: () => Promise<{ ms: number; status: number; out: Record<string, unknown> }>, check: (r: { status: number; out: Record<string, unknown> }) => string | null): Promise<Measured> {
  const idle = await pollHealth(port, new Promise((r) => setTimeout(r, IDLE_MS)), INTERVAL_MS);
  const uploading = send();
  const busy = await pollHealth(port, uploading, INTERVAL_MS);
  const done = await uploading;
  const problem = check(done);
  if (problem) throw new Error(`${kind}: ${problem} (${done.status} ${JSON.stringify(done.out).slice(0, 300)})`);
  const slowest = [...busy].sort((a, b) => b.ms - a.ms).slice(0, 3);
  return { kind, idle: stats(idle), busy: stats(busy), uploadMs: done.ms, slowest };
}

/** A bank the statement is not from, for the upload that is parsed and then refused. */
function otherBank(layout: string): string {
  return layout === 'sbi' ? 'hdfc' : 'sbi';
}

async function run(store: string, workers: string, big: BenchStatement, small: BenchStatement): Promise<Result> {
  const { env, cleanup } = await storeEnv(store);
  try {
    const server = await startProcess('src/main.ts', { ...env, ADMIN_TOKEN, MAX_PDF_PAGES: String(Math.max(1000, PAGES)), ...(workers === 'default' ? {} : { PARSE_WORKERS: workers }) });
    try {
      const { port } = server;
      const client = await json(port, 'POST', '/admin/v1/clients', { authorization: `Bearer ${ADMIN_TOKEN}` }, { name: 'bench' });
      const apiKey = client.api_key as string;
      // Bankless (multi_banking): the bank is whatever each upload names or the statement shows.
      const session = await json(port, 'POST', '/bank-connect/v1/session/', { 'x-api-key': apiKey }, {
        link_id: 'bench-under-load',
        journey_mode: 'multi_banking',
        from_date: '01/05/2026',
        to_date: '31/10/2026',
      });
      const sessionId = session.session_id as string;
      // Warm-up: a small statement through the same path, so that the workers and the server are warm.
      const warm = await upload(port, apiKey, sessionId, small.pdf);
      if (warm.status !== 200) throw new Error(`warm-up upload: ${warm.status} ${JSON.stringify(warm.out)}`);

      const parseOnly = await measure(port, 'parse only', () => upload(port, apiKey, sessionId, big.pdf, otherBank(values.layout)), (r) =>
        (r.out.error as { code?: string } | undefined)?.code === 'BANK_NAME_MISMATCH' ? null : 'expected BANK_NAME_MISMATCH after the parse',
      );
      const stored = await measure(port, 'parse and store', () => upload(port, apiKey, sessionId, big.pdf), (r) =>
        r.status !== 200 ? 'not accepted' : r.out.transaction_count !== big.rows ? `${String(r.out.transaction_count)} transactions, expected ${big.rows}` : null,
      );
      return { store, workers, runs: [parseOnly, stored] };
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
}

const other = otherCpu();
other.start();
const started = performance.now();
const big = await statementWithPages(PAGES, values.layout);
const small = await statementWithPages(5, values.layout);
const results: Result[] = [];
for (const store of values.stores.split(',')) {
  for (const workers of values.workers.split(',')) {
    const r = await run(store, workers, big, small);
    results.push(r);
    for (const m of r.runs) {
      process.stderr.write(
        `${store}, PARSE_WORKERS=${workers}, ${m.kind}: upload ${m.uploadMs.toFixed(0)} ms; healthz during it p50 ${m.busy.p50.toFixed(1)} p99 ${m.busy.p99.toFixed(1)} max ${m.busy.max.toFixed(1)} ms (${m.busy.n} requests); idle p99 ${m.idle.p99.toFixed(1)} ms\n`,
      );
    }
  }
}

const foreign = other.seconds();
const wall = (performance.now() - started) / 1000;
// The server's PARSE_WORKERS default (src/config.ts): one per core, up to 4.
const defaultWorkers = Math.max(1, Math.min(4, availableParallelism()));
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(
  `Date: ${new Date().toISOString().slice(0, 10)}; a ${big.pages}-page ${values.layout} statement (${big.rows} rows, ${(big.pdf.length / 1024).toFixed(0)} KB); GET /healthz every ${INTERVAL_MS} ms; PARSE_WORKERS default here: ${defaultWorkers}`,
);
console.log(foreign === null ? '' : `Other processes used ${foreign.toFixed(1)} CPU-seconds during the ${wall.toFixed(0)} s run (${((foreign / wall) * 100).toFixed(0)} % of one core)\n`);
console.log('| store | PARSE_WORKERS | upload | upload ms | healthz idle p50 / p99 ms | healthz during upload p50 | p99 | max ms | requests (> 50 ms) | slowest: ms at s into the upload |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  for (const m of r.runs) {
    const p99 = m.busy.p99 < 50 ? `**${m.busy.p99.toFixed(1)}**` : m.busy.p99.toFixed(1);
    const slow = m.slowest.map((s) => `${s.ms.toFixed(0)} at ${(s.at / 1000).toFixed(2)}`).join(', ');
    const failed = m.busy.failed + m.idle.failed ? `, ${m.busy.failed + m.idle.failed} failed` : '';
    console.log(
      `| ${r.store} | ${r.workers === 'default' ? `default (${defaultWorkers})` : r.workers} | ${m.kind} | ${m.uploadMs.toFixed(0)} | ${m.idle.p50.toFixed(1)} / ${m.idle.p99.toFixed(1)} | ${m.busy.p50.toFixed(1)} | ${p99} | ${m.busy.max.toFixed(1)} | ${m.busy.n} (${m.busy.over50}${failed}) | ${slow} |`,
    );
  }
}
