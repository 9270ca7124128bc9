import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../ports/db.ts';

export interface ClaimedJob {
  jobId: string;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export function jobsRepository(db: Queryable) {
  return {
    /** Adds a job; pass a transaction's executor to make it part of that transaction. */
    async enqueue(kind: string, payload: unknown, runAt?: Date): Promise<string> {
      const jobId = randomUUID();
      await db.query('insert into jobs (job_id, kind, payload, run_at) values ($1, $2, $3::jsonb, coalesce($4, now()))', [
        jobId,
        kind,
        JSON.stringify(payload),
        runAt ?? null,
      ]);
      return jobId;
    },

    /**
     * Adds a job due `delayMs` from now by the store's clock (the one `claim` compares with), so
     * that a use case's injected clock, which may be anywhere, never delays or hurries it.
     */
    async enqueueAfter(kind: string, payload: unknown, delayMs: number): Promise<string> {
      const jobId = randomUUID();
      await db.query("insert into jobs (job_id, kind, payload, run_at) values ($1, $2, $3::jsonb, now() + make_interval(secs => $4))", [
        jobId,
        kind,
        JSON.stringify(payload),
        delayMs / 1000,
      ]);
      return jobId;
    },

    /**
     * Takes the oldest due job and leases it for `leaseSeconds`. SKIP LOCKED lets several
     * processes claim different jobs at once on PostgreSQL. Every claim counts an attempt, and
     * that count is the claim's token: `renew`, `finish` and `retry` act only for the latest
     * claim, so a worker whose lease ran out cannot undo what the worker that retook it does.
     */
    async claim(leaseSeconds: number): Promise<ClaimedJob | null> {
      const rows = await db.query<{ job_id: string; kind: string; payload: unknown; attempts: number; max_attempts: number }>(
        `update jobs set attempts = attempts + 1, locked_until = now() + make_interval(secs => $1)
         where job_id = (
           select job_id from jobs
           where finished_at is null and failed_at is null and run_at <= now()
             and (locked_until is null or locked_until < now())
           order by run_at limit 1
           for update skip locked)
         returning job_id, kind, payload, attempts, max_attempts`,
        [leaseSeconds],
      );
      const r = rows[0];
      return r ? { jobId: r.job_id, kind: r.kind, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts } : null;
    },

    /**
     * Extends the claim's lease to `leaseSeconds` from now (the heartbeat). False when the job
     * was claimed again since (this claim's lease had run out) or is no longer open. A lease
     * that ran out but was not retaken is simply extended: nobody else has started the job.
     */
    async renew(job: ClaimedJob, leaseSeconds: number): Promise<boolean> {
      const rows = await db.query(
        `update jobs set locked_until = now() + make_interval(secs => $3)
         where job_id = $1 and attempts = $2 and finished_at is null and failed_at is null
         returning job_id`,
        [job.jobId, job.attempts, leaseSeconds],
      );
      return rows.length > 0;
    },

    /** Marks the job done; false (and nothing changed) when `job` is no longer its latest claim. */
    async finish(job: ClaimedJob): Promise<boolean> {
      const rows = await db.query(
        `update jobs set finished_at = now(), locked_until = null
         where job_id = $1 and attempts = $2 and finished_at is null and failed_at is null
         returning job_id`,
        [job.jobId, job.attempts],
      );
      return rows.length > 0;
    },

    /**
     * Frees every job's lease, so that running jobs are due again at once. Only for a caller
     * that knows no other process can be running them: the embedded store, whose data directory
     * one process at a time may open, at that process's start (after a kill -9, its jobs would
     * otherwise wait out the dead process's leases).
     */
    async releaseAll(): Promise<number> {
      const rows = await db.query(
        'update jobs set locked_until = null where locked_until is not null and finished_at is null and failed_at is null returning job_id',
      );
      return rows.length;
    },

    /**
     * Schedules another attempt after `delaySeconds`, or gives up after the last one; false (and
     * nothing changed) when `job` is no longer its latest claim.
     */
    async retry(job: ClaimedJob, error: string, delaySeconds: number): Promise<boolean> {
      const rows = await db.query(
        `update jobs set locked_until = null, last_error = $2,
           run_at = now() + make_interval(secs => $3),
           failed_at = case when attempts >= max_attempts then now() else null end
         where job_id = $1 and attempts = $4 and finished_at is null and failed_at is null
         returning job_id`,
        [job.jobId, error.slice(0, 2000), delaySeconds, job.attempts],
      );
      return rows.length > 0;
    },
  };
}
