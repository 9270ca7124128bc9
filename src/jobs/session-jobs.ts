/** The background work Passbook runs: durable jobs, the expiry sweeper, and webhook delivery. */
import type { Config } from '../config.ts';
import type { Deps } from '../usecases/deps.ts';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from '../usecases/discard-statements.ts';
import { expireSessions } from '../usecases/expire-sessions.ts';
import { PROCESS_SESSION_JOB } from '../usecases/initiate-processing.ts';
import { processSession } from '../usecases/process-session.ts';
import type { Db } from '../ports/db.ts';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.ts';
import { JobWorker } from './job-worker.ts';

export interface BackgroundWorkers {
  jobs: JobWorker;
  webhooks: WebhookDispatcher;
}

export function createWorkers(
  deps: Pick<Deps, 'banks' | 'narrationRules' | 'now' | 'blobs'> & { db: Db },
  settings: Config['webhooks'],
  options: { pollMs: number; onError?: (error: unknown) => void },
): BackgroundWorkers {
  const webhooks = new WebhookDispatcher(deps.db, settings, { pollMs: options.pollMs, ...(options.onError ? { onError: options.onError } : {}) });
  const ctx = { ...deps, webhooks };
  const jobs = new JobWorker(
    deps.db,
    {
      [PROCESS_SESSION_JOB]: async (payload) => processSession(ctx, (payload as { sessionId: string }).sessionId),
    },
    {
      pollMs: options.pollMs,
      lockSeconds: 300,
      // Expiry notifications go out within this long of the expiry.
      periodic: {
        everyMs: 15_000,
        run: async () => {
          await expireSessions(ctx, deps.now());
          await sweepUnfinishedStatements(deps, UNFINISHED_STATEMENT_GRACE_SECONDS);
        },
      },
      ...(options.onError ? { onError: options.onError } : {}),
    },
  );
  return { jobs, webhooks };
}
