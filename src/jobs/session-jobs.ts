/** The jobs Passbook runs, and the worker that runs them. */
import type { BlobStore } from '../blobs/blob-store.ts';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from '../core/discard-statements.ts';
import { expireSessions } from '../core/expire-sessions.ts';
import { PROCESS_SESSION_JOB } from '../core/initiate-processing.ts';
import { processSession } from '../core/process-session.ts';
import type { Db } from '../store/db.ts';
import { JobWorker } from './job-worker.ts';

export function createJobWorker(db: Db, blobs: BlobStore, now: () => Date, options: { pollMs: number; onError?: (error: unknown) => void }): JobWorker {
  return new JobWorker(
    db,
    {
      [PROCESS_SESSION_JOB]: async (payload) => processSession(db, (payload as { sessionId: string }).sessionId),
    },
    {
      pollMs: options.pollMs,
      lockSeconds: 300,
      periodic: {
        everyMs: 60_000,
        run: async () => {
          await expireSessions(db, now());
          await sweepUnfinishedStatements({ db, blobs }, UNFINISHED_STATEMENT_GRACE_SECONDS);
        },
      },
      ...(options.onError ? { onError: options.onError } : {}),
    },
  );
}
