/** Files the lean reader leaves to pdfjs are measured first: pdfjs is never given one that decodes past the budget. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { checkPdfjsBudget } from '../../src/pdf/pdfjs-budget.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { brokenXrefBomb, buildPdf, hugePageCount, nestedFilterBomb, sharedContentPages } from '../http/hostile-pdfs.ts';
import { ascii85, lzw, runLength } from './filter-encoders.ts';
import { onePagePdf } from './hand-built-pdf.ts';

const refusedAs = (code: string) => (error: unknown) => error instanceof PdfError && error.code === code;

test('a bomb behind stacked filters is refused before pdfjs opens the file', async () => {
  const bomb = nestedFilterBomb();
  assert.ok(bomb.length < 4096, `the bomb is ${bomb.length} bytes`);
  // The lean reader refuses it itself; read with pdfjs, the check refuses it first.
  await assert.rejects(readPdfText(bomb), refusedAs('PDF_OVER_BUDGET'));
  await assert.rejects(readPdfText(bomb, { reader: 'pdfjs' }), refusedAs('PDF_OVER_BUDGET'));
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

test('ASCII85, RunLength and LZW in front of a bomb are decoded to measure it; the same text through them is read', async () => {
  const zeros = deflateSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
  const text = Buffer.from('BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');
  for (const [filter, encode] of [['ASCII85Decode', ascii85], ['RunLengthDecode', runLength], ['LZWDecode', lzw]] as const) {
    await assert.rejects(readPdfText(onePagePdf(encode(zeros), `/Filter [/${filter} /FlateDecode]`), { reader: 'pdfjs' }), refusedAs('PDF_OVER_BUDGET'), filter);
    const read = await readPdfText(onePagePdf(encode(deflateSync(text)), `/Filter [/${filter} /FlateDecode]`), { reader: 'pdfjs' });
    assert.equal(read.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00', `${filter}: pdfjs reads what the encoder wrote`);
  }
});

test('malformed data in front of a bomb is decoded as pdfjs repairs it, so the bomb is still measured', () => {
  const zeros = deflateSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
  const cases: [string, Buffer, string][] = [
    ['LZW without its end code', lzw(zeros).subarray(0, -3), '/LZWDecode'],
    ['a stray character in ASCIIHex', Buffer.from(`x${zeros.toString('hex')}>`), '/ASCIIHexDecode'],
    // pdfjs decodes the group it stands in to garbage: after the bomb's data, so the bomb is whole.
    ['a character outside ASCII85', Buffer.concat([ascii85(zeros).subarray(0, -2), Buffer.from('{~>')]), '/ASCII85Decode'],
    ['a Flate stream cut short', deflateSync(Buffer.alloc(64 * 2 ** 20)).subarray(0, -8), '/FlateDecode'],
  ];
  for (const [label, data, filter] of cases) {
    const inner = filter === '/FlateDecode' ? filter : `[${filter} /FlateDecode]`;
    assert.throws(() => checkPdfjsBudget(onePagePdf(data, `/Filter ${inner}`)), refusedAs('PDF_OVER_BUDGET'), label);
  }
});

test('a file of more streams than any statement holds is refused without decoding them all', () => {
  const stream = Buffer.from('<< /Length 3 >>\nstream\nq Q\nendstream\nendobj\n');
  const parts = [Buffer.from('%PDF-1.7\n')];
  for (let i = 1; i <= 100_001; i++) parts.push(Buffer.from(`${i} 0 obj\n`), stream);
  assert.throws(() => checkPdfjsBudget(Buffer.concat(parts)), refusedAs('PDF_OVER_BUDGET'));
});

test('images count only where a page draws one as its content: pdfjs does not decode them to read text', async () => {
  // Two well-compressed 20 MB images: more than a small file's 32 MB budget together.
  const pixels = deflateSync(Buffer.alloc(20 * 2 ** 20), { level: 9 });
  const image = '/Type /XObject /Subtype /Image /Width 2560 /Height 2731 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode';
  const text = Buffer.from('q 100 0 0 100 0 0 cm /Im1 Do Q q 100 0 0 100 0 100 cm /Im2 Do Q BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');
  const withImages = buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R /Im2 7 0 R >> >> /Contents 4 0 R >>',
    { dict: '/Filter /ASCIIHexDecode', data: Buffer.from(`${text.toString('hex')}>`) },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    { dict: image, data: pixels },
    { dict: image, data: pixels },
  ]);
  const read = await readPdfText(withImages, { reader: 'pdfjs' });
  assert.equal(read.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00');
  const bombAsContent = onePagePdf(deflateSync(Buffer.alloc(64 * 2 ** 20), { level: 9 }), '/Subtype /Image /Filter /FlateDecode');
  assert.throws(() => checkPdfjsBudget(bombAsContent), refusedAs('PDF_OVER_BUDGET'));
});
