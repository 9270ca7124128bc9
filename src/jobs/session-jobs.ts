/** The background work Passbook runs: durable jobs, the expiry sweeper, and webhook delivery. */
import type { Config } from '../config.ts';
import type { Deps } from '../usecases/deps.ts';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from '../usecases/discard-statements.ts';
import { expireSessions } from '../usecases/expire-sessions.ts';
import { PROCESS_SESSION_JOB } from '../usecases/initiate-processing.ts';
import { processSession } from '../usecases/process-session.ts';
import { AA_CONSENT_JOB } from '../usecases/aa-consent.ts';
import { AA_FETCH_JOB, advanceConsent, fetchData } from '../usecases/aa-data-fetch.ts';
import type { Db } from '../ports/db.ts';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.ts';
import { JobWorker } from './job-worker.ts';

export interface BackgroundWorkers {
  jobs: JobWorker;
  webhooks: WebhookDispatcher;
}

export function createWorkers(
  deps: Pick<Deps, 'banks' | 'narrationRules' | 'now' | 'blobs' | 'aa'> & { db: Db },
  settings: Config['webhooks'],
  options: {
    pollMs: number;
    /** A job's lease without heartbeat (config.jobLeaseMs). */
    jobLeaseMs: number;
    /** This process alone runs jobs on this store: free the leases a killed predecessor left. */
    releaseJobLeasesAtStart: boolean;
    onError?: (error: unknown) => void;
  },
): BackgroundWorkers {
  const webhooks = new WebhookDispatcher(deps.db, settings, { pollMs: options.pollMs, now: deps.now, ...(options.onError ? { onError: options.onError } : {}) });
  const ctx = { ...deps, webhooks };
  // The AA jobs nudge this worker when they enqueue follow-ups (set once it exists).
  const aaCtx: Parameters<typeof advanceConsent>[0] = { ...ctx, jobs: undefined };
  const jobs = new JobWorker(
    deps.db,
    {
      [PROCESS_SESSION_JOB]: async (payload) => processSession(ctx, (payload as { sessionId: string }).sessionId),
      [AA_CONSENT_JOB]: async (payload) => advanceConsent(aaCtx, (payload as { consentRequestId: string }).consentRequestId),
      [AA_FETCH_JOB]: async (payload) => fetchData(aaCtx, (payload as { fiRequestId: string }).fiRequestId),
    },
    {
      pollMs: options.pollMs,
      leaseMs: options.jobLeaseMs,
      releaseLeasesAtStart: options.releaseJobLeasesAtStart,
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
  aaCtx.jobs = jobs;
  return { jobs, webhooks };
}
