import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobWorker } from '../../src/jobs/job-worker.ts';
import { jobsRepository } from '../../src/store/repositories/jobs-repository.ts';
import { forEachStore, openTestDb } from '../helper.ts';

forEachStore((kind) => {
  test('a job whose worker died is taken again once its lock runs out', async (t) => {
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
    await jobs.finish(id);
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
    }, { pollMs: 10, lockSeconds: 60 });
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
});
