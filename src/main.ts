/**
 * The server process: read config, compose (compose.ts), sweep what a crash left, listen, and
 * stop cleanly and within a bounded time on SIGINT/SIGTERM.
 */
import { buildApp } from './app.ts';
import { BatchedLogStream } from './lib/batched-log-stream.ts';
import { compose } from './compose.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './store/data-dir-lock.ts';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from './usecases/discard-statements.ts';
import { ensureDemoConsoleUser } from './usecases/demo.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const composition = await compose(config, { onBackgroundError: (error) => app.log.error({ err: error }, 'background work failed') });
  const { deps, workers } = composition;
  const app = await buildApp({ deps, config, aaSandbox: composition.aaSandbox, logStream: new BatchedLogStream() });
  // Statements a previous run left unfinished (a crash while storing one). Nothing else can be
  // storing into an embedded store now; on PostgreSQL other processes may be, hence the grace.
  await sweepUnfinishedStatements(deps, deps.db.kind === 'pglite' ? 0 : UNFINISHED_STATEMENT_GRACE_SECONDS).then(
    (n) => n > 0 && app.log.info({ discarded: n }, 'discarded unfinished statements'),
    (error: unknown) => app.log.error({ err: error }, 'could not discard unfinished statements'),
  );
  if (config.runJobs) {
    workers.jobs.start();
    workers.webhooks.start();
  }

  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: the operator does not want to wait. Unfinished jobs are retried later.
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new requests, finishing those in flight');
    const deadline = setTimeout(() => {
      // Whatever is still running was not acknowledged as done: jobs are retried by the next
      // process once their lock lapses, and a statement being stored is swept at the next start.
      app.log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting with work unfinished');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    try {
      await app.close();
      await composition.close();
      clearTimeout(deadline);
      app.log.info('stopped');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  composition.warmParser();
  app.log.info(
    { store: deps.db.kind, dataDir: deps.db.kind === 'pglite' ? config.dataDir : undefined, publicUrl: config.publicUrl, admin: Boolean(config.adminToken) },
    'passbook ready',
  );
  if (config.demo) {
    app.log.info({ demo: `${config.publicUrl}/demo` }, `try the journey: open ${config.publicUrl}/demo (demo on: embedded store, no ADMIN_TOKEN, NODE_ENV not production)`);
    const user = await ensureDemoConsoleUser(deps);
    // The demo user's password is fixed and documented (usecases/demo.ts), not a secret.
    app.log.info({ console: `${config.publicUrl}/console` }, `see it as a lender: open ${config.publicUrl}/console and sign in as ${user.email} with the password ${user.password}`);
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
