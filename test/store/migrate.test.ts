import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { migrate } from '../../src/store/migrate.ts';
import { forEachStore, openTestDb } from '../helper.ts';

forEachStore((kind) => {
  test('migrations apply once; running them again, even concurrently, changes nothing', async (t) => {
    const db = await openTestDb(t, kind);
    const again = await Promise.all([migrate(db), migrate(db)]);
    assert.deepEqual(again, [[], []]);
    const versions = await db.query<{ version: string }>('select version from schema_migrations order by version');
    const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).sort();
    assert.ok(files.length >= 2);
    assert.deepEqual(versions.map((v) => v.version), files);
  });

  test('a failing transaction leaves nothing behind and other callers are unaffected', async (t) => {
    const db = await openTestDb(t, kind);
    await db.exec("create table probe (n int primary key)");
    const outside = db.query('insert into probe values (1)');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('insert into probe values (2)');
        throw new Error('boom');
      }),
      /boom/,
    );
    await outside;
    await db.query('insert into probe values (3)');
    const rows = await db.query<{ n: number }>('select n from probe order by n');
    assert.deepEqual(rows.map((r) => r.n), [1, 3]);
    const big = await db.query<{ v: bigint; d: string }>("select 9007199254740993::int8 as v, '2026-01-31'::date as d");
    assert.deepEqual(big[0], { v: 9007199254740993n, d: '2026-01-31' });
  });
});
