/**
 * The lean reader on several threads (lean-threads.ts) gives exactly the items one thread
 * gives, and a page a helper does not send (here: one it cannot read) is read by the lead,
 * which then meets the same refusal as one thread would.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runTool } from '../../src/samples/producers/run-tool.ts';
import { readPdfContentText, Unsupported } from '../../src/pdf/content-text.ts';
import { LEAN_THREADS_MIN_PAGES, readLeanOnThreads } from '../../src/pdf/lean-threads.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { buildPdf, type Body } from './hand-built-pdf.ts';

/** `count` pages, each with rows of text at varied positions and sizes; `content(n)` may replace page n's stream. */
function manyPages(count: number, content: (n: number) => string | undefined = () => undefined): Buffer {
  const kids = Array.from({ length: count }, (_, i) => `${10 + 2 * i} 0 R`).join(' ');
  const objects = new Map<number, Body>([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`],
    [3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
    [4, '<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold >>'],
  ]);
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    let rows = '';
    for (let r = 0; r < 30; r++) {
      const font = r % 3 === 0 ? 'F2' : 'F1';
      rows += `BT /${font} ${9 + (r % 4)} Tf ${40 + ((n * r) % 17)} ${760 - 24 * r} Td (Page ${n} row ${r}) Tj 120 0 Td [(${(n * 977 + r * 31) % 100000}.) -250 (${r}0) 40 (Dr)] TJ ET\n`;
    }
    objects.set(10 + 2 * i, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${11 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>`);
    objects.set(11 + 2 * i, { dict: '', data: content(n) ?? rows });
  }
  return buildPdf(objects);
}

test('pages read on several threads are the pages one thread reads, in order', async () => {
  const pdf = manyPages(LEAN_THREADS_MIN_PAGES + 40);
  const one = readPdfContentText(pdf);
  assert.equal(one.pageCount, LEAN_THREADS_MIN_PAGES + 40);
  // Every page from the helpers (the lead only collects): what they send is what one thread reads.
  const helperPages: number[] = [];
  assert.deepEqual(await readLeanOnThreads(pdf, {}, 2, { leadReads: false, helperPages }), one);
  assert.deepEqual(
    helperPages.sort((a, b) => a - b),
    one.pages.map((p) => p.number),
  );
  // Lead and helpers together, and through the reader's entry point as the CLI asks for it.
  assert.deepEqual(await readLeanOnThreads(pdf, {}, 1), one);
  assert.deepEqual(await readPdfText(pdf, { leanHelpers: 1 }), one);
});

test('a small document is read on the calling thread alone, with the same result', async () => {
  const pdf = manyPages(3);
  const helperPages: number[] = [];
  assert.deepEqual(await readLeanOnThreads(pdf, {}, 2, { helperPages }), readPdfContentText(pdf));
  assert.deepEqual(helperPages, []);
});

test('a page that the helpers cannot read is read by the lead, which leaves the document to pdfjs as one thread does', async () => {
  // Inline images are left to pdfjs.
  const unreadable = 'BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI BT /F1 10 Tf 10 10 Td (text) Tj ET';
  const bad = LEAN_THREADS_MIN_PAGES + 10;
  const pdf = manyPages(LEAN_THREADS_MIN_PAGES + 20, (n) => (n === bad ? unreadable : undefined));
  assert.throws(() => readPdfContentText(pdf), Unsupported);
  const helperPages: number[] = [];
  await assert.rejects(readLeanOnThreads(pdf, {}, 2, { leadReads: false, helperPages }), Unsupported);
  assert.ok(!helperPages.includes(bad));
  const threaded = await readPdfText(pdf, { leanHelpers: 2 });
  assert.equal(threaded.reader, 'pdfjs');
  assert.deepEqual(threaded, await readPdfText(pdf));
});

test('an encrypted statement opens on the helpers with the password the lead was given', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-threads-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), manyPages(LEAN_THREADS_MIN_PAGES + 2));
    await runTool('qpdf', ['--encrypt', 'user', 'owner', '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')], { install: 'qpdf', timeoutMs: 60_000 });
    const pdf = readFileSync(path.join(dir, 'out.pdf'));
    const one = readPdfContentText(pdf, { password: 'user' });
    const helperPages: number[] = [];
    assert.deepEqual(await readLeanOnThreads(pdf, { password: 'user' }, 1, { leadReads: false, helperPages }), one);
    assert.equal(helperPages.length, one.pageCount);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
