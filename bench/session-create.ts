/**
 * bench/session-create: drives `POST /bank-connect/v1/session/` at a fixed concurrency for a
 * fixed time against a running server, on the embedded store and on PostgreSQL, next to a
 * baseline route on the same framework that does one INSERT into the same store.
 *
 *   npm run bench:session-create -- [--duration 20] [--concurrency 32] [--stores pglite,postgres]
 *
 * Needs the local PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 * for the postgres rows. Prints a Markdown table; paste it into docs/benchmarks.md.
 */
import http from 'node:http';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN, startProcess, storeEnv } from './bench-servers.ts';


const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    stores: { type: 'string', default: 'pglite,postgres' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CONCURRENCY = Number(values.concurrency);

interface Result {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function post(agent: http.Agent, port: number, pathName: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathName, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(port: number, pathName: string, headers: Record<string, string>): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const warmupUntil = Date.now() + 2000;
  while (Date.now() < warmupUntil) await post(agent, port, pathName, JSON.stringify({ link_id: 'warmup' }), headers);
  const start = performance.now();
  const end = start + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const body = JSON.stringify({ link_id: `user-${n++}`, bank_name: 'hdfc', mode: 'pdf', from_date: '01/05/2026', to_date: '15/11/2026' });
        const t0 = performance.now();
        const status = await post(agent, port, pathName, body, headers);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { requests: latencies.length, errors, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

async function run(store: string, target: 'baseline' | 'passbook'): Promise<Result> {
  const { env, cleanup } = await storeEnv(store);
  try {
    if (target === 'baseline') {
      const server = await startProcess('bench/baseline-server.ts', env);
      try {
        return await load(server.port, '/baseline', {});
      } finally {
        await server.stop();
      }
    }
    const server = await startProcess('src/main.ts', { ...env, ADMIN_TOKEN });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/admin/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench' }),
      });
      const client = (await res.json()) as { api_key: string };
      return await load(server.port, '/bank-connect/v1/session/', { 'x-api-key': client.api_key });
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
}

const rows: string[] = [];
for (const store of values.stores.split(',')) {
  const baseline = await run(store, 'baseline');
  const passbook = await run(store, 'passbook');
  const ratio = passbook.perSecond / baseline.perSecond;
  for (const [name, r] of [['baseline: bare route, one INSERT', baseline], ['POST /bank-connect/v1/session/', passbook]] as const) {
    rows.push(`| ${store} | ${name} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.requests} | ${r.errors} |`);
  }
  rows.push(`| ${store} | **session create ÷ baseline** | **${(ratio * 100).toFixed(0)} %** | | | | |`);
  process.stderr.write(`${store}: baseline ${baseline.perSecond.toFixed(0)}/s, passbook ${passbook.perSecond.toFixed(0)}/s (${(ratio * 100).toFixed(0)} %)\n`);
}

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`Date: ${new Date().toISOString().slice(0, 10)}; concurrency ${CONCURRENCY}, ${DURATION_MS / 1000} s per run after a 2 s warm-up\n`);
console.log('| store | target | requests/s | p50 ms | p99 ms | requests | non-200 |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
