/**
 * The lean reader's work budget: a content stream or form drawn by many pages, or many times on
 * one page, counts at every use, and a document over its budget is refused (PDF_OVER_BUDGET),
 * never handed to pdfjs to grind through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { readPdfContentText, WORK_LIMITS } from '../../src/pdf/content-text.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { buildPdf, onePagePdf, type Body } from './hand-built-pdf.ts';

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/** `pageCount` pages that all draw content stream 4 (`content`, stored with `streamDict`). */
function sharedContentPdf(pageCount: number, content: Buffer, streamDict = ''): Buffer {
  const objects = new Map<number, Body>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, `<< /Type /Pages /Kids [${Array.from({ length: pageCount }, (_, i) => `${10 + i} 0 R`).join(' ')}] /Count ${pageCount} >>`],
    [3, FONT],
    [4, { dict: streamDict, data: content }],
  ]);
  for (let i = 0; i < pageCount; i++) {
    objects.set(10 + i, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>');
  }
  return buildPdf(objects);
}

/** Text lines, `lines` of them (six operators each). */
function textLines(lines: number): Buffer {
  let out = '';
  for (let i = 0; i < lines; i++) out += `BT /F1 8 Tf 40 ${800 - (i % 60) * 12} Td (Opening Balance ${i}) Tj ET\n`;
  return Buffer.from(out);
}

function overBudget(error: unknown): boolean {
  return error instanceof PdfError && error.code === 'PDF_OVER_BUDGET';
}

test('450 pages sharing one huge content stream are refused, even where the lean reader would leave them to pdfjs', async () => {
  // Each page is within a page's limits (120,000 operators, 1 MB); together they are 450 times that.
  const huge = textLines(20_000);
  assert.ok(huge.length < WORK_LIMITS.pageContentBytes);
  const pdf = sharedContentPdf(450, huge);
  assert.ok(pdf.length < 2 * 2 ** 20, `${pdf.length} bytes`);
  assert.throws(() => readPdfContentText(pdf), overBudget);
  await assert.rejects(readPdfText(pdf), overBudget);
  // An operator the lean reader does not know, at the end of the shared stream: still refused, not read by pdfjs.
  const unknown = sharedContentPdf(450, Buffer.concat([huge, Buffer.from('xyz\n')]));
  await assert.rejects(readPdfText(unknown), overBudget);
  // Compressed, the stream is small in the file; it is counted as decoded, at every use.
  const compressed = sharedContentPdf(450, deflateSync(huge), '/Filter /FlateDecode');
  assert.ok(compressed.length < 256 * 2 ** 10, `${compressed.length} bytes`);
  await assert.rejects(readPdfText(compressed), overBudget);
});

test('450 pages drawing one form of vector paths 60 times each are over the document’s budget', async () => {
  const pageCount = 450;
  const objects = new Map<number, Body>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, `<< /Type /Pages /Kids [${Array.from({ length: pageCount }, (_, i) => `${10 + i} 0 R`).join(' ')}] /Count ${pageCount} >>`],
    [4, { dict: '', data: '/Fm1 Do\n'.repeat(60) }],
    [5, { dict: '/Type /XObject /Subtype /Form /BBox [0 0 595 842]', data: '10 10 m 20 20 l 30 30 l S\n'.repeat(1500) }],
  ]);
  for (let i = 0; i < pageCount; i++) objects.set(10 + i, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 5 0 R >> >> /Contents 4 0 R >>');
  const pdf = buildPdf(objects);
  // A page: 360,000 operators, within a page's limit; the document: 162 million.
  assert.ok(360_000 < WORK_LIMITS.pageOperators && pdf.length < 200 * 2 ** 10);
  await assert.rejects(readPdfText(pdf), overBudget);
});

test('a form drawn many times on one page, or one vast text string, is over a page’s budget', async () => {
  const form: [number, Body] = [6, { dict: '/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>', data: textLines(20) }];
  const draws = onePagePdf(Buffer.from('/Fm1 Do\n'.repeat(5000)), '', '/Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >>', [form]);
  await assert.rejects(readPdfText(draws), overBudget);
  const vast = onePagePdf(Buffer.from(`BT /F1 1 Tf 0 400 Td (${'A'.repeat(WORK_LIMITS.pageGlyphs + 1)}) Tj ET`));
  await assert.rejects(readPdfText(vast), overBudget);
});

test('pages sharing a small content stream, and a form drawn on every page, are read as usual', async () => {
  const shared = sharedContentPdf(450, textLines(40));
  const lean = readPdfContentText(shared);
  assert.equal(lean.pageCount, 450);
  assert.deepEqual(lean.pages[449]!.items, lean.pages[0]!.items);
  const form: [number, Body] = [6, { dict: '/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>', data: textLines(20) }];
  const letterhead = onePagePdf(Buffer.from('/Fm1 Do\n'.repeat(20)), '', '/Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >>', [form]);
  assert.equal((await readPdfText(letterhead)).reader, 'lean');
});
