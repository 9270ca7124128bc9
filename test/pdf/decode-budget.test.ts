/** Decompression bombs are refused by the lean reader, before pdfjs could inflate them; chained Flate filters are read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { decodeBudget } from '../../src/pdf/objects.ts';
import { readPdfContentText } from '../../src/pdf/content-text.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { onePagePdf } from './hand-built-pdf.ts';

/** A one-page PDF whose content stream is `data`, stored with `filters` (already applied to `data`). */
function filteredPdf(data: Buffer, filters: string[]): Buffer {
  return onePagePdf(data, `/Filter [${filters.map((f) => `/${f}`).join(' ')}]`);
}

const CONTENT = Buffer.from('BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');

test('a content stream under two stacked Flate filters is read by the lean reader', async () => {
  const pdf = filteredPdf(deflateSync(deflateSync(CONTENT)), ['FlateDecode', 'FlateDecode']);
  const lean = readPdfContentText(pdf);
  assert.equal(lean.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00');
  assert.deepEqual(lean.pages, (await readPdfText(pdf, { reader: 'pdfjs' })).pages, 'the same items as pdfjs');
});

test('a decompression bomb behind stacked filters is refused before pdfjs sees it', async () => {
  // A few KB that inflate, in two steps, to more than a small file's 32 MB budget.
  const zeros = Buffer.alloc(decodeBudget(0) + 1024 * 1024);
  const bomb = filteredPdf(deflateSync(deflateSync(zeros, { level: 9 }), { level: 9 }), ['FlateDecode', 'FlateDecode']);
  assert.ok(bomb.length < 64 * 1024, `the bomb is ${bomb.length} bytes`);
  await assert.rejects(readPdfText(bomb), (error: unknown) => error instanceof PdfError && error.code === 'PDF_OVER_BUDGET');
  const single = filteredPdf(deflateSync(zeros, { level: 9 }), ['FlateDecode']);
  await assert.rejects(readPdfText(single), (error: unknown) => error instanceof PdfError && error.code === 'PDF_OVER_BUDGET');
});

test('the budget grows with the file, within a floor and a ceiling', () => {
  assert.equal(decodeBudget(1000), 32 * 2 ** 20);
  assert.equal(decodeBudget(2 * 2 ** 20), 128 * 2 ** 20);
  assert.equal(decodeBudget(100 * 2 ** 20), 512 * 2 ** 20);
});
