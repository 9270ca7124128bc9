/**
 * Runs durable jobs from the `jobs` table. Every process can run a worker: a job is claimed
 * with a short lease that a heartbeat renews while its handler runs, so a job whose process
 * died mid-way (even `kill -9`) is taken again within about one lease, however long the job
 * itself takes. Handlers must therefore be idempotent. A worker whose lease was taken from it
 * (it stalled for longer than a lease) lets the new claimant record the outcome. Failures are
 * retried with exponential back-off; after the last attempt the job is marked failed and kept.
 */
import type { Db } from '../ports/db.ts';
import { jobsRepository, type ClaimedJob } from '../store/repositories/jobs-repository.ts';

export type JobHandler = (payload: unknown, job: ClaimedJob) => Promise<void>;

export interface JobWorkerOptions {
  /** How often to look for due jobs when idle. */
  pollMs: number;
  /**
   * How long a claim lasts without a heartbeat: the longest a job whose process died waits
   * before another worker takes it again (JOB_LEASE_SECONDS).
   */
  leaseMs: number;
  /** How often a running job's lease is renewed; a third of the lease unless set. */
  heartbeatMs?: number;
  /**
   * Free every job's lease before the first claim. Only when no other process can be running
   * jobs on this store (the embedded store, whose data directory is this process's alone): what
   * a killed predecessor was running then resumes at once instead of after its lease.
   */
  releaseLeasesAtStart?: boolean;
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
  private leasesReleased = false;

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
    const leaseSeconds = this.options.leaseMs / 1000;
    let done = 0;
    for (;;) {
      const job = await jobs.claim(leaseSeconds);
      if (!job) return done;
      const handler = this.handlers.get(job.kind);
      const heartbeat = this.heartbeat(job);
      let recorded: boolean;
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job.payload, job);
        // Stopped (and its renewal in flight awaited) first, so that it cannot race the finish.
        await heartbeat.stop();
        recorded = await jobs.finish(job);
      } catch (error) {
        await heartbeat.stop();
        // A handler polling something not ready yet retries without an error in the log.
        if (!(error instanceof Error && 'quiet' in error && error.quiet === true)) this.options.onError?.(error, job);
        recorded = await jobs.retry(job, error instanceof Error ? error.message : String(error), Math.min(3600, 2 ** job.attempts));
      }
      if (!recorded) this.options.onError?.(new Error(`job ${job.jobId} (${job.kind}) outlived its lease and was claimed again; its outcome is left to that claim`), job);
      done++;
      if (this.stopRequested) return done;
    }
  }

  /**
   * Renews `job`'s lease every `heartbeatMs` until stopped. A failed renewal (the store
   * unreachable for a moment) is retried at the next beat; a refused one (the job was claimed
   * again) ends the beats, since the lease is someone else's now.
   */
  private heartbeat(job: ClaimedJob): { stop(): Promise<void> } {
    const jobs = jobsRepository(this.db);
    const everyMs = this.options.heartbeatMs ?? this.options.leaseMs / 3;
    let timer: NodeJS.Timeout | null = null;
    let inFlight: Promise<void> = Promise.resolve();
    let stopped = false;
    const beat = () => {
      inFlight = jobs.renew(job, this.options.leaseMs / 1000).then(
        (renewed) => {
          if (!renewed) stopped = true;
        },
        (error: unknown) => this.options.onError?.(error, job),
      ).finally(() => {
        if (!stopped) timer = setTimeout(beat, everyMs).unref();
      });
    };
    timer = setTimeout(beat, everyMs).unref();
    return {
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await inFlight;
      },
    };
  }

  private async tick(): Promise<void> {
    try {
      if (this.options.releaseLeasesAtStart && !this.leasesReleased) {
        this.leasesReleased = true;
        await jobsRepository(this.db).releaseAll();
      }
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
