/** The jobs Passbook runs, and the worker that runs them. */
import { expireSessions } from '../core/expire-sessions.ts';
import { PROCESS_SESSION_JOB } from '../core/initiate-processing.ts';
import { processSession } from '../core/process-session.ts';
import type { Db } from '../store/db.ts';
import { JobWorker } from './job-worker.ts';

export function createJobWorker(db: Db, now: () => Date, options: { pollMs: number; onError?: (error: unknown) => void }): JobWorker {
  return new JobWorker(
    db,
    {
      [PROCESS_SESSION_JOB]: async (payload) => processSession(db, (payload as { sessionId: string }).sessionId),
    },
    {
      pollMs: options.pollMs,
      lockSeconds: 300,
      periodic: { everyMs: 60_000, run: async () => void (await expireSessions(db, now())) },
      ...(options.onError ? { onError: options.onError } : {}),
    },
  );
}
