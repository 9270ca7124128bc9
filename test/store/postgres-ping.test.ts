/** The PostgreSQL adapter's health ping has a connection of its own (Db.ping, issue 13 item 9). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { TEST_DATABASE_URL } from '../helper.ts';

test('ping answers while every pooled connection is held; fails once the server is gone', async () => {
  const db = await openPostgres({ connectionString: TEST_DATABASE_URL, maxConnections: 2, allowExitOnIdle: true });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const holders = [0, 1].map(() => db.transaction(async (tx) => {
    await tx.query('select 1');
    await held;
  }));
  try {
    let queuedDone = false;
    const queued = db.query('select 3 as n').then((rows) => ((queuedDone = true), rows));
    await db.ping();
    assert.equal(queuedDone, false, 'the ping did not wait for a pooled connection');
    release();
    await Promise.all(holders);
    assert.deepEqual(await queued, [{ n: 3 }]);
  } finally {
    release();
    await db.close();
  }
  await assert.rejects(db.ping());
});
