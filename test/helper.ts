/**
 * Test harness: builds the app on an empty store (compose.ts, as the server does) and drives
 * it with `inject()`. Every storage-touching test runs twice, on PGlite and on the real
 * PostgreSQL at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): each test
 * process (several files: scripts/run-tests.mjs) has its own in-memory PGlite and its own
 * PostgreSQL schema, emptied before each test.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import type { Deps } from '../src/usecases/deps.ts';
import { createClient, type NewClient } from '../src/usecases/manage-clients.ts';
import type { Db } from '../src/ports/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';
import { openPgliteThread } from '../src/store/pglite-thread-db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { FsBlobStore } from '../src/blobs/fs-blob-store.ts';
import type { UploadLimits } from '../src/ports/statement-parser.ts';
import { ParsePool } from '../src/statements/pool/parse-pool.ts';
import { compose } from '../src/compose.ts';
import { loadConfig, type Config, type WebhookSettings } from '../src/config.ts';
import type { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.ts';
import type { JobWorker } from '../src/jobs/job-worker.ts';

export type StoreKind = 'pglite' | 'postgres';
export const STORES: StoreKind[] = ['pglite', 'postgres'];
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** One parse pool per test file; its workers are unref'd, so it never keeps the file running. */
let parsePool: ParsePool | undefined;
let pgliteTemplate: Promise<Blob> | undefined;
const MIGRATIONS = new URL('../migrations/', import.meta.url);
export const TEMPLATE_DIR = fileURLToPath(new URL('../node_modules/.cache/passbook-tests/', import.meta.url));
let adminPool: pg.Pool | undefined;

