/**
 * The lean text extractor against pdfjs: for every generated statement layout, and for small
 * hand-built PDFs that exercise text operators, encodings, fonts, form XObjects and compressed
 * object structure, its pages must equal what the pdfjs reader gives (exactly: same items, same
 * coordinates). Encrypted files must decrypt as pdfjs decrypts them when the password opens
 * them. Files it does not read (a missing or wrong password, Type3 fonts, …) must be left to
 * pdfjs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { LAYOUTS } from '../../src/samples/statement-layouts.ts';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { pdfOf, statement } from '../statements/statement-fixtures.ts';
import { buildPdf, type Body } from './hand-built-pdf.ts';

const PDFJS = { reader: 'pdfjs' as const };

async function assertSameAsPdfjs(pdf: Uint8Array, label: string): Promise<void> {
  const lean = readPdfContentText(pdf);
  const reference = await readPdfText(pdf, PDFJS);
  assert.equal(lean.pageCount, reference.pageCount, `${label}: page count`);
  for (const [i, page] of reference.pages.entries()) {
    assert.deepEqual(lean.pages[i], page, `${label}: page ${i + 1}`);
  }
  // And the default reader takes the lean path's result.
  assert.deepEqual(await readPdfText(pdf), lean);
}

// Every layout is drawn by pdfkit in the standard Helvetica, so the bank layouts added for the
// parser (src/samples/layouts/) bring no text the reader has not met in these six; other fonts,
// filters and producers are compared in producers.slow.test.ts.
const READER_LAYOUTS = ['hdfc', 'sbi', 'icici', 'axis', 'kotak', 'generic'];
assert.ok(READER_LAYOUTS.every((id) => id in LAYOUTS));

for (const layout of READER_LAYOUTS) {
  test(`${layout}: the lean reader's items are pdfjs's`, async () => {
    const s = statement(layout, { count: 120 });
    await assertSameAsPdfjs(await renderStatementPdf(s), layout);
    const overdrawn = statement(layout, { seed: 9, count: 40, opening: -3_00_000_00, overdraft: true, accountType: 'CURRENT' });
    await assertSameAsPdfjs(await renderStatementPdf(overdrawn), `${layout}, overdrawn`);
    await assertSameAsPdfjs(await renderStatementPdf({ ...s, transactions: [] }), `${layout}, no transactions`);
  });
}

test('an embedded TrueType font (Type0, Identity-H, ToUnicode, /W) reads as pdfjs reads it', async (t) => {
  const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  if (!existsSync(font)) return t.skip(`${font} is not installed`);
  const pdf = await pdfOf((doc) => {
    doc.font(font).fontSize(9);
    doc.text('Statement of Account — ₹ 1,23,456.78 Cr  naïve café ﬁle', 40, 40);
    doc.text('Date    Narration          Withdrawal   Deposit   Balance', 40, 60, { lineBreak: false });
    doc.font('Helvetica').text('Spaced words here', 40, 80, { wordSpacing: 5, characterSpacing: 1, lineBreak: false });
    doc.text('Justified text that is long enough to wrap across several lines of a narrow column', 40, 100, { width: 120, align: 'justify' });
    doc.rotate(90, { origin: [300, 300] }).text('rotated a quarter turn', 300, 300, { lineBreak: false });
  });
  await assertSameAsPdfjs(pdf, 'embedded font');
});

// --- Hand-built PDFs --------------------------------------------------------------------------

function hex(codes: number[]): string {
  return `<${codes.map((c) => c.toString(16).padStart(2, '0')).join('')}>`;
}

/** Every defined code of an encoding, 16 to a line, in font `font`, from height `y` down. */
function codeLines(font: string, codes: number[], y: number): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 16) out += `BT /${font} 9 Tf 40 ${y - (i / 16) * 12} Td ${hex(codes.slice(i, i + 16))} Tj ET\n`;
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const STANDARD_CODES = [...range(32, 126), ...range(161, 175), ...range(177, 180), ...range(182, 189), 191, ...range(193, 200), 202, 203, ...range(205, 208), 225, 227, 232, 233, 234, 235, 241, 245, 248, 249, 250, 251];

