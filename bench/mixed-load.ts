/**
 * bench/mixed-load: does a burst of ordinary traffic stall the server? Starts the real server
 * (dist/main.js) on a fresh store, then at once sends 200 `POST /bank-connect/v1/session/` and
 * 20 statement uploads (each into its own session), all concurrent, while `GET /healthz` goes out
 * every 10 ms on a fixed schedule (a stalled event loop shows in its latencies). Issue 13's
 * target: `/healthz` p99 under 50 ms during that load, on both stores.
 *
 *   npm run build && node --import tsx bench/mixed-load.ts [--sessions 200] [--uploads 20] [--pages 5] [--stores pglite,postgres] [--rounds 3]
 *
 * Every round runs on the same server after one untimed warm-up round; the table gives each
 * store's rounds pooled. Needs the local PostgreSQL (TEST_DATABASE_URL) for the postgres rows.
 * Prints a Markdown table for docs/benchmarks.md ("Mixed load").
 */
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN, json, multipart, pollHealth, request, startHealthPoller, startProcess, stats, storeEnv, type Sample, type Stats } from './bench-servers.ts';
import { statementWithPages, type BenchStatement } from './parse.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '200' },
    uploads: { type: 'string', default: '20' },
    pages: { type: 'string', default: '5' },
    stores: { type: 'string', default: 'pglite,postgres' },
    rounds: { type: 'string', default: '3' },
    interval: { type: 'string', default: '10' },
    // thread: /healthz polled from a thread of its own (startHealthPoller); same: from this event loop, as before 2026-12-03.
    poller: { type: 'string', default: 'thread' },
    // The server's settings, NAME=value, repeatable (e.g. --env HTTP_MAX_ACTIVE_REQUESTS=8).
    env: { type: 'string', multiple: true, default: [] },
  },
});
const SESSIONS = Number(values.sessions);
const UPLOADS = Number(values.uploads);
const ROUNDS = Number(values.rounds);
const INTERVAL_MS = Number(values.interval);
const POLLER = values.poller === 'same' ? 'same' : 'thread';
const SERVER_ENV = Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

const SESSION_BODY = { journey_mode: 'multi_banking', from_date: '01/05/2026', to_date: '31/10/2026' };

interface Timed {
  ms: number;
  ok: boolean;
}

async function timed(send: () => Promise<{ status: number }>): Promise<Timed> {
  const t0 = performance.now();
  try {
    const res = await send();
    return { ms: performance.now() - t0, ok: res.status === 200 || res.status === 201 };
  } catch {
    return { ms: performance.now() - t0, ok: false };
  }
}

/** One burst: SESSIONS creations and UPLOADS uploads at once, healthz polled throughout. */
async function burst(port: number, apiKey: string, statement: BenchStatement, round: number): Promise<{ health: Sample[]; creates: Timed[]; uploads: Timed[]; wallMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SESSIONS + UPLOADS });
  // The upload sessions are made before the burst: the burst's uploads are the load, not their setup.
  const uploadSessions = await Promise.all(
    Array.from({ length: UPLOADS }, (_, i) => json(port, 'POST', '/bank-connect/v1/session/', { 'x-api-key': apiKey }, { ...SESSION_BODY, link_id: `mixed-up-${round}-${i}` })),
  );
  const poller = POLLER === 'thread' ? startHealthPoller(port, INTERVAL_MS) : null;
  await poller?.ready;
  const t0 = performance.now();
  const creates = Array.from({ length: SESSIONS }, (_, i) =>
    timed(() => {
      const body = Buffer.from(JSON.stringify({ ...SESSION_BODY, link_id: `mixed-${round}-${i}` }));
      return request(port, 'POST', '/bank-connect/v1/session/', { 'x-api-key': apiKey, 'content-type': 'application/json', 'content-length': body.length }, body, agent);
    }),
  );
  const uploads = uploadSessions.map((session) =>
    timed(() => {
      const { body, contentType } = multipart({ session_id: session.session_id as string, upload_type: 'PDF' }, statement.pdf);
      return request(port, 'POST', '/bank-connect/v1/statement/upload_session/', { 'x-api-key': apiKey, 'content-type': contentType, 'content-length': body.length }, body, agent);
    }),
  );
  const all = Promise.all([Promise.all(creates), Promise.all(uploads)]);
  const health = poller ? (await all, await poller.stop()) : await pollHealth(port, all, INTERVAL_MS);
  const [c, u] = await all;
  const wallMs = performance.now() - t0;
  agent.destroy();
  return { health, creates: c, uploads: u, wallMs };
}

function timedStats(rows: Timed[]): Stats {
  return stats(rows.map((r, i) => ({ at: i, ms: r.ms, ok: r.ok })));
}

interface Result {
  store: string;
  health: Stats;
  creates: Stats;
  uploads: Stats;
  wallMs: number[];
}

async function run(store: string, statement: BenchStatement): Promise<Result> {
  const { env, cleanup } = await storeEnv(store);
  try {
    const server = await startProcess('dist/main.js', { ...env, ADMIN_TOKEN, ...SERVER_ENV });
    try {
      const { port } = server;
      const client = await json(port, 'POST', '/admin/v1/clients', { authorization: `Bearer ${ADMIN_TOKEN}` }, { name: 'bench' });
      const apiKey = client.api_key as string;
      await burst(port, apiKey, statement, 0);
      const rounds = [];
      for (let round = 1; round <= ROUNDS; round++) rounds.push(await burst(port, apiKey, statement, round));
      return {
        store,
        health: stats(rounds.flatMap((r) => r.health)),
        creates: timedStats(rounds.flatMap((r) => r.creates)),
        uploads: timedStats(rounds.flatMap((r) => r.uploads)),
        wallMs: rounds.map((r) => r.wallMs),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
}

const statement = await statementWithPages(Number(values.pages));
const before = loadavg();
const results: Result[] = [];
for (const store of values.stores.split(',')) {
  const r = await run(store, statement);
  results.push(r);
  process.stderr.write(`${store}: healthz p99 ${r.health.p99.toFixed(1)} ms, session create p99 ${r.creates.p99.toFixed(0)} ms, upload p99 ${r.uploads.p99.toFixed(0)} ms\n`);
}
const after = loadavg();
const ms = (n: number) => n.toFixed(n < 100 ? 1 : 0);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`Load average (1 min) ${before[0]!.toFixed(1)} before, ${after[0]!.toFixed(1)} after`);
console.log(
  `Per round: ${SESSIONS} session creations and ${UPLOADS} uploads of a ${statement.pages}-page statement (${statement.rows} rows) at once, GET /healthz every ${INTERVAL_MS} ms (polled from ${POLLER === "thread" ? "a thread of its own" : "the load generator's event loop"}); ${ROUNDS} rounds after a warm-up\n`,
);
console.log('| store | healthz p50 / p99 / max ms (> 50 ms) | session create p50 / p99 ms | upload p50 / p99 ms | failed | round wall ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const failed = r.health.failed + r.creates.failed + r.uploads.failed;
  console.log(
    `| ${r.store} | ${ms(r.health.p50)} / ${ms(r.health.p99)} / ${ms(r.health.max)} (${r.health.over50} of ${r.health.n}) | ${ms(r.creates.p50)} / ${ms(r.creates.p99)} | ${ms(r.uploads.p50)} / ${ms(r.uploads.p99)} | ${failed} | ${r.wallMs.map((w) => w.toFixed(0)).join(', ')} |`,
  );
}
