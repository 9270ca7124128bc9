/**
 * Runs durable jobs from the `jobs` table. Every process can run a worker: a job is claimed
 * with a lock that runs out, so a job whose process died mid-way (even `kill -9`) is taken
 * again once its lock expires. Handlers must therefore be idempotent. Failures are retried
 * with exponential back-off; after the last attempt the job is marked failed and kept.
 */
import type { Db } from '../ports/db.ts';
import { jobsRepository, type ClaimedJob } from '../store/repositories/jobs-repository.ts';

export type JobHandler = (payload: unknown, job: ClaimedJob) => Promise<void>;

export interface JobWorkerOptions {
  /** How often to look for due jobs when idle. */
  pollMs: number;
  /** How long a claimed job stays locked to this worker. */
  lockSeconds: number;
  /** Called every `periodicMs` (e.g. to mark expired sessions). */
  periodic?: { everyMs: number; run: () => Promise<void> };
  onError?: (error: unknown, job: ClaimedJob | null) => void;
}

export class JobWorker {
  private readonly db: Db;
  private readonly handlers: Map<string, JobHandler>;
  private readonly options: JobWorkerOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** Set by stop(): a drain in progress finishes its current job and returns. */
  private stopRequested = false;
  private lastPeriodic = 0;

  constructor(db: Db, handlers: Record<string, JobHandler>, options: JobWorkerOptions) {
    this.db = db;
    this.handlers = new Map(Object.entries(handlers));
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Look for work now instead of at the next poll (after enqueueing, for example). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        if (!this.stopped) this.schedule(this.options.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  /** Runs due jobs until none is left. */
  async drain(): Promise<number> {
    const jobs = jobsRepository(this.db);
    let done = 0;
    for (;;) {
      const job = await jobs.claim(this.options.lockSeconds);
      if (!job) return done;
      const handler = this.handlers.get(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job.payload, job);
        await jobs.finish(job.jobId);
      } catch (error) {
        // A handler polling something not ready yet retries without an error in the log.
        if (!(error instanceof Error && 'quiet' in error && error.quiet === true)) this.options.onError?.(error, job);
        await jobs.retry(job, error instanceof Error ? error.message : String(error), Math.min(3600, 2 ** job.attempts));
      }
      done++;
      if (this.stopRequested) return done;
    }
  }

  private async tick(): Promise<void> {
    try {
      const periodic = this.options.periodic;
      if (periodic && Date.now() - this.lastPeriodic >= periodic.everyMs) {
        this.lastPeriodic = Date.now();
        await periodic.run();
      }
      await this.drain();
    } catch (error) {
      this.options.onError?.(error, null);
    }
  }
}