const FEATURES = `
BT /F1 10 Tf 40 800 Td (Plain text, with spaces and \\(escapes\\) \\101\\102) Tj ET
BT /F1 10 Tf 14 TL 40 780 Td (line one) Tj T* (line two) Tj (next line) ' 2 1 (spaced line) " ET
BT /F2 9 Tf 3 Tc 2 Tw 40 720 Td (char spaced words) Tj 0 Tc 0 Tw 80 Tz 0 -12 TD (squeezed text) Tj 100 Tz T* (after TD) Tj ET
BT /F3 8 Tf 40 680 Td [(Cou) -200 (rier) 50 (kern) -2000 (far) 0 (zero)] TJ [-500 (lead)] TJ ET
BT /F1 10 Tf 2 0 0 2 40 640 Tm (scaled) Tj 0 1 -1 0 500 500 Tm (rotated) Tj -1 0 0 -1 300 560 Tm (upside down) Tj 0.9 0.3 -0.3 0.9 60 560 Tm (tilted text) Tj ET
q 0.5 0 0 0.5 100 100 cm BT /F2 12 Tf 0 0 Td (inside cm) Tj ET Q
BT /F1 10 Tf 40 520 Td (rise) Tj 3 Ts (up) Tj 0 Ts (down) Tj -4 Ts (sub) Tj ET
/P <</MCID 0>> BDC BT /F1 10 Tf 40 500 Td (marked) Tj ( content) Tj ET EMC
/Span /Name BDC BT /F1 10 Tf 120 500 Td (more) Tj ET EMC /Art BMC EMC
q 1 0 0 RG 0.5 g 2 w 40 490 m 200 490 l S 40 480 100 5 re f Q
/Fm1 Do
/Im1 Do
BT /F4 10 Tf 40 440 Td (Standard ' quote \`) Tj ET
BT /F5 10 Tf 40 420 Td <414243> Tj ET
BT /F1 10 Tf 40 400 Td (same line) Tj ET BT /F1 10 Tf 82 400 Td (continued) Tj ET BT /F1 10 Tf 300 400 Td (far column) Tj ET
BT /F1 10 Tf 40 380 Td (font) Tj /F6 10 Tf ( change) Tj /F6 12 Tf ( size) Tj ET
BT /F1 10 Tf -50 360 Td (partly off the page) Tj 700 0 Td (off) Tj ET
/GS1 gs
BT /F1 7 Tf 40 340 Td (A   wide    gaps) Tj ET
BT /F1 8 Tf 40 320 Td [([) -600 (]) -600 (>>) (<<)] TJ ET
`;

function featurePdf(compressed: boolean): Buffer {
  const objects = new Map<number, Body>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R 20 0 R 30 0 R] /Count 3 /MediaBox [0 0 595 842] >>'],
    [
      3,
      '<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R] /Resources << /Font << /F1 6 0 R /F2 7 0 R /F3 8 0 R /F4 9 0 R /F5 10 0 R /F6 11 0 R >> /XObject << /Fm1 12 0 R /Im1 13 0 R >> /ExtGState << /GS1 14 0 R >> >> >>',
    ],
    [4, { dict: '/Filter /FlateDecode', data: deflateSync(Buffer.from(FEATURES, 'latin1')) }],
    [5, { dict: '', data: 'BT /F1 10 Tf 40 300 Td (second content stream) Tj ET' }],
    [6, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'],
    [7, '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>'],
    [8, '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>'],
    [9, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>'],
    [10, '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [65 /Eacute /uni20B9 /.notdef] >> >>'],
    [11, '<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths 15 0 R /FontDescriptor 16 0 R /Encoding /WinAnsiEncoding >>'],
    [12, { dict: '/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Matrix [1 0 0 1 40 460]', data: 'BT /F1 10 Tf 0 0 Td (in a form) Tj ET' }],
    [13, { dict: '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8', data: '\x80' }],
    [14, '<< /Type /ExtGState /CA 0.5 >>'],
    [15, `[${range(32, 126).map((c) => 400 + (c % 7) * 50).join(' ')}]`],
    [16, '<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /MissingWidth 333 >>'],
    [20, '<< /Type /Page /Parent 2 0 R /Contents 21 0 R /CropBox [20 20 500 800] /Resources << /Font << /F1 6 0 R /F2 7 0 R /F3 8 0 R /F4 9 0 R >> >> >>'],
    [21, { dict: '', data: codeLines('F1', range(32, 255), 780) + codeLines('F2', range(32, 255), 560) + codeLines('F3', range(32, 255), 340) + codeLines('F4', STANDARD_CODES, 120) }],
    // Page 3: every standard Latin font over every WinAnsi code, and a symbolic TrueType font read through its ToUnicode map.
    [30, `<< /Type /Page /Parent 2 0 R /Contents 31 0 R /Resources << /Font << ${STANDARD_FONTS.map((_, i) => `/S${i} ${40 + i} 0 R`).join(' ')} /T1 32 0 R >> >> >>`],
    [
      31,
      {
        dict: '',
        data:
          STANDARD_FONTS.map((_, i) => `BT /S${i} 5 Tf 20 ${820 - i * 52} Td ${hex(range(32, 127))} Tj 0 -7 Td ${hex(range(128, 255))} Tj ET\n`).join('') +
          'BT /T1 11 Tf 20 150 Td <01020304> Tj <05 06 07 08> Tj 40 0 Td <0102> Tj ET',
      },
    ],
    [32, '<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Symbolic /FirstChar 1 /LastChar 8 /Widths [500 600 700 250 500 500 500 500] /FontDescriptor 33 0 R /ToUnicode 34 0 R >>'],
    [33, '<< /Type /FontDescriptor /FontName /ABCDEF+Symbolic /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>'],
    [
      34,
      {
        dict: '',
        data: '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T1 def 1 begincodespacerange <00> <FF> endcodespacerange\n2 beginbfchar <01> <0041> <04> <0020> endbfchar\n2 beginbfrange <02> <03> <0062> <05> <08> [<00430044> <D83DDE00> <00E9> <0031>] endbfrange endcmap CMapName currentdict /CMap defineresource pop end end',
      },
    ],
    ...STANDARD_FONTS.map((font, i): [number, Body] => [40 + i, `<< /Type /Font /Subtype /Type1 /BaseFont /${font} /Encoding /WinAnsiEncoding >>`]),
  ]);
  return buildPdf(objects, { compressed });
}

