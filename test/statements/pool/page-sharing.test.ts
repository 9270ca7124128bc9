/**
 * Reading one statement's pages on several threads: helpers claim pages from a shared counter
 * and send them to the thread that leads the statement. Whatever the helpers do (read some
 * pages, vanish, get recalled), the text read and the statement parsed are exactly what one
 * thread reading every page gives. Pages are shared when pdfjs reads the statement, so these
 * tests ask for pdfjs (`reader: 'pdfjs'`); a statement the lean reader reads needs no helpers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../../src/samples/render-statement.ts';
import { ParsePool } from '../../../src/statements/pool/parse-pool.ts';
import { parseStatement } from '../../../src/statements/parse/parse-statement.ts';
import type { ParsedStatement } from '../../../src/domain/statement.ts';

/** What the pool answers for a statement it was asked to parse without a fraud check. */
const unchecked = (parsed: ParsedStatement) => ({ ...parsed, fraudFindings: null });
import { countLent, lentCount, newClaims } from '../../../src/pdf/page-claims.ts';
import { helpReadPdfText, readPdfText, type PageShare, type PdfPage } from '../../../src/pdf/read-pdf-text.ts';
import { banks, leftToPdfjs, statement } from '../statement-fixtures.ts';

const PDFJS = { reader: 'pdfjs' as const };

/** A lead and helpers in this thread, wired as the pool's workers wire them over ports. */
function sharedRead(bytes: Uint8Array) {
  const claims = newClaims();
  let onEvent = (_page?: PdfPage) => {};
  let joined = 0;
  let working = 0;
  const share: PageShare = {
    claims,
    pending: () => working > 0 || joined < lentCount(claims),
    listen: (f) => (onEvent = f),
  };
  const helper = async (options: { recallAfter?: number } = {}) => {
    const recall = new Int32Array(new SharedArrayBuffer(4));
    const delivered: number[] = [];
    countLent(claims);
    joined++;
    working++;
    onEvent();
    try {
      await helpReadPdfText(bytes, undefined, claims, recall, (page) => {
        delivered.push(page.number);
        if (delivered.length === options.recallAfter) Atomics.store(recall, 0, 1);
        onEvent(page);
      });
    } finally {
      working--;
      onEvent();
    }
    return delivered;
  };
  return { share, helper };
}

test('pages read by helpers are the pages one thread reads', async () => {
  const pdf = await renderStatementPdf(statement('sbi', { count: 400 }));
  const alone = await readPdfText(pdf, PDFJS);
  assert.ok(alone.pageCount >= 10, `${alone.pageCount} pages`);
  const { share, helper } = sharedRead(pdf);
  const [text, first, second] = await Promise.all([readPdfText(pdf, { share, ...PDFJS }), helper(), helper()]);
  assert.deepEqual(text, alone);
  assert.ok(first.length + second.length > 0, 'the helpers read some of the pages');
  const all = [...first, ...second].sort((a, b) => a - b);
  assert.equal(new Set(all).size, all.length, 'no page is read by two helpers');
});

test('a helper that claims pages and goes away: the lead reads them itself', async () => {
  const pdf = await renderStatementPdf(statement('hdfc', { count: 200 }));
  const alone = await readPdfText(pdf, PDFJS);
  // A lent helper claims the first three pages, then its thread dies: it never sends them.
  const claims = newClaims();
  countLent(claims);
  Atomics.add(claims, 0, 3);
  let alive = true;
  let onEvent = (_page?: PdfPage) => {};
  const share: PageShare = { claims, pending: () => alive, listen: (f) => (onEvent = f) };
  setTimeout(() => {
    alive = false;
    onEvent();
  }, 20);
  assert.deepEqual(await readPdfText(pdf, { share, ...PDFJS }), alone);
});

test('a recalled helper stops after the page it is reading; the lead reads the rest', async () => {
  const pdf = await renderStatementPdf(statement('generic', { count: 300 }));
  const alone = await readPdfText(pdf, PDFJS);
  const { share, helper } = sharedRead(pdf);
  const [text, delivered] = await Promise.all([readPdfText(pdf, { share, ...PDFJS }), helper({ recallAfter: 1 })]);
  assert.deepEqual(text, alone);
  assert.ok(delivered.length <= 1, `the helper read ${delivered.length} pages after its recall`);
});

test('the pool lends idle workers to a statement pdfjs reads; results equal an in-process parse', async (t) => {
  const pool = new ParsePool({ workers: 3, timeoutMs: 60_000, maxHeapMb: 512 });
  t.after(() => pool.close());
  const s = statement('hdfc', { count: 1200 });
  // The lean reader reads a plain statement on the lead's thread: nobody is lent.
  const plain = await renderStatementPdf(s);
  assert.deepEqual(await pool.parse(plain), unchecked(await parseStatement(plain, banks)));
  assert.equal(pool.helpersLent, 0);
  // One pdfjs reads, and the idle workers help as soon as the lead turns to pdfjs.
  const viaPdfjs = leftToPdfjs(plain);
  const want = await parseStatement(viaPdfjs, banks);
  assert.deepEqual(want, await parseStatement(plain, banks));
  assert.deepEqual(await pool.parse(viaPdfjs), unchecked(want));
  assert.ok(pool.helpersLent >= 2, `${pool.helpersLent} helpers lent`);
  // Again, warm: the helpers now read pages for sure, and the result is still the same.
  assert.deepEqual(await pool.parse(viaPdfjs), unchecked(want));
  // A small statement on its own, and errors, behave as without helpers.
  const small = leftToPdfjs(await renderStatementPdf(statement('sbi', { count: 5 })));
  assert.deepEqual(await pool.parse(small), unchecked(await parseStatement(small, banks)));
  await assert.rejects(pool.parse(viaPdfjs, { maxPages: 3 }), { code: 'STATEMENT_TOO_MANY_PAGES' });
  // A password-protected statement without its password: the lean reader declines, pdfjs refuses.
  const locked = await renderStatementPdf(s, { password: 'x1' });
  await assert.rejects(pool.parse(locked), { code: 'PASSWORD_INCORRECT' });
  assert.deepEqual(await pool.parse(locked, { password: 'x1' }), unchecked(await parseStatement(plain, banks)));
});

test('a statement that arrives while every worker is busy takes a helper back', async (t) => {
  const pool = new ParsePool({ workers: 2, timeoutMs: 60_000, maxHeapMb: 512 });
  t.after(() => pool.close());
  // pdfjs reads the big one, so the other worker is lent to it.
  const big = leftToPdfjs(await renderStatementPdf(statement('hdfc', { count: 3000 })));
  const small = await renderStatementPdf(statement('sbi', { count: 20 }));
  const order: string[] = [];
  const bigDone = pool.parse(big).then((s) => (order.push('big'), s));
  // Once the lead has opened it, the big statement has both workers (a lead and a helper).
  while (pool.helpersLent < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(pool.helpersLent, 1);
  const smallDone = pool.parse(small).then((s) => (order.push('small'), s));
  const [bigParsed, smallParsed] = await Promise.all([bigDone, smallDone]);
  assert.deepEqual(order, ['small', 'big']);
  assert.deepEqual(bigParsed, unchecked(await parseStatement(big, banks)));
  assert.deepEqual(smallParsed, unchecked(await parseStatement(small, banks)));
});
