/** Files the lean reader leaves to pdfjs are measured first: pdfjs is never given one that decodes past the budget. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPdfjsBudget } from '../../src/pdf/pdfjs-budget.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { brokenXrefBomb, hugePageCount, nestedFilterBomb, sharedContentPages } from '../http/hostile-pdfs.ts';

const refusedAs = (code: string) => (error: unknown) => error instanceof PdfError && error.code === code;

test('a bomb behind a filter the lean reader leaves to pdfjs is refused before pdfjs opens the file', async () => {
  const bomb = nestedFilterBomb();
  assert.ok(bomb.length < 4096, `the bomb is ${bomb.length} bytes`);
  await assert.rejects(readPdfText(bomb), refusedAs('PDF_OVER_BUDGET'));
});

test('a bomb in a file only a repairing reader opens is found by scanning for its stream', async () => {
  await assert.rejects(readPdfText(brokenXrefBomb()), refusedAs('PDF_OVER_BUDGET'));
});

test('a content stream shared by pages counts once per page that draws it', async () => {
  // About 1.2 MB of operators: 20 pages are 24 MB of content, 450 pages 540 MB.
  assert.doesNotThrow(() => checkPdfjsBudget(sharedContentPages(20), { maxPages: 500 }));
  await assert.rejects(readPdfText(sharedContentPages(450), { reader: 'pdfjs', maxPages: 500 }), refusedAs('PDF_OVER_BUDGET'));
});

test('a page tree claiming more pages than allowed is refused before anything is decoded', async () => {
  await assert.rejects(readPdfText(hugePageCount(10_000_000), { maxPages: 500 }), (error: unknown) => refusedAs('PDF_TOO_MANY_PAGES')(error) && (error as PdfError).pageCount === 10_000_000);
});
