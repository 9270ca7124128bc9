/**
 * bench/webhooks: webhook delivery throughput and delay, from the state change that records an
 * event to its arrival at a receiver.
 *
 *   node --import tsx bench/webhooks.ts [--events 10000] [--rate 500] [--stores pglite,postgres] [--concurrency 16]
 *
 * The store is opened in this process as the server opens it: PGlite on disk in a temporary
 * DATA_DIR, or a fresh schema on the local PostgreSQL. The events come from a real state
 * change: `--events` sessions of one client expire, and the sweeper (`expireSessions`)
 * records SESSION_EXPIRY_NOTIFICATION for each in the transaction that marks it expired. The
 * dispatcher (`WebhookDispatcher`, as in the server) delivers them to a receiver in a separate
 * process on loopback. The receiver answers 200 at once and notes when each event arrived.
 *
 * Two runs per store:
 * - **burst:** every session expires at once, and one sweep records all the events in
 *   transactions of 200. This measures the most the dispatcher delivers per second.
 * - **paced:** sessions expire at `--rate` per second, swept every 50 ms (the server sweeps
 *   every 15 s; the sweep interval is not what is measured here). This measures the delay
 *   at a steady load.
 *
 * The delay of an event is its arrival at the receiver minus its `created_at` (the sweep's
 * clock reading, in the same transaction as the change). Prints Markdown rows for
 * docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadBankCatalogue, type BankCatalogue } from '../src/banks/bank-catalogue.ts';
import { buildSession } from '../src/usecases/create-session.ts';
import { expireSessions } from '../src/usecases/expire-sessions.ts';
import { createClient } from '../src/usecases/manage-clients.ts';
import type { Client } from '../src/domain/client.ts';
import type { Session } from '../src/domain/session.ts';
import type { Db } from '../src/ports/db.ts';
import { openStore } from '../src/store/open-store.ts';
import { sessionsRepository } from '../src/store/repositories/sessions-repository.ts';
import { webhooksRepository } from '../src/store/repositories/webhooks-repository.ts';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.ts';
import { newWebhookSecret } from '../src/webhooks/webhook-signing.ts';
import { storeEnv } from './bench-servers.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '500' },
    stores: { type: 'string', default: 'pglite,postgres' },
    concurrency: { type: 'string', default: '16' },
  },
});
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const CONCURRENCY = Number(args.concurrency);

/** The receiver, in its own process so that it does not share the dispatcher's event loop. */
const RECEIVER = `
const http = require('node:http');
const delays = [];
let first = Infinity, last = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.end(JSON.stringify({ delays, first, last }));
    delays.length = 0; first = Infinity; last = 0;
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const created = Date.parse(JSON.parse(Buffer.concat(chunks)).created_at);
    delays.push(now - created);
    first = Math.min(first, created);
    last = Math.max(last, now);
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startReceiver(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => proc.stdout.once('data', (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}/hook`, proc };
}

async function receiverStats(url: string): Promise<{ delays: number[]; first: number; last: number }> {
  return (await fetch(url)).json() as Promise<{ delays: number[]; first: number; last: number }>;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Sessions as the Session API builds them, each with its own expiry. */
async function insertSessions(db: Db, banks: BankCatalogue, client: Client, expiresAt: (i: number) => Date): Promise<void> {
  const deps = { banks, now: () => new Date(), config: { publicUrl: 'http://localhost', defaultSessionExpiryMinutes: 60, timeZone: 'Asia/Kolkata' } };
  const repo = sessionsRepository(db);
  for (let start = 0; start < EVENTS; start += 500) {
    const batch: Session[] = [];
    for (let i = start; i < Math.min(EVENTS, start + 500); i++) {
      const session = buildSession(deps, client, { link_id: `bench-${i}`, accept_anything: false, is_mobile_field_editable: false });
      batch.push({ ...session, expiresAt: expiresAt(i) });
    }
    await repo.insertMany(batch);
  }
}

async function waitDelivered(db: Db, receiverUrl: string): Promise<{ delays: number[]; first: number; last: number }> {
  for (;;) {
    const rows = await db.query<{ n: string }>("select count(*) as n from webhook_events where status <> 'delivered'");
    const total = await db.query<{ n: string }>('select count(*) as n from webhook_events');
    if (Number(rows[0]!.n) === 0 && Number(total[0]!.n) === EVENTS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return receiverStats(receiverUrl);
}

async function run(store: string, receiverUrl: string, mode: 'burst' | 'paced'): Promise<string> {
  const { env, cleanup } = await storeEnv(store);
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'passbook-bench-'));
  const db = await openStore({ databaseUrl: env.DATABASE_URL, dataDir });
  const banks = loadBankCatalogue();
  // One client: without its cap at CONCURRENCY this would measure a quarter of the slots, not the dispatcher.
  const settings = { allowHttp: true, allowPrivate: true, timeoutMs: 10_000, retryBaseMs: 10_000, retryWindowMs: 24 * 3600_000, concurrency: CONCURRENCY, maxInFlightPerClient: CONCURRENCY };
  const dispatcher = new WebhookDispatcher(db, settings, { pollMs: 1000, onError: (e) => console.error(e) });
  try {
    const { client } = await createClient({ db }, { name: 'bench' });
    await webhooksRepository(db).setWebhook(client.clientId, receiverUrl, 1, newWebhookSecret());
    const t0 = Date.now() + 2000;
    await insertSessions(db, banks, client, (i) => (mode === 'burst' ? new Date(t0 - 1000) : new Date(t0 + (i * 1000) / RATE)));
    dispatcher.start();
    const deps = { db, banks, webhooks: dispatcher };
    while (Date.now() < t0) await new Promise((r) => setTimeout(r, 10));
    const sweepStart = Date.now();
    if (mode === 'burst') {
      await expireSessions(deps, new Date());
    } else {
      let expired = 0;
      while (expired < EVENTS) {
        expired += await expireSessions(deps, new Date());
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const sweepMs = Date.now() - sweepStart;
    const { delays, first, last } = await waitDelivered(db, receiverUrl);
    const sorted = delays.sort((a, b) => a - b);
    const seconds = (last - first) / 1000;
    const rate = mode === 'burst' ? `${Math.round(EVENTS / seconds).toLocaleString('en-US')}/s` : `${RATE}/s offered`;
    return `| ${store} | ${mode} | ${EVENTS.toLocaleString('en-US')} | ${sweepMs.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${rate} | ${quantile(sorted, 0.5)} | ${quantile(sorted, 0.99)} | ${sorted.at(-1)} |`;
  } finally {
    await dispatcher.stop();
    await db.close();
    await cleanup();
    if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

const receiver = await startReceiver();
console.log(`${cpus().length} vCPU ${cpus()[0]?.model ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, parallelism ${availableParallelism()}, concurrency ${CONCURRENCY}`);
console.log('| store | run | events | recording ms | first change → last delivery s | deliveries/s | delay p50 ms | p99 ms | max ms |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
try {
  for (const store of args.stores.split(',')) {
    for (const mode of ['burst', 'paced'] as const) console.log(await run(store, receiver.url, mode));
  }
} finally {
  receiver.proc.kill();
}
