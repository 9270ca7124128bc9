/** Decompression bombs are refused by the lean reader, before pdfjs could inflate them; chained Flate filters are read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { decodeBudget } from '../../src/pdf/objects.ts';
import { readPdfContentText } from '../../src/pdf/content-text.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';

/** A one-page PDF whose content stream is `data`, stored with `filters` (already applied to `data`). */
function onePagePdf(data: Buffer, filters: string[]): Buffer {
  const filter = filters.length === 0 ? '' : filters.length === 1 ? `/Filter /${filters[0]}` : `/Filter [${filters.map((f) => `/${f}`).join(' ')}]`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk =
      body === null
        ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n<< /Length ${data.length} ${filter} >>\nstream\n`), data, Buffer.from('\nendstream\nendobj\n')])
        : Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const CONTENT = Buffer.from('BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');

test('a content stream under two stacked Flate filters is read by the lean reader', async () => {
  const pdf = onePagePdf(deflateSync(deflateSync(CONTENT)), ['FlateDecode', 'FlateDecode']);
  const lean = readPdfContentText(pdf);
  assert.equal(lean.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00');
  assert.deepEqual(lean.pages, (await readPdfText(pdf, { reader: 'pdfjs' })).pages, 'the same items as pdfjs');
});

test('a decompression bomb behind stacked filters is refused before pdfjs sees it', async () => {
  // A few KB that inflate, in two steps, to more than a small file's 32 MB budget.
  const zeros = Buffer.alloc(decodeBudget(0) + 1024 * 1024);
  const bomb = onePagePdf(deflateSync(deflateSync(zeros, { level: 9 }), { level: 9 }), ['FlateDecode', 'FlateDecode']);
  assert.ok(bomb.length < 64 * 1024, `the bomb is ${bomb.length} bytes`);
  await assert.rejects(readPdfText(bomb), (error: unknown) => error instanceof PdfError && error.code === 'PDF_OVER_BUDGET');
  const single = onePagePdf(deflateSync(zeros, { level: 9 }), ['FlateDecode']);
  await assert.rejects(readPdfText(single), (error: unknown) => error instanceof PdfError && error.code === 'PDF_OVER_BUDGET');
});

test('the budget grows with the file, within a floor and a ceiling', () => {
  assert.equal(decodeBudget(1000), 32 * 2 ** 20);
  assert.equal(decodeBudget(2 * 2 ** 20), 128 * 2 ** 20);
  assert.equal(decodeBudget(100 * 2 ** 20), 512 * 2 ** 20);
});
