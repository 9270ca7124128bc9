/**
 * The composition root: the one place that picks adapters from config (PGlite or PostgreSQL,
 * files or S3) and wires what the use cases are given. The server (main.ts), the CLI and the
 * tests all build their `Deps` here; tests only swap in a fresh store, a shared parse pool and
 * a clock.
 */
import { loadBankCatalogue } from './banks/bank-catalogue.ts';
import { openBlobStore } from './blobs/open-blob-store.ts';
import { loadNarrationRules } from './enrichment/narration-rules.ts';
import type { Config } from './config.ts';
import { createWorkers, type BackgroundWorkers } from './jobs/session-jobs.ts';
import type { BlobStore } from './ports/blob-store.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { Db } from './ports/db.ts';
import type { StatementParser } from './ports/statement-parser.ts';
import { ParsePool } from './statements/pool/parse-pool.ts';
import { openStore } from './store/open-store.ts';
import { createSessionWriter } from './store/session-writer.ts';
import { ClientDirectory } from './usecases/client-directory.ts';
import type { Deps } from './usecases/deps.ts';
import type { AaDeps } from './usecases/aa-deps.ts';
import { remoteAaDeps, sandboxAaDeps } from './compose-aa.ts';
import type { AaSandbox } from './aa/sandbox/aa-sandbox.ts';

export interface ComposeOverrides {
  /** An open store to use instead of the configured one (not closed by `close`). */
  db?: Db;
  blobs?: BlobStore;
  /** A parser to use instead of a pool of its own (not closed by `close`). */
  parser?: StatementParser;
  now?: Clock;
  /**
   * For the sandbox AA (config.aa = sandbox): the fetch both sides use (tests call the app
   * in-process), and whether its keys are kept under DATA_DIR (default) or made afresh.
   */
  aaSandbox?: { fetch?: typeof globalThis.fetch; keepKeys?: boolean };
  /** How often idle background workers look for work (default 1 s). */
  pollMs?: number;
  onBackgroundError?: (error: unknown) => void;
}

export interface Composition {
  deps: Deps;
  /** The sandbox AA to mount in the app (at AA_SANDBOX_PREFIX), when config asks for it. */
  aaSandbox: AaSandbox | null;
  workers: BackgroundWorkers;
  /** Starts the parse workers now rather than on the first statement. */
  warmParser(): void;
  /** Stops the background workers, then closes the parser and the store this composition opened. */
  close(): Promise<void>;
}

/**
 * Parse timeout, per-worker heap, and per-worker heap plus ArrayBuffers (decoded streams, pdfjs's
 * buffers): a statement past any of them fails on its own, the process stays (docs/statements.md,
 * "Hostile files").
 */
const PARSE_TIMEOUT_MS = 120_000;
const PARSE_WORKER_HEAP_MB = 1024;
const PARSE_WORKER_MEMORY_MB = 1536;

export async function compose(config: Config, overrides: ComposeOverrides = {}): Promise<Composition> {
  const db = overrides.db ?? (await openStore(config));
  const ownPool = overrides.parser ? null : new ParsePool({ workers: config.parseWorkers, timeoutMs: PARSE_TIMEOUT_MS, maxHeapMb: PARSE_WORKER_HEAP_MB, maxMemoryMb: PARSE_WORKER_MEMORY_MB });
  const now = overrides.now ?? systemClock;
  const banks = loadBankCatalogue();
  // Read once: a bad override file stops start-up with its problem, not the first processing job.
  const narrationRules = loadNarrationRules(config.enrichmentRulesFile ?? undefined);
  const blobs = overrides.blobs ?? (await openBlobStore(config));
  let aa: AaDeps | null = null;
  let aaSandbox: AaSandbox | null = null;
  if (config.aa?.kind === 'remote') aa = await remoteAaDeps(config.aa, now);
  if (config.aa?.kind === 'sandbox') {
    const keysDir = overrides.aaSandbox?.keepKeys === false ? null : config.dataDir;
    ({ aa, sandbox: aaSandbox } = await sandboxAaDeps(config.publicUrl, keysDir, now, overrides.aaSandbox?.fetch));
  }
  const workers = createWorkers({ db, banks, narrationRules, now, blobs, aa }, config.webhooks, {
    pollMs: overrides.pollMs ?? 1000,
    jobLeaseMs: config.jobLeaseMs,
    // An embedded store opened here is this process's alone (the data-directory lock), so no
    // other process can be running its jobs: the leases a kill -9 left are freed at start. A
    // store handed in may be shared (tests run two apps on one), so its leases are respected.
    releaseJobLeasesAtStart: !overrides.db && db.kind === 'pglite',
    ...(overrides.onBackgroundError ? { onError: overrides.onBackgroundError } : {}),
  });
  const deps: Deps = {
    db,
    banks,
    narrationRules,
    clients: new ClientDirectory(db, config.clientCacheTtlMs),
    sessionWriter: createSessionWriter(db),
    blobs,
    parser: overrides.parser ?? ownPool!,
    limits: config.uploads,
    jobs: workers.jobs,
    webhooks: workers.webhooks,
    webhookSettings: config.webhooks,
    consoleSettings: config.console,
    config,
    now,
    aa,
  };
  return {
    deps,
    aaSandbox,
    workers,
    warmParser: () => ownPool?.warm(),
    async close() {
      await workers.jobs.stop();
      await workers.webhooks.stop();
      await aaSandbox?.close();
      await ownPool?.close();
      if (!overrides.db) await db.close();
    },
  };
}
