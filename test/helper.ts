/**
 * Test harness: builds the app on a fresh store and drives it with `inject()`.
 * Every storage-touching test runs twice, on PGlite and on the real PostgreSQL at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), each test on a fresh
 * in-memory PGlite or a fresh PostgreSQL schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, type TestContext } from 'node:test';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadBankCatalogue } from '../src/banks/bank-catalogue.ts';
import { ClientDirectory } from '../src/usecases/client-directory.ts';
import type { Deps } from '../src/usecases/deps.ts';
import { createClient, type NewClient } from '../src/usecases/manage-clients.ts';
import type { Db } from '../src/ports/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { createSessionWriter } from '../src/store/session-writer.ts';
import { FsBlobStore } from '../src/blobs/fs-blob-store.ts';
import type { UploadLimits } from '../src/ports/statement-parser.ts';
import { ParsePool } from '../src/statements/pool/parse-pool.ts';
import { createWorkers } from '../src/jobs/session-jobs.ts';
import type { WebhookSettings } from '../src/config.ts';
import type { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.ts';
import type { JobWorker } from '../src/jobs/job-worker.ts';

export type StoreKind = 'pglite' | 'postgres';
export const STORES: StoreKind[] = ['pglite', 'postgres'];
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

let pgliteTemplate: Promise<Blob> | undefined;
/** One parse pool per test file; its workers are unref'd, so it never keeps the file running. */
let parsePool: ParsePool | undefined;
let adminPool: pg.Pool | undefined;

function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const db = await openPglite();
    await migrate(db);
    const dump = await db.pglite.dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return pgliteTemplate;
}

function postgresAdmin(): pg.Pool {
  // allowExitOnIdle: the pool lives for the whole test file and must not keep it running.
  adminPool ??= new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, allowExitOnIdle: true });
  return adminPool;
}

/** A fresh, migrated store that is closed (and, on PostgreSQL, dropped) when the test ends. */
export async function openTestDb(t: TestContext, kind: StoreKind): Promise<Db> {
  if (kind === 'pglite') {
    const db = await openPglite({ loadDataDir: await migratedPgliteTemplate() });
    t.after(() => db.close());
    return db;
  }
  const schema = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = postgresAdmin();
  try {
    await admin.query(`create schema ${schema}`);
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema, maxConnections: 5 });
  await migrate(db);
  t.after(async () => {
    await db.close();
    await admin.query(`drop schema ${schema} cascade`);
  });
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
  limits?: Partial<UploadLimits>;
  /** Leave the job worker stopped (tests then run jobs with `worker.drain()`). */
  jobsStopped?: boolean;
  /** Serve the newcomer demo at /demo (config.demo). */
  demo?: boolean;
  webhooks?: Partial<WebhookSettings>;
}

/** Tests deliver to receivers on loopback over http, and retry quickly. */
export const TEST_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHttp: true,
  allowPrivate: true,
  timeoutMs: 2000,
  retryBaseMs: 50,
  retryWindowMs: 3600_000,
  concurrency: 8,
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
  const db = options.db ?? (await openTestDb(t, kind));
  const config = {
    publicUrl: options.publicUrl ?? 'https://journey.passbook.test',
    defaultSessionExpiryMinutes: options.defaultSessionExpiryMinutes ?? 1440,
    timeZone: 'Asia/Kolkata',
    adminToken: options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN),
    logLevel: 'info' as const,
    demo: options.demo ?? false,
  };
  const blobDir = mkdtempSync(path.join(tmpdir(), 'passbook-blobs-'));
  t.after(() => rmSync(blobDir, { recursive: true, force: true }));
  const now = options.now ?? (() => new Date());
  const banks = loadBankCatalogue();
  const blobs = new FsBlobStore(blobDir);
  const webhookSettings = { ...TEST_WEBHOOK_SETTINGS, ...options.webhooks };
  const { jobs: worker, webhooks } = createWorkers({ db, banks, now, blobs }, webhookSettings, { pollMs: 50 });
  const deps: Deps = {
    db,
    banks,
    clients: new ClientDirectory(db, options.clientCacheTtlMs ?? 0),
    sessionWriter: createSessionWriter(db),
    blobs,
    parser: (parsePool ??= new ParsePool({ workers: 1, timeoutMs: 60_000, maxHeapMb: 1024 })),
    // Tests fetch file_url from servers on loopback.
    limits: { maxBytes: 25 * 1024 * 1024, maxPages: 500, allowPrivateFileUrls: true, fileUrlTimeoutMs: 5000, ...options.limits },
    jobs: worker,
    webhooks,
    webhookSettings,
    config,
    now,
  };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({ deps, config, logStream, checkResponses: true });
  if (!options.jobsStopped) {
    worker.start();
    webhooks.start();
  }
  t.after(async () => {
    await app.close();
    await worker.stop();
    await webhooks.stop();
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
