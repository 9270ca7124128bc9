/** Files the lean reader leaves to pdfjs are measured first: pdfjs is never given one that decodes past the budget. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { checkPdfjsBudget } from '../../src/pdf/pdfjs-budget.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { brokenXrefBomb, buildPdf, hugePageCount, nestedFilterBomb, sharedContentPages } from '../http/hostile-pdfs.ts';

/** One page whose content stream is `data` under `filter` (a /Filter entry). */
function onePageWith(filter: string, data: Buffer): Buffer {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    { dict: filter, data },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ]);
}

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

/** ASCII85 as a PDF writer would encode it (with `z` for four zeros), ending in `~>`. */
function ascii85(data: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, Math.min(data.length, i + 4));
    const n = Math.min(4, data.length - i);
    let value = chunk.readUInt32BE(0);
    if (value === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(`${out}~>`);
}

/** RunLength with literal runs only. */
function runLength(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += 128) {
    const run = data.subarray(i, i + 128);
    parts.push(Buffer.from([run.length - 1]), run);
  }
  parts.push(Buffer.from([128]));
  return Buffer.concat(parts);
}

/** LZW as PDF's LZWDecode reads it (EarlyChange 1): codes from 9 to 12 bits, a clear code when the table is full. */
function lzw(data: Buffer): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  let width = 9;
  const put = (code: number) => {
    acc = (acc << width) | code;
    bits += width;
    while (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  };
  let table = new Map<string, number>();
  let next = 258;
  put(256);
  let word = '';
  for (const byte of data) {
    const extended = word + String.fromCharCode(byte);
    if (extended.length === 1 || table.has(extended)) {
      word = extended;
      continue;
    }
    put(word.length === 1 ? word.charCodeAt(0) : table.get(word)!);
    table.set(extended, next++);
    // The decoder adds each entry one code later, and widens (EarlyChange 1) when its next entry
    // is one short of a power of two: so the codes after this one are wider.
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4094) {
      put(256);
      table = new Map();
      next = 258;
      width = 9;
    }
    word = String.fromCharCode(byte);
  }
  if (word) put(word.length === 1 ? word.charCodeAt(0) : table.get(word)!);
  put(257);
  if (bits > 0) bytes.push((acc << (8 - bits)) & 255);
  return Buffer.from(bytes);
}

test('ASCII85, RunLength and LZW in front of a bomb are decoded to measure it; the same text through them is read', async () => {
  const zeros = deflateSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
  const text = Buffer.from('BT /F1 12 Tf 72 700 Td (Opening Balance 1,000.00) Tj ET');
  for (const [filter, encode] of [['ASCII85Decode', ascii85], ['RunLengthDecode', runLength], ['LZWDecode', lzw]] as const) {
    await assert.rejects(readPdfText(onePageWith(`/Filter [/${filter} /FlateDecode]`, encode(zeros))), refusedAs('PDF_OVER_BUDGET'), filter);
    const read = await readPdfText(onePageWith(`/Filter [/${filter} /FlateDecode]`, encode(deflateSync(text))));
    assert.equal(read.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00', `${filter}: pdfjs reads what the encoder wrote`);
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
    // ASCIIHex: a filter the lean reader leaves to pdfjs today.
    { dict: '/Filter /ASCIIHexDecode', data: Buffer.from(`${text.toString('hex')}>`) },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    { dict: image, data: pixels },
    { dict: image, data: pixels },
  ]);
  const read = await readPdfText(withImages);
  assert.equal(read.pages[0]!.items.map((i) => i.text).join(''), 'Opening Balance 1,000.00');
  const bombAsContent = onePageWith('/Subtype /Image /Filter /FlateDecode', deflateSync(Buffer.alloc(64 * 2 ** 20), { level: 9 }));
  assert.throws(() => checkPdfjsBudget(bombAsContent), refusedAs('PDF_OVER_BUDGET'));
});
