/**
 * The embedded store on its own thread (src/store/pglite-thread-db.ts): the same answers as
 * PGlite on the calling thread, the same transaction semantics, database errors that keep their
 * SQLSTATE, and an event loop that keeps turning while
 * the store works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../src/ports/db.ts';
import { isUniqueViolation } from '../../src/store/db-errors.ts';
import { openPgliteThread } from '../../src/store/pglite-thread-db.ts';

describe('PGlite on its own thread', () => {
  let db: Db;
  before(async () => {
    // A ping fails once a statement has waited 300 ms (2 s in the server), so the test of it is quick.
    db = await openPgliteThread({}, { stuckAfterMs: 300 });
    await db.exec('create table t (id int8 primary key, day date, at timestamptz, doc jsonb, bytes bytea, note text)');
  });
  after(async () => {
    // Closing twice is harmless, and a closed store refuses work. (That the data directory
    // survives a restart, even kill -9, is test/main.slow.test.ts's: the server opens this store.)
    await db.close();
    await db.close();
    await assert.rejects(db.query('select 1'), /closed/);
  });

  test('values come back typed as on the calling thread: int8 as bigint, date as text, timestamptz as Date, jsonb parsed, bytea as bytes', async () => {
    const params = [9007199254740993n, '2026-03-31', new Date('2026-03-31T18:30:00Z'), JSON.stringify({ a: [1, 'x'] }), Buffer.from([0, 1, 255]), 'n'];
    const sql = 'select $1::int8 as id, $2::date as day, $3::timestamptz as at, $4::jsonb as doc, $5::bytea as bytes, $6::text as note';
    const [row] = await db.query(sql, params);
    const expected: Record<string, unknown> = { id: 9007199254740993n, day: '2026-03-31', at: new Date('2026-03-31T18:30:00Z'), doc: { a: [1, 'x'] }, bytes: new Uint8Array([0, 1, 255]), note: 'n' };
    assert.deepEqual(row, expected);
  });

  test('an object that serializes itself is stored as its JSON, as PGlite does on the calling thread', async () => {
    const value = { toJSON: () => ({ paise: 12345 }) };
    const [row] = await db.query('select $1::jsonb as doc', [value]);
    assert.deepEqual(row!.doc, { paise: 12345 });
  });

  test('a transaction commits what it wrote when its function resolves', async () => {
    const answer = await db.transaction(async (tx) => {
      await tx.query('insert into t (id, note) values ($1, $2)', [1n, 'kept']);
      return (await tx.query('select count(*)::int as n from t where id = 1'))[0]!.n;
    });
    assert.equal(answer, 1);
    assert.deepEqual(await db.query('select note from t where id = 1'), [{ note: 'kept' }]);
  });

  test('a transaction rolls back when its function throws, and the error is the function’s own', async () => {
    const mine = new Error('changed my mind');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id, note) values ($1, $2)', [2n, 'gone']);
        throw mine;
      }),
      (error) => error === mine,
    );
    assert.deepEqual(await db.query('select * from t where id = 2'), []);
  });

  test('a unique violation keeps its SQLSTATE across the thread, inside a transaction and outside', async () => {
    await db.query('insert into t (id) values (10)');
    await assert.rejects(db.query('insert into t (id) values (10)'), (error) => isUniqueViolation(error) && /duplicate key/.test((error as Error).message));
    await assert.rejects(
      db.transaction((tx) => tx.query('insert into t (id) values (10)')),
      (error) => isUniqueViolation(error),
    );
    // The store is usable afterwards.
    assert.deepEqual(await db.query('select count(*)::int as n from t where id = 10'), [{ n: 1 }]);
  });

  test('statements from outside wait while a transaction is open, and see its result after', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query('insert into t (id, note) values (20, $1)', ['inside']);
      order.push('inside wrote');
      await held;
      order.push('inside done');
    });
    // Give the transaction time to begin before the outside read is sent.
    while (order.length === 0) await new Promise((r) => setTimeout(r, 5));
    const outside = db.query('select note from t where id = 20').then((rows) => {
      order.push('outside read');
      return rows;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(order, ['inside wrote'], 'the outside read waited for the transaction');
    release();
    await tx;
    assert.deepEqual(await outside, [{ note: 'inside' }]);
    assert.deepEqual(order, ['inside wrote', 'inside done', 'outside read']);
  });

  test('the event loop keeps turning while the store runs a long statement', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // A few hundred milliseconds of work inside PGlite; on the calling thread no timer could fire meanwhile.
      const started = performance.now();
      await db.query('select count(*) from generate_series(1, 1000000) g where g % 7 = 3');
      const elapsed = performance.now() - started;
      assert.ok(elapsed > 100, `the statement took ${elapsed.toFixed(0)} ms: too short to show anything`);
      assert.ok(ticks >= 5, `only ${ticks} timer ticks during ${elapsed.toFixed(0)} ms of store work`);
    } finally {
      clearInterval(timer);
    }
  });

  test('ping answers between statements, ahead of those queued behind an open transaction, and fails once one has waited too long', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('select 1');
      await held;
    });
    // Waits for the transaction: PGlite runs one thing at a time.
    let queuedDone = false;
    const queued = db.query('select 2 as n').then((rows) => ((queuedDone = true), rows));
    await db.ping();
    assert.equal(queuedDone, false, 'ping answered while a statement was still waiting');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await assert.rejects(db.ping(), /waited \d+ ms for the embedded store/);
    release();
    await transaction;
    assert.deepEqual(await queued, [{ n: 2 }]);
    await db.ping();
  });
});
