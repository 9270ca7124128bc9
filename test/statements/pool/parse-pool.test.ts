import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../../src/samples/render-statement.ts';
import { ParsePool } from '../../../src/statements/pool/parse-pool.ts';
import { parseStatement } from '../../../src/statements/parse/parse-statement.ts';
import { findStatementFraud } from '../../../src/fraud/find-statement-fraud.ts';
import { banks, leftToPdfjs, statement } from '../statement-fixtures.ts';
import { threadNiceness } from '../../lib/thread-niceness.ts';
import { until } from '../../helper.ts';

test('statements parsed in worker threads equal an in-process parse; errors keep their codes', async (t) => {
  const pool = new ParsePool({ workers: 2, timeoutMs: 60_000, maxHeapMb: 512 });
  t.after(() => pool.close());
  const pdfs = await Promise.all(['hdfc', 'sbi', 'generic'].map((layout) => renderStatementPdf(statement(layout, { count: 60 }))));
  const pooled = await Promise.all(pdfs.map((pdf) => pool.parse(pdf)));
  for (const [i, pdf] of pdfs.entries()) {
    assert.deepEqual(pooled[i], { ...(await parseStatement(pdf, banks)), fraudFindings: null }, 'no fraud check asked for: null, not an empty pass');
    assert.ok(pdf.length > 0, 'the caller keeps its bytes');
  }
  const locked = await renderStatementPdf(statement('hdfc', { count: 5 }), { password: 'x1' });
  await assert.rejects(pool.parse(locked), { code: 'PASSWORD_INCORRECT' });
  assert.equal((await pool.parse(locked, { password: 'x1' })).transactions.length, statement('hdfc', { count: 5 }).transactions.length);
  await assert.rejects(pool.parse(Buffer.from('%PDF-1.4 junk')), { code: 'INVALID_FILE_OBJECT' });
  // Both workers have parsed by now, and run below the event loop's priority (Linux: lib/thread-priority.ts).
  if (process.platform === 'linux') {
    const niced = () => [...threadNiceness().values()].filter((n) => n === 10).length;
    // A worker lowers its priority as its code loads; the pool may have started the second just now.
    await until('both workers niced', async () => niced(), (n) => n >= 2);
    assert.equal(niced(), 2, 'one thread at niceness 10 per worker');
    assert.notEqual(threadNiceness().get(process.pid), 10, 'the event loop keeps its priority');
  }

  // Asked for, the fraud check runs in the worker on the same bytes, as it does in-process.
  const statementId = '00000000-0000-4000-8000-000000000001';
  const edited = Buffer.from(pdfs[0]!.toString('latin1').replace('Passbook sample generator', 'iLovePDF Online Editor v1'), 'latin1');
  const checked = await pool.parse(edited, { fraudCheck: { statementId, bankName: null } });
  const parsed = await parseStatement(edited, banks);
  assert.deepEqual(checked, { ...parsed, fraudFindings: findStatementFraud(edited, parsed, { statementId, knownProducers: [] }) });
  assert.deepEqual(checked.fraudFindings?.map((f) => f.fraudType), ['author_fraud']);
  assert.deepEqual((await pool.parse(pdfs[1]!, { fraudCheck: { statementId, bankName: 'sbi' } })).fraudFindings, [], 'a clean file: checked, nothing found');
});

test('a statement that overruns the time limit fails alone; the pool goes on with a fresh worker', async (t) => {
  // pdfjs reads the large statement (the lean reader, much faster, declines it): it needs several
  // times the limit even on a fast machine; the small one (including a fresh worker's start-up)
  // needs a fraction of it.
  const pool = new ParsePool({ workers: 1, timeoutMs: 1500, maxHeapMb: 512 });
  t.after(() => pool.close());
  const huge = leftToPdfjs(await renderStatementPdf(statement('hdfc', { count: 12_000 })));
  const small = await renderStatementPdf(statement('sbi', { count: 5 }));
  const [slow, next] = await Promise.allSettled([pool.parse(huge), pool.parse(small)]);
  assert.equal(slow.status, 'rejected');
  assert.equal(slow.reason.code, 'INVALID_FILE_OBJECT');
  assert.equal(next.status, 'fulfilled');
  await pool.close();
  await assert.rejects(pool.parse(small), /closed/);
});
