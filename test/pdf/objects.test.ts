/**
 * The object parser and content lexer: nesting is capped (each level is a level of recursion), so
 * a hostile file is left to pdfjs, never a stack overflow. The page tree's declared count is read
 * before the tree is walked, and bounds the walk.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { declaredPageCount, MAX_NESTING, PdfFile } from '../../src/pdf/objects.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { deepNesting } from '../http/hostile-pdfs.ts';
import { buildPdf, onePagePdf, type Body } from './hand-built-pdf.ts';

const nestedTooDeep = (error: unknown) => error instanceof Unsupported && error.message === 'objects nested too deep';

test('arrays and dictionaries in a file object nested past the cap are left to pdfjs', async () => {
  // At the cap the page is read; one level more (or 100,000) is not, and fails cleanly.
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const atCap = onePagePdf('BT /F1 12 Tf 72 700 Td (Opening Balance) Tj ET', '', `/Font << /F1 5 0 R >> /Deep ${nested(MAX_NESTING - 2)}`);
  assert.equal(readPdfContentText(atCap).pages[0]!.items[0]!.text, 'Opening Balance');
  const pastCap = onePagePdf('BT /F1 12 Tf 72 700 Td (Opening Balance) Tj ET', '', `/Font << /F1 5 0 R >> /Deep ${nested(MAX_NESTING)}`);
  assert.throws(() => readPdfContentText(pastCap), nestedTooDeep);
  assert.throws(() => readPdfContentText(deepNesting(100_000)), nestedTooDeep);
  // pdfjs cannot read 100,000 levels either.
  await assert.rejects(readPdfText(deepNesting(100_000)), { code: 'PDF_UNREADABLE' });
});

test('arrays nested past the cap in a content stream are left to pdfjs', async () => {
  const content = (depth: number) => `BT /F1 12 Tf 72 700 Td ${'['.repeat(depth)}${']'.repeat(depth)} pop (Opening Balance) Tj ET`;
  assert.throws(() => readPdfContentText(onePagePdf(content(MAX_NESTING + 1))), nestedTooDeep);
  const deep = onePagePdf(content(100_000));
  assert.throws(() => readPdfContentText(deep), nestedTooDeep);
  const read = await readPdfText(deep);
  assert.equal(read.reader, 'pdfjs');
});

/**
 * A page tree that declares `declared` pages and lists `present` real pages (objects 3 and 6)
 * and then `kids - present` objects the file does not hold: walking past the real pages fails.
 */
function treeWithMissingPages(declared: number, kids: number, present = 1): Buffer {
  const refs = Array.from({ length: kids }, (_, i) => `${i === 0 ? 3 : i < present ? 6 : 100 + i} 0 R`).join(' ');
  return buildPdf(
    new Map<number, Body>([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, `<< /Type /Pages /Kids [${refs}] /Count ${declared} >>`],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>'],
      [4, { dict: '', data: 'BT /F1 12 Tf 72 700 Td (Opening Balance) Tj ET' }],
      [5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'],
      [6, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>'],
    ]),
  );
}

test('the root /Count is compared with the page limit before the page tree is walked, by both readers', async () => {
  const pdf = treeWithMissingPages(600, 600);
  assert.equal(declaredPageCount(new PdfFile(pdf)), 600);
  // The missing pages are never fetched: the count alone refuses the file.
  assert.throws(() => readPdfContentText(pdf, { maxPages: 500 }), { message: 'too many pages' });
  await assert.rejects(readPdfText(pdf, { maxPages: 500 }), { code: 'PDF_TOO_MANY_PAGES', pageCount: 600 });
  assert.throws(() => readPdfContentText(pdf), { message: 'object not in the xref' });
});

test('the lean reader walks no more pages than the root /Count declares', () => {
  // Declares one page and lists two, then 1,000 that are not there: the walk stops at the second.
  assert.throws(() => readPdfContentText(treeWithMissingPages(1, 1002, 2)), { message: 'page tree /Count does not match its pages' });
});