/** Names a migrated PGlite: it changes with PGlite's version and with every migration. */
export function migratedStoreKey(): string {
  const hash = createHash('sha256').update(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  for (const name of readdirSync(MIGRATIONS).sort()) hash.update(name).update(readFileSync(new URL(name, MIGRATIONS)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated, empty PGlite data directory. Creating one runs initdb (several seconds), so it is
 * kept on disk for the next test files, under a name that changes with PGlite's version and
 * with every migration.
 */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = path.join(TEMPLATE_DIR, `pglite-${migratedStoreKey()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await openPglite();
    await migrate(db);
    const dump = await db.pglite.dumpDataDir('none');
    await db.close();
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    // Written whole, then renamed: files running at the same time never read half of one.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  })();
  return pgliteTemplate;
}

function postgresAdmin(): pg.Pool {
  // allowExitOnIdle: the pool lives for the whole test file and must not keep it running.
  adminPool ??= new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, allowExitOnIdle: true });
  return adminPool;
}

async function freshPostgresSchema(): Promise<string> {
  const schema = `pb_test_${randomBytes(6).toString('hex')}`;
  try {
    await postgresAdmin().query(`create schema ${schema}`);
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return schema;
}

/**
 * The store a test process's tests share, one at a time: opening a PGlite costs about a second
 * and a migrated PostgreSQL schema a few hundred milliseconds, emptying every table a few
 * milliseconds. Each test process has its own PGlite and its own PostgreSQL schema, so
 * processes run in parallel without seeing each other.
 */
interface SharedStore {
  db: Db;
  /** The migrated tables; anything else a test created is dropped. */
  tables: string[];
  inUse: boolean;
}
const sharedStores = new Map<StoreKind, Promise<SharedStore>>();
const closeAtEnd: (() => Promise<void>)[] = [];
// At the top level, `after` runs once the file's tests are done.
after(async () => {
  for (const close of closeAtEnd.splice(0)) await close();
});

/**
 * A migrated, empty store of `kind`, and how to close it (on PostgreSQL, dropping its schema).
 * PGlite loads the migrated template; PostgreSQL gets a new schema, migrated.
 */
async function openMigrated(kind: StoreKind): Promise<{ db: Db; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    // An open PGlite keeps the process running: it must be closed. PASSBOOK_TEST_PGLITE_THREAD=1
    // runs it on its own thread, as the server does (pglite-thread-db.ts).
    const options = { loadDataDir: await migratedPgliteTemplate() };
    const db = process.env.PASSBOOK_TEST_PGLITE_THREAD === '1' ? await openPgliteThread(options) : await openPglite(options);
    return { db, close: () => db.close() };
  }
  const schema = await freshPostgresSchema();
  const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, maxConnections: 5, allowExitOnIdle: true });
  await migrate(db);
  const close = async () => {
    await db.close();
    await postgresAdmin().query(`drop schema ${schema} cascade`);
  };
  return { db, close };
}

function sharedStore(kind: StoreKind): Promise<SharedStore> {
  let store = sharedStores.get(kind);
  if (!store) {
    store = (async () => {
      const { db, close } = await openMigrated(kind);
      closeAtEnd.push(close);
      const tables = (await db.query<{ name: string }>("select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations'")).map((r) => r.name);
      return { db, tables, inUse: false };
    })();
    sharedStores.set(kind, store);
  }
  return store;
}

/** Empties the shared store: every migrated table, and whatever else the last test created. */
async function resetStore(store: SharedStore): Promise<void> {
  const extra = (await store.db.query<{ name: string }>('select tablename as name from pg_tables where schemaname = current_schema()'))
    .map((r) => r.name)
    .filter((name) => name !== 'schema_migrations' && !store.tables.includes(name));
  const sql = [
    ...extra.map((name) => `drop table if exists "${name}" cascade;`),
    `truncate ${store.tables.map((name) => `"${name}"`).join(', ')} restart identity cascade;`,
  ].join('\n');
  await store.db.exec(sql);
}

/**
 * A migrated, empty store for one test. Normally the file's shared store (closing it is left
 * to the file's end); `fresh`, or when another test of the file still holds the shared one, a
 * store of its own, closed (and on PostgreSQL dropped) when the test ends: for tests that
 * close their store or need two.
 */
export async function openTestDb(t: TestContext, kind: StoreKind, options: { fresh?: boolean } = {}): Promise<Db> {
  if (!options.fresh) {
    const store = await sharedStore(kind);
    if (!store.inUse) {
      store.inUse = true;
      t.after(() => {
        store.inUse = false;
      });
      await resetStore(store);
      return { ...store.db, close: async () => {} };
    }
  }
  const { db, close } = await openMigrated(kind);
  t.after(close);
  return db;
}

/** Runs `body` once per store, as a `describe` block named after the store. */
export function forEachStore(body: (kind: StoreKind) => void): void {
  for (const kind of STORES) describe(kind, () => body(kind));
}

export interface TestAppOptions {
  now?: () => Date;
  adminToken?: string | null;
  publicUrl?: string;
  defaultSessionExpiryMinutes?: number;
  clientCacheTtlMs?: number;
  /** Reuse an existing store (two apps on one database). */
  db?: Db;
  /** A store of the test's own instead of the file's shared one (a test that closes it). */
  freshStore?: boolean;
  limits?: Partial<UploadLimits>;
  /** Leave the job worker stopped (tests then run jobs with `worker.drain()`). */
  jobsStopped?: boolean;
  /** Serve the newcomer demo at /demo (config.demo). */
  demo?: boolean;
  webhooks?: Partial<WebhookSettings>;
  /** A lender's narration rules file, tried before the bundled rules (ENRICHMENT_RULES_FILE). */
  enrichmentRulesFile?: string;
  /**
   * Account Aggregator mode on the built-in sandbox AA, mounted in the app; the FIU and the AA
   * reach each other through the app in-process (`inject`), signatures and all.
   */
  aaSandbox?: boolean;
}

/** Tests deliver to receivers on loopback over http, and retry quickly. */
export const TEST_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHttp: true,
  allowPrivate: true,
  timeoutMs: 2000,
  retryBaseMs: 50,
  retryWindowMs: 3600_000,
  concurrency: 8,
  maxInFlightPerClient: 4,
};

export interface TestApp {
  app: FastifyInstance;
  worker: JobWorker;
  webhooks: WebhookDispatcher;
  blobDir: string;
  db: Db;
  deps: Deps;
  logs: string[];
  /** Creates a client directly through the use case and returns its credentials. */
  client(input?: Partial<NewClient>): Promise<{ clientId: string; apiKey: string; serverHash: string }>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function buildTestApp(t: TestContext, kind: StoreKind, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await openTestDb(t, kind, { fresh: options.freshStore ?? false }));
  const defaults = loadConfig({});
  const config: Config = {
    ...defaults,
    publicUrl: options.publicUrl ?? 'https://journey.passbook.test',
    defaultSessionExpiryMinutes: options.defaultSessionExpiryMinutes ?? 1440,
    timeZone: 'Asia/Kolkata',
    adminToken: options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN),
    demo: options.demo ?? false,
    clientCacheTtlMs: options.clientCacheTtlMs ?? 0,
    // Tests fetch file_url from servers on loopback.
    uploads: { ...defaults.uploads, allowPrivateFileUrls: true, fileUrlTimeoutMs: 5000, ...options.limits },
    webhooks: { ...TEST_WEBHOOK_SETTINGS, ...options.webhooks },
    enrichmentRulesFile: options.enrichmentRulesFile ?? null,
    aa: options.aaSandbox ? { kind: 'sandbox' } : null,
    // A cheap scrypt: tests hash passwords often; the cost's own behaviour is password-hash's test.
    console: { ...defaults.console, passwordCost: { log2N: 10, r: 8, p: 1 } },
  };
  let appForFetch: FastifyInstance | null = null;
  const blobDir = mkdtempSync(path.join(tmpdir(), 'passbook-blobs-'));
  t.after(() => rmSync(blobDir, { recursive: true, force: true }));
  const composition = await compose(config, {
    db,
    blobs: new FsBlobStore(blobDir),
    parser: (parsePool ??= new ParsePool({ workers: 1, timeoutMs: 60_000, maxHeapMb: 1024 })),
    ...(options.now ? { now: options.now } : {}),
    pollMs: 50,
    aaSandbox: { keepKeys: false, fetch: (input, init) => injectFetch(appForFetch!, input, init) },
  });
  const { deps } = composition;
  const { jobs: worker, webhooks } = composition.workers;
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({ deps, config, logStream, checkResponses: true, aaSandbox: composition.aaSandbox });
  appForFetch = app;
  if (!options.jobsStopped) {
    worker.start();
    webhooks.start();
  }
  t.after(async () => {
    await app.close();
    await composition.close();
  });
  return {
    app,
    worker,
    webhooks,
    blobDir,
    db,
    deps,
    logs,
    async client(input = {}) {
      const { client, credentials } = await createClient(deps, { name: 'acme', ...input });
      return { clientId: client.clientId, ...credentials };
    },
    inject: (opts) => app.inject(opts),
  };
}

/**
 * `fetch` served by the app in-process: the request goes through Fastify (routing, parsers,
 * hooks) exactly as over a socket. Only same-app URLs are served; anything else fails as a
 * network error would.
 */
export async function injectFetch(app: FastifyInstance, input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const payload = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body as Uint8Array);
  const res = await app.inject({ method: (init.method ?? 'GET') as 'GET', url: url.pathname + url.search, headers, ...(payload === undefined ? {} : { payload }) });
  const out = new Headers();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
}

/** Parses a response body as JSON. */
export function body<T = Record<string, any>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}

/** A multipart body with `fields` and one PDF part named `file`, as a browser or curl -F sends it. */
export function multipartPdf(fields: Record<string, string>, file: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const b = '----passbook-test';
  const head = Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    payload: Buffer.concat([Buffer.from(`${head}--${b}\r\nContent-Disposition: form-data; name="file"; filename="s.pdf"\r\n\r\n`), file, Buffer.from(`\r\n--${b}--\r\n`)]),
  };
}

/** Reads until `done` holds, every 25 ms, `tries` times at most; fails naming `what` and the last value. */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, tries = 400): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 25));
    value = await read();
  }
  assert.ok(done(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}
