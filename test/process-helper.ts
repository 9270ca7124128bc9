/** Starts the real server as a child process, as an operator does: the compiled `dist/main.js`, or `npm start`. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { migratedStoreKey, TEMPLATE_DIR, TEST_DATABASE_URL, type StoreKind } from './helper.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Servers started by each test (startServer), so that cleanup can stop them before removing their files. */
const serversOf = new WeakMap<TestContext, ChildProcess[]>();

/** SIGKILLs the test's servers and waits for them to be gone. */
async function killServers(t: TestContext): Promise<void> {
  await Promise.all(
    (serversOf.get(t) ?? []).map(async (proc) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await gone;
    }),
  );
}

/**
 * A temporary DATA_DIR, removed when the test ends. Cleanup hooks run in the order they were
 * registered, so this one, registered before any server on the directory started, stops those
 * servers first: a server still writing (the demo's first start seeds a session) would leave
 * files behind the removal (ENOTEMPTY).
 */
export function tempDataDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-test-'));
  t.after(async () => {
    await killServers(t);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

let migratedDir: Promise<string> | undefined;

/**
 * A temporary DATA_DIR whose embedded store is already created and migrated, as after a first
 * start. Creating a PGlite data directory (initdb) costs a server start 5-7 CPU-seconds, so one
 * is made once, kept beside the test template (test/helper.ts), and copied. A truly first start
 * is shutdown.slow.test.ts's `npm start` test, which starts on an empty DATA_DIR.
 */
export async function migratedDataDir(t: TestContext): Promise<string> {
  migratedDir ??= (async () => {
    const dir = path.join(TEMPLATE_DIR, `pglite-dir-${migratedStoreKey()}`);
    if (existsSync(dir)) return dir;
    // Made whole under another name, then renamed: files running at once never copy half of one.
    const partial = `${dir}.${process.pid}`;
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    const db = await openPglite({ dataDir: partial });
    await migrate(db);
    await db.close();
    try {
      renameSync(partial, dir);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another file made it first
    }
    return dir;
  })();
  const dataDir = tempDataDir(t);
  cpSync(await migratedDir, path.join(dataDir, 'pg'), { recursive: true });
  return dataDir;
}

/** The environment that points a server at a fresh store: a new DATA_DIR, or a new PostgreSQL schema (dropped after the test). */
export async function storeEnv(t: TestContext, kind: StoreKind): Promise<Record<string, string>> {
  if (kind === 'pglite') return { DATA_DIR: await migratedDataDir(t) };
  const schema = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  await admin.query(`create schema ${schema}`);
  t.after(async () => {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { DATABASE_URL: url.toString() };
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

let built = false;
/** Builds dist/ if anything in src/ changed (a no-op after `npm test`'s own build). */
function ensureBuilt(): void {
  if (!built) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/**
 * Spawns the server and waits until it listens (or exits): `node dist/main.js`, the compiled
 * code an operator runs (starting it through tsx costs each start two seconds of CPU), or
 * `npm start` itself.
 */
export async function startServer(t: TestContext, env: Record<string, string>, how: 'node' | 'npm start' = 'node'): Promise<RunningServer> {
  ensureBuilt();
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const [command, args] = how === 'node' ? [process.execPath, ['dist/main.js']] : ['npm', ['start', '--silent']];
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  serversOf.set(t, [...(serversOf.get(t) ?? []), proc]);
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    return exited;
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + 60_000;
  while (!out.includes('passbook ready') && !exitedEarly && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const ready = out.includes('passbook ready');
  const server = { url: `http://127.0.0.1:${port}`, proc, output: () => out, exited };
  if (!ready && proc.exitCode === null) throw new Error(`server did not start:\n${out}`);
  return server;
}

export async function request(
  server: RunningServer,
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
