/**
 * Stream filters: ASCIIHex, ASCII85, LZW (both /EarlyChange values), RunLength and their chains
 * with Flate, each with its own /DecodeParms, are read by the lean reader (not left to pdfjs)
 * and give pdfjs's items; LZW and RunLength bombs stop at the decode budget.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { decodeAscii85, decodeAsciiHex, decodeLzw, decodeRunLength } from '../../src/pdf/filters.ts';
import { decodeBudget } from '../../src/pdf/objects.ts';
import { PdfError } from '../../src/pdf/pdf-error.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { ascii85, asciiHex, lzw, LzwWriter, runLength } from './filter-encoders.ts';
import { onePagePdf } from './hand-built-pdf.ts';

// --- Content ------------------------------------------------------------------------------------

/** A page of statement rows: long enough for LZW to fill its table and start again. */
function statementContent(rows: number): Buffer {
  let content = '';
  for (let i = 0; i < rows; i++) {
    const y = 800 - (i % 60) * 13;
    content += `BT /F1 8 Tf 40 ${y} Td (${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/2025) Tj 60 0 Td (UPI/${(i * 7919) % 100000}/PAYMENT TO MERCHANT ${i}) Tj `;
    content += `240 0 Td (${((i * 3571) % 90000) / 100}) Tj 80 0 Td (${(100000 + i * 1234.5).toFixed(2)}) Tj ET\n`;
  }
  return Buffer.from(content, 'latin1');
}

const SHORT = statementContent(40);
const LONG = statementContent(400);

async function assertLeanReadsAsPdfjs(pdf: Buffer, label: string): Promise<void> {
  // The lean reader reads it: no Unsupported, so no pdfjs fallback.
  const lean = readPdfContentText(pdf);
  assert.ok(lean.pages[0]!.items.length > 10, `${label}: items read`);
  const pdfjs = await readPdfText(pdf, { reader: 'pdfjs' });
  assert.deepEqual(lean.pages, pdfjs.pages, `${label}: the same items as pdfjs`);
  assert.equal((await readPdfText(pdf)).reader, 'lean', `${label}: read by the lean reader`);
}

test('each filter alone, and chained with Flate, is read by the lean reader as pdfjs reads it', async () => {
  const cases: [string, Buffer, string][] = [
    ['ASCIIHex', asciiHex(SHORT), '/Filter /ASCIIHexDecode'],
    ['ASCIIHex, odd digit count', Buffer.from(`${SHORT.toString('hex')}2>`), '/Filter /AHx'],
    ['ASCII85', ascii85(SHORT), '/Filter /ASCII85Decode'],
    ['ASCII85, partial last group', ascii85(Buffer.concat([SHORT, Buffer.from(' %x')])), '/Filter /A85'],
    ['RunLength', runLength(Buffer.concat([SHORT, Buffer.alloc(300, 32)])), '/Filter /RunLengthDecode'],
    ['LZW', lzw(LONG), '/Filter /LZWDecode'],
    ['LZW, EarlyChange 0', lzw(LONG, 0), '/Filter /LZW /DecodeParms << /EarlyChange 0 >>'],
    ['LZW, EarlyChange 1 given', lzw(LONG, 1), '/Filter /LZWDecode /DecodeParms << /EarlyChange 1 >>'],
    ['ASCII85 over Flate', ascii85(deflateSync(LONG)), '/Filter [/ASCII85Decode /FlateDecode]'],
    ['ASCIIHex over Flate', asciiHex(deflateSync(SHORT)), '/Filter [/ASCIIHexDecode /FlateDecode]'],
    ['ASCII85 over LZW (EarlyChange 0)', ascii85(lzw(LONG, 0)), '/Filter [/A85 /LZW] /DecodeParms [null << /EarlyChange 0 >>]'],
    ['Flate over RunLength', deflateSync(runLength(LONG)), '/Filter [/FlateDecode /RunLengthDecode]'],
    ['ASCIIHex over ASCII85 over Flate over Flate', asciiHex(ascii85(deflateSync(deflateSync(SHORT)))), '/Filter [/AHx /A85 /Fl /Fl] /DecodeParms [null null null null]'],
  ];
  for (const [label, data, dict] of cases) await assertLeanReadsAsPdfjs(onePagePdf(data, dict), label);
});

/** PNG "Up" rows or TIFF differences over rows of `columns` bytes (the data padded with spaces to whole rows). */
function predicted(data: Buffer, columns: number, kind: 'png' | 'tiff'): Buffer {
  const rows = Math.ceil(data.length / columns);
  const padded = Buffer.alloc(rows * columns, 32);
  data.copy(padded);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (kind === 'png') out.push(2);
    for (let c = 0; c < columns; c++) {
      const v = padded[r * columns + c]!;
      const before = kind === 'png' ? (r > 0 ? padded[(r - 1) * columns + c]! : 0) : c > 0 ? padded[r * columns + c - 1]! : 0;
      out.push((v - before + 256) & 255);
    }
  }
  return Buffer.from(out);
}

