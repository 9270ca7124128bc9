import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobWorker } from '../../src/jobs/job-worker.ts';
import type { Db } from '../../src/ports/db.ts';
import { jobsRepository, type ClaimedJob } from '../../src/store/repositories/jobs-repository.ts';
import { forEachStore, openTestDb } from '../helper.ts';

/** A promise and the function that resolves it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Waits until the store's clock, which leases are measured by, is past `at`: the tests wait on
 * the clock the code compares with, not on timers of their own.
 */
async function untilStorePasses(db: Db, at: Date): Promise<void> {
  for (;;) {
    const [row] = await db.query<{ passed: boolean }>('select now() > $1::timestamptz as passed', [at.toISOString()]);
    if (row!.passed) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lockedUntil(db: Db, jobId: string): Promise<Date> {
  const [row] = await db.query<{ locked_until: Date }>('select locked_until from jobs where job_id = $1', [jobId]);
  return row!.locked_until;
}

forEachStore((kind) => {
  test('a job whose worker died is taken again once its lease runs out', async (t) => {
    const db = await openTestDb(t, kind);
    const jobs = jobsRepository(db);
    const id = await jobs.enqueue('work', { n: 1 });
    const first = await jobs.claim(1);
    assert.equal(first?.jobId, id);
    assert.equal(await jobs.claim(1), null, 'locked while its worker may still run it');
    // The worker "dies" here: it never finishes the job.
    await db.query("update jobs set locked_until = now() - interval '1 second' where job_id = $1", [id]);
    const second = await jobs.claim(1);
    assert.equal(second?.jobId, id);
    assert.equal(second?.attempts, 2);
    assert.equal(await jobs.finish(second), true);
    assert.equal(await jobs.claim(1), null, 'a finished job is not run again');
  });

  test('failures are retried with back-off, then the job is marked failed and kept', async (t) => {
    const db = await openTestDb(t, kind);
    const seen: unknown[] = [];
    const worker = new JobWorker(db, {
      ok: async (payload) => void seen.push(payload),
      flaky: async () => {
        throw new Error('receiver down');
      },
    }, { pollMs: 10, leaseMs: 60_000 });
    const jobs = jobsRepository(db);
    await jobs.enqueue('ok', { n: 1 });
    await jobs.enqueue('ok', { n: 2 });
    await db.query("insert into jobs (job_id, kind, payload, max_attempts) values ('00000000-0000-4000-8000-000000000001', 'flaky', '{}', 2)");
    assert.equal(await worker.drain(), 3);
    assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
    let flaky = (await db.query<{ attempts: number; failed_at: Date | null; last_error: string; run_at: Date }>("select * from jobs where kind = 'flaky'"))[0]!;
    assert.equal(flaky.attempts, 1);
    assert.equal(flaky.failed_at, null);
    assert.equal(flaky.last_error, 'receiver down');
    assert.ok(flaky.run_at.getTime() > Date.now(), 'the retry waits');
    await db.query("update jobs set run_at = now() where kind = 'flaky'");
    assert.equal(await worker.drain(), 1);
    flaky = (await db.query<{ attempts: number; failed_at: Date | null; last_error: string; run_at: Date }>("select * from jobs where kind = 'flaky'"))[0]!;
    assert.equal(flaky.attempts, 2);
    assert.ok(flaky.failed_at, 'failed after its last attempt, and still there');
    await db.query("update jobs set run_at = now() where kind = 'flaky'");
    assert.equal(await worker.drain(), 0, 'a failed job is not run again');
  });

  test('a running job keeps its lease past the lease period: the heartbeat renews it', async (t) => {
    const db = await openTestDb(t, kind);
    const jobs = jobsRepository(db);
    const started = deferred<ClaimedJob>();
    const release = deferred();
    const worker = new JobWorker(db, {
      long: async (_payload, job) => {
        started.resolve(job);
        await release.promise;
      },
    }, { pollMs: 10, leaseMs: 1500, heartbeatMs: 250 });
    const id = await jobs.enqueue('long', {});
    const draining = worker.drain();
    await started.promise;
    const firstLease = await lockedUntil(db, id);
    // Two whole leases later by the store's clock, the job is still this worker's.
    await untilStorePasses(db, new Date(firstLease.getTime() + 1500));
    assert.equal(await jobs.claim(1), null, 'not taken from a worker that is alive');
    assert.ok((await lockedUntil(db, id)).getTime() > firstLease.getTime() + 1500, 'the lease was renewed');
    release.resolve();
    assert.equal(await draining, 1);
    const [row] = await db.query<{ attempts: number; finished_at: Date | null; locked_until: Date | null }>('select * from jobs where job_id = $1', [id]);
    assert.equal(row!.attempts, 1, 'run once');
    assert.ok(row!.finished_at);
    assert.equal(row!.locked_until, null);
  });

  test('a job whose worker stopped heartbeating is taken again once its lease runs out', async (t) => {
    const db = await openTestDb(t, kind);
    const jobs = jobsRepository(db);
    const seen: ClaimedJob[] = [];
    const worker = new JobWorker(db, { work: async (_payload, job) => void seen.push(job) }, { pollMs: 10, leaseMs: 1000 });
    const id = await jobs.enqueue('work', {});
    // A worker that claims and then dies: its claim is never renewed.
    const dead = await jobs.claim(1);
    assert.equal(dead?.jobId, id);
    assert.equal(await worker.drain(), 0, 'leased to the dead worker for now');
    const lease = await lockedUntil(db, id);
    const [row] = await db.query<{ lease_ms: number }>('select extract(epoch from locked_until - now()) * 1000 as lease_ms from jobs where job_id = $1', [id]);
    assert.ok(Number(row!.lease_ms) <= 1000, 'only one lease to wait');
    await untilStorePasses(db, lease);
    assert.equal(await worker.drain(), 1);
    assert.equal(seen[0]?.attempts, 2, 'the second claim');
    assert.equal(await jobs.renew(dead, 1), false, 'the dead claim cannot be renewed any more');
  });

  test('a stale worker cannot record the outcome of a job another worker took again', async (t) => {
    const db = await openTestDb(t, kind);
    const jobs = jobsRepository(db);
    const errors: string[] = [];
    const staleStarted = deferred<ClaimedJob>();
    const staleRelease = deferred();
    // The stale worker stalls: its heartbeat does not beat within the test, as if its event loop was blocked.
    const stale = new JobWorker(db, {
      work: async (_payload, job) => {
        staleStarted.resolve(job);
        await staleRelease.promise;
        throw new Error('stale attempt failed');
      },
    }, { pollMs: 10, leaseMs: 1000, heartbeatMs: 600_000, onError: (error) => errors.push((error as Error).message) });
    const freshStarted = deferred<ClaimedJob>();
    const freshRelease = deferred();
    const fresh = new JobWorker(db, {
      work: async (_payload, job) => {
        freshStarted.resolve(job);
        await freshRelease.promise;
      },
    }, { pollMs: 10, leaseMs: 60_000 });
    const id = await jobs.enqueue('work', {});
    const staleDraining = stale.drain();
    const staleClaim = await staleStarted.promise;
    await untilStorePasses(db, await lockedUntil(db, id));
    const freshDraining = fresh.drain();
    const freshClaim = await freshStarted.promise;
    assert.equal(freshClaim.attempts, staleClaim.attempts + 1);
    const freshLease = await lockedUntil(db, id);

    // The stale worker comes back while the fresh one still runs the job: its failure is not
    // recorded (no retry scheduled, the fresh lease kept), nor could a success be.
    staleRelease.resolve();
    assert.equal(await staleDraining, 1);
    assert.equal(await jobs.renew(staleClaim, 60), false);
    assert.equal(await jobs.finish(staleClaim), false);
    let [row] = await db.query<{ finished_at: Date | null; locked_until: Date | null; last_error: string | null; failed_at: Date | null }>('select * from jobs where job_id = $1', [id]);
    assert.equal(row!.finished_at, null);
    assert.equal(row!.last_error, null);
    assert.equal(row!.failed_at, null);
    assert.equal(row!.locked_until?.getTime(), freshLease.getTime(), 'still leased to the fresh worker');
    assert.ok(errors.some((e) => /outlived its lease and was claimed again/.test(e)), errors.join('\n'));

    freshRelease.resolve();
    assert.equal(await freshDraining, 1);
    [row] = await db.query('select * from jobs where job_id = $1', [id]);
    assert.ok(row!.finished_at, 'the fresh worker recorded its outcome');
    assert.equal(row!.last_error, null);
  });

  test('a worker that alone runs jobs on its store frees the leases a killed process left, at start', { timeout: 20_000 }, async (t) => {
    const db = await openTestDb(t, kind);
    const jobs = jobsRepository(db);
    const id = await jobs.enqueue('work', {});
    // What a kill -9 inside the job leaves: a claim with a long lease, never finished.
    assert.equal((await jobs.claim(300))?.jobId, id);
    const ran = deferred<ClaimedJob>();
    const handlers = { work: async (_payload: unknown, job: ClaimedJob) => ran.resolve(job) };
    assert.equal(await new JobWorker(db, handlers, { pollMs: 10, leaseMs: 30_000 }).drain(), 0, 'otherwise the lease is respected');
    const worker = new JobWorker(db, handlers, { pollMs: 10, leaseMs: 30_000, releaseLeasesAtStart: true });
    worker.start();
    t.after(() => worker.stop());
    // Well within the 300 s lease: the test's timeout fails it otherwise.
    assert.equal((await ran.promise).attempts, 2);
  });
});