const STANDARD_FONTS = ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique', 'Times-Roman', 'Times-Bold', 'Times-Italic', 'Times-BoldItalic', 'Courier', 'Courier-Bold', 'Courier-Oblique', 'Courier-BoldOblique'];

test('hand-built PDF: text operators, encodings, fonts and XObjects read as pdfjs reads them', async () => {
  const pdf = featurePdf(false);
  await assertSameAsPdfjs(pdf, 'features');
  const lean = readPdfContentText(pdf);
  const texts = lean.pages.flatMap((p) => p.items.map((i) => i.text));
  for (const want of ['in a form', 'second content stream', 'Plain text, with spaces and (escapes) AB', '[ ] >><<']) assert.ok(texts.includes(want), `${want} in ${JSON.stringify(texts)}`);
  assert.ok(texts.some((t) => t.includes('É₹')), 'Differences');
  assert.ok(texts.some((t) => t.startsWith('Abc CD😀é1')), `ToUnicode in ${JSON.stringify(texts)}`);
});

test('object streams and a compressed cross-reference stream read like the classic layout', async () => {
  const compressed = featurePdf(true);
  await assertSameAsPdfjs(compressed, 'compressed');
  assert.deepEqual(readPdfContentText(compressed), readPdfContentText(featurePdf(false)));
});

test('encrypted statements: what the password opens is decrypted as pdfjs decrypts it; pdfjs refuses the rest', async () => {
  const s = statement('hdfc', { count: 40 });
  const plain = readPdfContentText(await renderStatementPdf(s));
  // PDF 1.3: RC4 40-bit (R2); 1.4: RC4 128-bit (R3); 1.7: AES-128 (R4); 1.7ext3: AES-256 (R5).
  for (const pdfVersion of ['1.3', '1.4', '1.7', '1.7ext3'] as const) {
    const locked = await renderStatementPdf(s, { password: 'AYUS1234', ownerPassword: 'bank-owner', pdfVersion });
    for (const password of ['AYUS1234', 'bank-owner']) {
      const lean = readPdfContentText(locked, { password });
      assert.deepEqual(lean, plain, `${pdfVersion}, ${password}`);
      assert.deepEqual((await readPdfText(locked, { password, ...PDFJS })).pages, lean.pages, `${pdfVersion}, ${password}: pdfjs`);
    }
    // No password, or a wrong one: the lean reader declines, and pdfjs reports it as before.
    for (const password of [undefined, 'ayus1234']) {
      assert.throws(() => readPdfContentText(locked, { password }), Unsupported);
      await assert.rejects(readPdfText(locked, { password }), { code: password === undefined ? 'PDF_PASSWORD_REQUIRED' : 'PDF_PASSWORD_INCORRECT' });
    }
    // Only an owner password: the file opens without one.
    const ownerOnly = await renderStatementPdf(s, { ownerPassword: 'bank-owner', pdfVersion });
    assert.deepEqual(readPdfContentText(ownerOnly), plain, `${pdfVersion}, owner password only`);
    assert.deepEqual((await readPdfText(ownerOnly, PDFJS)).pages, plain.pages, `${pdfVersion}, owner password only: pdfjs`);
  }
});

