/**
 * Fonts the lean reader now reads as pdfjs reads them: Type3 fonts (glyph-space widths scaled by
 * their /FontMatrix, text from /Differences glyph names or ToUnicode, the glyph height pdfjs
 * puts into the item when the font size is at most 1 or it took the glyphs' own boxes), named
 * MacRomanEncoding, and embedded symbolic TrueType fonts without an encoding (MacRoman, as
 * pdfjs takes it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { onePagePdf, type Body } from './hand-built-pdf.ts';

async function assertLeanReadsAsPdfjs(pdf: Buffer, label: string): Promise<string[]> {
  const lean = readPdfContentText(pdf);
  const pdfjs = await readPdfText(pdf, { reader: 'pdfjs' });
  assert.deepEqual(lean.pages, pdfjs.pages, `${label}: the same items as pdfjs`);
  assert.equal((await readPdfText(pdf)).reader, 'lean', label);
  return lean.pages[0]!.items.map((i) => i.text);
}

/** A Type3 font over the glyphs a, b, c, space and e-acute (code 233), each drawn by `proc(name)`. */
function type3Objects(fontMatrix: string, fontBBox: string, proc: (glyph: string) => string, extra = ''): [number, Body][] {
  const glyphs = ['a', 'b', 'c', 'space', 'eacute'];
  return [
    [
      6,
      `<< /Type /Font /Subtype /Type3 /FontMatrix [${fontMatrix}] /FontBBox [${fontBBox}] /CharProcs 7 0 R /Encoding << /Type /Encoding /Differences [32 /space 97 /a /b /c 233 /eacute] >> /FirstChar 32 /LastChar 233 /Widths 8 0 R ${extra} >>`,
    ],
    [7, `<< ${glyphs.map((g, i) => `/${g} ${10 + i} 0 R`).join(' ')} >>`],
    [8, `[${Array.from({ length: 233 - 32 + 1 }, (_, i) => (i === 0 ? 250 : 400 + (i % 5) * 30) * (fontMatrix.startsWith('1 ') ? 0.001 : fontMatrix.startsWith('0.01') ? 0.1 : 1)).join(' ')}]`],
    ...glyphs.map((g, i): [number, Body] => [10 + i, { dict: '', data: proc(g) }]),
  ];
}

const LINES = (size: number, scale: number) => `
BT /T3 ${size} Tf ${scale} 0 0 ${scale} 40 780 Tm (abc cab) Tj ( \\351) Tj ET
BT /T3 ${size} Tf ${scale} 0 0 ${scale} 40 760 Tm [(ab) -300 (c)] TJ 0 -2 Td (bca) Tj ET
BT /F1 10 Tf 40 700 Td (after the Type3 text) Tj /T3 ${size} Tf ( abc) Tj ET
`;

test('Type3 fonts, as matplotlib and others write them, read as pdfjs reads them', async () => {
  const d1 = (g: string) => `${g === 'space' ? 250 : 500} 0 0 0 450 600 d1 0 0 m 400 0 l 400 600 l f`;
  const cases: [string, string, [number, Body][]][] = [
    ['the usual font matrix', LINES(9, 1), type3Objects('0.001 0 0 0.001 0 0', '0 0 500 700', d1)],
    ['a font matrix of 1/100', LINES(12, 1), type3Objects('0.01 0 0 0.01 0 0', '0 0 50 70', (g) => `${g === 'space' ? 25 : 50} 0 0 0 45 60 d1 0 0 m 40 0 l f`)],
    ['size 1, scaled by the text matrix', LINES(1, 10), type3Objects('0.01 0 0 0.01 0 0', '0 -20 50 70', () => '50 0 0 0 45 60 d1 0 0 m 40 0 l f')],
    ['a unit font matrix, size 1', LINES(1, 11), type3Objects('1 0 0 1 0 0', '0 0 0.5 0.7', () => '0.5 0 0 0 0.45 0.6 d1 0 0 m 0.4 0 l f')],
    ['an empty font box: the glyph boxes', LINES(8, 1), type3Objects('0.01 0 0 0.01 0 0', '0 0 0 0', (g) => `50 0 0 -10 45 ${g === 'b' ? 80 : 60} d1 0 0 m 40 0 l f`)],
    ['a glyph box ten times the font box', LINES(8, 1), type3Objects('0.01 0 0 0.01 0 0', '0 0 5 7', (g) => `50 0 0 0 ${g === 'a' ? '60 90' : '4 6'} d1 0 0 m 40 0 l f`)],
    [
      'a descriptor with a name and a ToUnicode map',
      LINES(9, 1),
      [
        ...type3Objects('0.001 0 0 0.001 0 0', '0 0 500 700', d1, '/FontDescriptor 20 0 R /ToUnicode 21 0 R'),
        [20, '<< /Type /FontDescriptor /FontName /ABCDEF+Glyphs /Flags 4 /FontBBox [0 0 500 700] /ItalicAngle 0 /Ascent 700 /Descent 0 /CapHeight 700 /StemV 80 >>'],
        [
          21,
          {
            dict: '',
            data: '/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <20> <0020> <E9> <20B9> endbfchar 1 beginbfrange <61> <63> <0058> endbfrange endcmap end end',
          },
        ],
      ],
    ],
  ];
  for (const [label, content, objects] of cases) {
    const texts = await assertLeanReadsAsPdfjs(onePagePdf(content, '', '/Font << /F1 5 0 R /T3 6 0 R >>', objects), label);
    assert.ok(texts.length >= 3, `${label}: ${JSON.stringify(texts)}`);
  }
});

test('Type3 glyph boxes pdfjs would measure from the glyph paths are left to it', async () => {
  const pdf = onePagePdf(LINES(8, 1), '', '/Font << /F1 5 0 R /T3 6 0 R >>', type3Objects('0.01 0 0 0.01 0 0', '0 0 0 0', () => '50 0 d0 0 0 m 40 0 l 40 60 l f'));
  assert.throws(() => readPdfContentText(pdf), Unsupported);
  assert.equal((await readPdfText(pdf)).reader, 'pdfjs');
});

test('MacRomanEncoding, and an embedded symbolic TrueType font without an encoding (MacRoman, as pdfjs takes it)', async (t) => {
  const content = 'BT /R1 10 Tf 40 780 Td (Caf\\216 \\200 \\245 Balance) Tj ET BT /S1 10 Tf 40 760 Td (Caf\\216 \\200 Opening 1,000.00) Tj ET';
  const widths = `[${Array.from({ length: 224 }, (_, i) => 300 + (i % 9) * 40).join(' ')}]`;
  const macRoman: [number, Body] = [6, `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /MacRomanEncoding >>`];
  const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  if (!existsSync(font)) {
    await assertLeanReadsAsPdfjs(onePagePdf(content.split(' BT /S1')[0]!, '', '/Font << /R1 6 0 R >>', [macRoman]), 'MacRoman');
    return t.skip(`${font} is not installed`);
  }
  const texts = await assertLeanReadsAsPdfjs(
    onePagePdf(content, '', '/Font << /R1 6 0 R /S1 7 0 R >>', [
      macRoman,
      [7, `<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+DejaVuSans /FirstChar 32 /LastChar 255 /Widths ${widths} /FontDescriptor 8 0 R >>`],
      [8, '<< /Type /FontDescriptor /FontName /ABCDEF+DejaVuSans /Flags 4 /FontBBox [-1021 -463 1793 1232] /ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>'],
      [9, { dict: '', data: readFileSync(font) }],
    ]),
    'symbolic TrueType',
  );
  assert.ok(texts.includes('Café Ä • Balance'), JSON.stringify(texts));
});
