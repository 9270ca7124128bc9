/** The page-drawing reader of the fraud checks: runs and filled boxes where they are drawn, and bounded work on hostile pages. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDocumentMarks } from '../../src/fraud/page-marks.ts';
import { PdfFile } from '../../src/pdf/objects.ts';

/** A PDF of the given objects (object i + 1 is `objects[i]`), object 1 its catalog. */
function buildPdf(objects: string[]): Buffer {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const stream = (data: string, dict = '') => `<< ${dict} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;

/** One 600 × 800 page drawing `content`, with Helvetica as /F1 and `forms` as /X0, /X1, … (objects 6 on). */
function onePage(content: string, forms: string[] = []): PdfFile {
  const xobjects = forms.map((_, i) => `/X${i} ${i + 6} 0 R`).join(' ');
  return new PdfFile(
    buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << ${xobjects} >> >> >>`,
      stream(content),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ...forms.map((f) => stream(f, `/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 5 0 R >> /XObject << ${xobjects} >> >>`)),
    ]),
  );
}

test('text runs with their font, size and box, and filled boxes with their colour, in drawing order', () => {
  const marks = readDocumentMarks(onePage('BT /F1 10 Tf 100 700 Td (Hello) Tj ET 1 1 1 rg 90 695 60 20 re f q 2 0 0 2 0 0 cm 0.5 g BT /F1 5 Tf 10 10 Td (x) Tj ET Q'));
  assert.equal(marks.complete, true);
  const [page] = marks.pages;
  // Helvetica: H 722, e 556, l 222, l 222, o 556 thousandths of the size.
  assert.deepEqual(page!.runs[0], { seq: 0, text: 'Hello', font: 'Helvetica', size: 10, box: [100, 92, 122.78, 102], visible: true });
  assert.deepEqual(page!.fills, [{ seq: 1, box: [90, 85, 150, 105], colour: [1, 1, 1], white: true }]);
  // Boxes in one path each count; a path with a curve, or of more than four sides, is no box.
  const boxes = readDocumentMarks(onePage('1 0 0 rg 10 10 20 20 re 50 50 10 10 re f 0 g 0 0 m 10 0 l 10 10 l 0 10 l h f 0 0 m 10 0 l 10 10 c 0 10 l f 0 0 m 5 0 l 10 0 l 10 10 l 0 10 l 0 5 l f'));
  assert.deepEqual(
    boxes.pages[0]!.fills.map((f) => [f.box, f.colour]),
    [
      [[10, 770, 30, 790], [1, 0, 0]],
      [[50, 740, 60, 750], [1, 0, 0]],
      [[0, 790, 10, 800], [0]],
    ],
  );
  // Scaled by the CTM: drawn at 10 pt.
  assert.equal(page!.runs[1]!.size, 10);
  assert.deepEqual(page!.runs[1]!.box, [20, 772, 25, 782]);
});

test('forms that draw themselves, or each other without end, stop', () => {
  const self = readDocumentMarks(onePage('/X0 Do', ['/X0 Do BT /F1 10 Tf (x) Tj ET']));
  assert.equal(self.pages[0]!.runs.length, 1);
  // Each form draws the next one 60 times, eight deep: 60^8 draws, stopped by the work budget.
  const forms = Array.from({ length: 9 }, (_, i) => (i < 8 ? `/X${i + 1} Do `.repeat(60) : 'BT /F1 10 Tf (x) Tj ET'));
  const start = performance.now();
  const bomb = readDocumentMarks(onePage('/X0 Do', forms));
  assert.equal(bomb.complete, false);
  assert.ok(performance.now() - start < 3000, `${performance.now() - start} ms`);
});

test('a page over the operator budget is cut short; malformed content keeps what was read', () => {
  const start = performance.now();
  const long = readDocumentMarks(onePage('q Q '.repeat(600_000)));
  assert.equal(long.complete, false);
  assert.ok(performance.now() - start < 3000);
  const broken = readDocumentMarks(onePage('BT /F1 10 Tf 10 10 Td (kept) Tj ET ] >> (unclosed'));
  assert.equal(broken.pages[0]!.complete, false);
  assert.deepEqual(
    broken.pages[0]!.runs.map((r) => r.text),
    ['kept'],
  );
});

test('an inline image is stepped over', () => {
  const marks = readDocumentMarks(onePage('BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI BT /F1 10 Tf 10 10 Td (after) Tj ET'));
  assert.deepEqual(
    marks.pages[0]!.runs.map((r) => r.text),
    ['after'],
  );
});