test('predictors after Flate and LZW: PNG and TIFF, each filter with its own parameters', async () => {
  const cases: [string, Buffer, string][] = [
    ['Flate, PNG predictor', deflateSync(predicted(SHORT, 16, 'png')), '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 16 >>'],
    ['Flate, TIFF predictor', deflateSync(predicted(SHORT, 16, 'tiff')), '/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 16 >>'],
    ['LZW, PNG predictor, EarlyChange 0', lzw(predicted(LONG, 32, 'png'), 0), '/Filter /LZWDecode /DecodeParms << /Predictor 15 /Columns 32 /EarlyChange 0 >>'],
    [
      'ASCII85 over Flate with a TIFF predictor',
      ascii85(deflateSync(predicted(SHORT, 8, 'tiff'))),
      '/Filter [/ASCII85Decode /FlateDecode] /DecodeParms [null << /Predictor 2 /Columns 8 /Colors 1 /BitsPerComponent 8 >>]',
    ],
  ];
  for (const [label, data, dict] of cases) await assertLeanReadsAsPdfjs(onePagePdf(data, dict), label);
});

test('the decoders against known data', () => {
  const limit = 1 << 20;
  assert.equal(Buffer.from(decodeAsciiHex(Buffer.from('48 65 6c6C6F7>'), limit)).toString('latin1'), 'Hello\x70');
  assert.equal(Buffer.from(decodeAsciiHex(Buffer.from('48656c6c6f7'), limit)).toString('latin1'), 'Hello', 'an odd digit without the end marker is dropped');
  assert.equal(Buffer.from(decodeAscii85(Buffer.from('87cURD]i,"Ebo80~>'), limit)).toString('latin1'), 'Hello World!');
  assert.deepEqual([...decodeAscii85(Buffer.from('z!!~>'), limit)], [0, 0, 0, 0, 0]);
  assert.deepEqual([...decodeRunLength(Buffer.from([2, 65, 66, 67, 253, 68, 128, 9, 9]), limit)], [65, 66, 67, 68, 68, 68, 68]);
  // The example of PDF 32000-1, 7.4.4.2: 45 45 45 45 45 65 45 45 45 66, EarlyChange 1.
  const example = Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
  assert.deepEqual([...decodeLzw(example, 1, limit)], [45, 45, 45, 45, 45, 65, 45, 45, 45, 66]);
  for (const early of [0, 1]) {
    const data = Buffer.concat([LONG, Buffer.alloc(5000, 7), LONG]);
    assert.deepEqual(Buffer.from(decodeLzw(lzw(data, early), early, 1 << 24)), data, `EarlyChange ${early}`);
  }
});

test('malformed data is left to pdfjs rather than guessed at', async () => {
  const cases: [string, Buffer, string][] = [
    ['a stray character in ASCIIHex', Buffer.from(`${SHORT.toString('hex')}xx>`), '/Filter /ASCIIHexDecode'],
    ['a character outside ASCII85', Buffer.from(`${ascii85(SHORT).toString('latin1').slice(0, 20)}{~>`), '/Filter /ASCII85Decode'],
    ['LZW without its end code', lzw(SHORT).subarray(0, -3), '/Filter /LZWDecode'],
    ['a RunLength literal cut short', Buffer.from([100, 65, 66]), '/Filter /RunLengthDecode'],
    ['an unknown filter', SHORT, '/Filter /NoSuchDecode'],
    ['a predictor at 4 bits', deflateSync(SHORT), '/Filter /FlateDecode /DecodeParms << /Predictor 2 /BitsPerComponent 4 >>'],
  ];
  for (const [label, data, dict] of cases) {
    const pdf = onePagePdf(data, dict);
    assert.throws(() => readPdfContentText(pdf), Unsupported, label);
    const read = await readPdfText(pdf);
    assert.equal(read.reader, 'pdfjs', label);
  }
});

function assertOverBudget(error: unknown): boolean {
  return error instanceof PdfError && error.code === 'PDF_OVER_BUDGET';
}

test('LZW and RunLength bombs stop at the decode budget, before pdfjs sees them', async () => {
  // LZW: zeros coded as ever longer runs (0, then each new code one zero longer), the table
  // cleared when full: 5 KB per 7 MB of zeros.
  const writer = new LzwWriter(1);
  writer.clear();
  for (let cycle = 0; cycle < 8; cycle++) {
    writer.code(0);
    for (let code = 258; code < 4095; code++) writer.code(code);
    writer.clear();
  }
  const lzwBomb = onePagePdf(writer.end(), '/Filter /LZWDecode');
  assert.ok(lzwBomb.length < 64 * 1024, `the LZW bomb is ${lzwBomb.length} bytes`);
  assert.throws(() => decodeLzw(writer.end(), 1, decodeBudget(lzwBomb.length)), assertOverBudget);
  await assert.rejects(readPdfText(lzwBomb), assertOverBudget);

  // RunLength makes at most 64 times its input; under Flate, its input is itself tiny.
  const runs = Buffer.alloc(2 * 300_000);
  for (let i = 0; i < runs.length; i += 2) runs[i] = 129;
  const rlBomb = onePagePdf(deflateSync(runs, { level: 9 }), '/Filter [/FlateDecode /RunLengthDecode]');
  assert.ok(rlBomb.length < 64 * 1024, `the RunLength bomb is ${rlBomb.length} bytes`);
  await assert.rejects(readPdfText(rlBomb), assertOverBudget);
  // And ASCII85's `z` (four zeros a byte) under Flate.
  const zBomb = onePagePdf(deflateSync(Buffer.alloc(10_000_000, 'z'), { level: 9 }), '/Filter [/FlateDecode /ASCII85Decode]');
  await assert.rejects(readPdfText(zBomb), assertOverBudget);
});
