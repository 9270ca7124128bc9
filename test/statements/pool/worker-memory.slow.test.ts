/** A worker is bounded in bytes (heap plus ArrayBuffers), not only in heap: past it, it is replaced and its statement refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../../src/samples/render-statement.ts';
import { ParsePool } from '../../../src/statements/pool/parse-pool.ts';
import { heavyPages } from '../../http/hostile-pdfs.ts';
import { statement } from '../statement-fixtures.ts';

test('a statement that takes a worker past its memory limit fails alone; the pool goes on with a fresh worker', async (t) => {
  // A worker uses 13–40 MB between statements (measured); after the first of these two pages
  // (12 MB of operators each) it holds 105–115 MB, well within its 512 MB heap limit and the
  // time limit. The check after each page catches it there, whatever the timer's timing.
  const pool = new ParsePool({ workers: 1, timeoutMs: 300_000, maxHeapMb: 512, maxMemoryMb: 80 });
  t.after(() => pool.close());
  const small = statement('sbi', { count: 5 });
  const [heavy, next] = await Promise.allSettled([pool.parse(heavyPages(2, 12 * 2 ** 20)), pool.parse(await renderStatementPdf(small))]);
  assert.equal(heavy.status, 'rejected');
  assert.equal(heavy.reason.code, 'INVALID_FILE_OBJECT');
  assert.match(heavy.reason.message, /more memory than a statement may use/);
  assert.equal(next.status, 'fulfilled');
  assert.equal(next.value.transactions.length, small.transactions.length);
});
