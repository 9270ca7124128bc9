/** Servers for the benchmarks: the real one (or the baseline) as a child process, on a fresh store. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts `script` (src/main.ts or the baseline) and waits until it says it is ready. */
export async function startProcess(script: string, env: Record<string, string>): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. --cpu-prof --cpu-prof-dir=DIR to profile it under load.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => proc.once('exit', r));
  while (!out.includes('passbook ready')) {
    if (proc.exitCode !== null) throw new Error(`${script} exited early`);
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.stdout.removeAllListeners('data');
  proc.stdout.resume();
  return {
    port,
    pid: proc.pid!,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** A fresh store: a temporary DATA_DIR, or a new schema on the local PostgreSQL. */
export async function storeEnv(store: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (store === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'passbook-bench-'));
    return { env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `pb_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`create schema ${schema}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString() },
    cleanup: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** A multipart upload body: `fields`, then `file` as statement.pdf. */
export function multipart(fields: Record<string, string>, file: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----passbook-bench-${randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="statement.pdf"\r\nContent-Type: application/pdf\r\n\r\n`));
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One HTTP request to the server on `port`; the answer's status and body text. */
export function request(port: number, method: string, pathName: string, headers: Record<string, string | number>, body?: Buffer, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method, headers, ...(agent ? { agent } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON request that must succeed; the answer's JSON. */
export async function json(port: number, method: string, pathName: string, headers: Record<string, string>, payload: unknown): Promise<Record<string, unknown>> {
  const body = Buffer.from(JSON.stringify(payload));
  const res = await request(port, method, pathName, { ...headers, 'content-type': 'application/json', 'content-length': body.length }, body);
  if (res.status < 200 || res.status > 299) throw new Error(`${method} ${pathName}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

export interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

/** Sends GET /healthz every `intervalMs` until `stop` resolves, each on its own, and times every answer. */
export async function pollHealth(port: number, stop: Promise<unknown>, intervalMs: number): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const origin = performance.now();
  const timer = setInterval(() => {
    const t0 = performance.now();
    const p = request(port, 'GET', '/healthz', {}, undefined, agent)
      .then((res) => void samples.push({ at: t0 - origin, ms: performance.now() - t0, ok: res.status === 200 }))
      .catch(() => void samples.push({ at: t0 - origin, ms: performance.now() - t0, ok: false }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, intervalMs);
  await stop;
  clearInterval(timer);
  await Promise.all(inFlight);
  agent.destroy();
  return samples;
}

/**
 * pollHealth on a thread of its own (bench/health-poller.mjs). A poller that shares this
 * process's event loop with the load it generates measures that loop's stalls too — 220 requests'
 * answers read ahead of a /healthz answer already in its socket — and charges them to the server.
 * Await `ready` before starting the load; `stop` ends polling and returns the samples.
 */
export function startHealthPoller(port: number, intervalMs: number): { ready: Promise<void>; stop(): Promise<Sample[]> } {
  const worker = new Worker(new URL('./health-poller.mjs', import.meta.url), { workerData: { port, intervalMs } });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const ready = Promise.race([new Promise<void>((resolve) => worker.once('message', () => resolve())), failed]);
  return {
    ready,
    async stop() {
      const samples = Promise.race([new Promise<Sample[]>((resolve) => worker.once('message', resolve)), failed]);
      worker.postMessage('stop');
      const result = await samples;
      await worker.terminate();
      return result;
    },
  };
}

export interface Stats {
  n: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
  over50: number;
}

export function stats(samples: Sample[]): Stats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? NaN;
  return { n: ms.length, failed: samples.filter((s) => !s.ok).length, p50: at(0.5), p99: at(0.99), max: ms.at(-1) ?? NaN, over50: ms.filter((m) => m > 50).length };
}