test('AES-256 revision 6 and object streams, as qpdf writes them (when qpdf is installed)', async (t) => {
  if (spawnSync('qpdf', ['--version']).status !== 0) return t.skip('qpdf is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'passbook-r6-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, 'plain.pdf');
  const pdf = await renderStatementPdf(statement('sbi', { count: 40 }));
  writeFileSync(source, pdf);
  const plain = readPdfContentText(pdf);
  for (const [label, args] of [
    ['R6', ['--encrypt', 'usr0', 'own3r', '256', '--']],
    ['R6, object streams', ['--object-streams=generate', '--encrypt', 'usr0', 'own3r', '256', '--']],
    ['R4, object streams', ['--object-streams=generate', '--encrypt', 'usr0', 'own3r', '128', '--use-aes=y', '--']],
  ] as const) {
    const out = path.join(dir, 'locked.pdf');
    assert.equal(spawnSync('qpdf', [...args, source, out]).status, 0, label);
    const locked = readFileSync(out);
    for (const password of ['usr0', 'own3r']) {
      assert.deepEqual(readPdfContentText(locked, { password }), plain, `${label}, ${password}`);
      assert.deepEqual((await readPdfText(locked, { password, ...PDFJS })).pages, plain.pages, `${label}, ${password}: pdfjs`);
    }
    assert.throws(() => readPdfContentText(locked, { password: 'nope' }), Unsupported);
    await assert.rejects(readPdfText(locked, { password: 'nope' }), { code: 'PDF_PASSWORD_INCORRECT' });
  }
});

test('what the lean reader leaves to pdfjs: inline images, unknown filters, broken files', async () => {
  const page = (content: string, font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>') =>
    new Map<number, Body>([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'],
      [4, { dict: '', data: content }],
      [5, font],
    ]);
  const cases: [string, Map<number, Body>][] = [
    ['an inline image', page('BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI BT /F1 10 Tf 10 10 Td (text) Tj ET')],
    ['an unknown operator', page('BT /F1 10 Tf 10 10 Td (text) Tj ET xyz')],
    ['a symbolic font', page('BT /F1 10 Tf 10 10 Td (text) Tj ET', '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>')],
  ];
  for (const [label, objects] of cases) {
    const pdf = buildPdf(objects);
    assert.throws(() => readPdfContentText(pdf), Unsupported, label);
    assert.deepEqual(await readPdfText(pdf), await readPdfText(pdf, PDFJS), label);
  }
  const unknownFilter = buildPdf(new Map([...page(''), [4, { dict: '/Filter /NoSuchDecode', data: 'BT /F1 10 Tf 10 10 Td (raw) Tj ET' }]]));
  assert.throws(() => readPdfContentText(unknownFilter), Unsupported);
  assert.deepEqual(await readPdfText(unknownFilter), await readPdfText(unknownFilter, PDFJS));

  // Broken files: the lean reader gives up, and pdfjs reports them as before.
  const good = await renderStatementPdf(statement('hdfc', { count: 10 }));
  assert.throws(() => readPdfContentText(good.subarray(0, good.length / 3)), Unsupported);
  assert.throws(() => readPdfContentText(Buffer.from('%PDF-1.4 junk')), Unsupported);
  await assert.rejects(readPdfText(Buffer.from('%PDF-1.4 junk')), { code: 'PDF_UNREADABLE' });
});

test('more pages than allowed: the lean reader stops, and pdfjs reports STATEMENT_TOO_MANY_PAGES', async () => {
  const pdf = await renderStatementPdf(statement('sbi', { count: 150 }));
  assert.throws(() => readPdfContentText(pdf, { maxPages: 2 }), Unsupported);
  await assert.rejects(readPdfText(pdf, { maxPages: 2 }), { code: 'PDF_TOO_MANY_PAGES' });
  assert.equal((await readPdfText(pdf, { maxPages: 50 })).pageCount, readPdfContentText(pdf).pageCount);
});

