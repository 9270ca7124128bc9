/**
 * Composition root: read config, open the store (embedded PGlite unless DATABASE_URL is set),
 * wire the use cases, listen, and close cleanly on SIGINT/SIGTERM.
 */
import { buildApp } from './app.ts';
import { loadBankCatalogue } from './banks/bank-catalogue.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ClientDirectory } from './usecases/client-directory.ts';
import { DataDirLockedError } from './store/data-dir-lock.ts';
import { openStore } from './store/open-store.ts';
import { createSessionWriter } from './store/session-writer.ts';
import { openBlobStore } from './blobs/open-blob-store.ts';
import { ParsePool } from './statements/pool/parse-pool.ts';
import { createWorkers } from './jobs/session-jobs.ts';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from './usecases/discard-statements.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openStore(config);
  const parser = new ParsePool({ workers: config.parseWorkers, timeoutMs: 120_000, maxHeapMb: 1024 });
  const now = () => new Date();
  const banks = loadBankCatalogue();
  const blobs = await openBlobStore(config);
  const workers = createWorkers({ db, banks, now, blobs }, config.webhooks, {
    pollMs: 1000,
    onError: (error) => app.log.error({ err: error }, 'background work failed'),
  });
  const deps = {
    db,
    banks,
    clients: new ClientDirectory(db, config.clientCacheTtlMs),
    sessionWriter: createSessionWriter(db),
    blobs,
    parser,
    limits: config.uploads,
    jobs: workers.jobs,
    webhooks: workers.webhooks,
    webhookSettings: config.webhooks,
    config,
    now,
  };
  const app = await buildApp({ deps, config });
  // Statements a previous run left unfinished (a crash while storing one). Nothing else can be
  // storing into an embedded store now; on PostgreSQL other processes may be, hence the grace.
  await sweepUnfinishedStatements(deps, db.kind === 'pglite' ? 0 : UNFINISHED_STATEMENT_GRACE_SECONDS).then(
    (n) => n > 0 && app.log.info({ discarded: n }, 'discarded unfinished statements'),
    (error: unknown) => app.log.error({ err: error }, 'could not discard unfinished statements'),
  );
  if (config.runJobs) {
    workers.jobs.start();
    workers.webhooks.start();
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await workers.jobs.stop();
    await workers.webhooks.stop();
    await parser.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { store: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined, publicUrl: config.publicUrl, admin: Boolean(config.adminToken) },
    'passbook ready',
  );
  if (config.demo) {
    app.log.info({ demo: `${config.publicUrl}/demo` }, `try the journey: open ${config.publicUrl}/demo (demo on: embedded store, no ADMIN_TOKEN, NODE_ENV not production)`);
  }
  if (!config.adminToken) {
    app.log.info('admin API disabled (no ADMIN_TOKEN): create clients with `npx passbook clients create --name NAME` while the server is stopped, or restart with ADMIN_TOKEN set');
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`passbook: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`passbook: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
