/** The object parser and content lexer: nesting is capped (each level is a level of recursion), so a hostile file is left to pdfjs, never a stack overflow. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { MAX_NESTING } from '../../src/pdf/objects.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { deepNesting } from '../http/hostile-pdfs.ts';
import { onePagePdf } from './hand-built-pdf.ts';

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
