/**
 * The lean reader on files real producers make: reportlab (ASCII85 + Flate, standard and
 * embedded TrueType fonts), matplotlib (Type3 fonts, and Type 42), headless Chromium (Skia),
 * LibreOffice (Calc and Writer), Ghostscript's pdfwrite re-distilling other producers' files
 * (symbolic TrueType subsets, Type3), and qpdf rewrites (object streams, linearisation, AES-256
 * and RC4 encryption). Each file must be read by the lean reader itself (no pdfjs fallback)
 * and give exactly pdfjs's items. The tests make their own files, and skip a producer that is
 * not installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { readPdfContentText } from '../../src/pdf/content-text.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { chromiumPrintArgs } from '../../src/samples/producers/chromium.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { statement } from '../statements/statement-fixtures.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'passbook-producers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PYTHON = '/usr/bin/python3';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** The rows every producer prints: a seeded statement's, with a rupee sign and accents in some narrations. */
const ROWS = statement('hdfc', { count: 70 }).transactions.map((t, i) => ({
  date: t.date.split('-').reverse().join('/'),
  narration: i % 7 === 3 ? `${t.narration} café ₹` : t.narration,
  withdrawal: t.type === 'debit' ? (t.amountPaise / 100).toFixed(2) : '',
  deposit: t.type === 'credit' ? (t.amountPaise / 100).toFixed(2) : '',
  balance: (t.balancePaise / 100).toFixed(2),
}));
const rowsFile = path.join(dir, 'rows.json');
writeFileSync(rowsFile, JSON.stringify(ROWS));

function runs(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

function run(command: string, args: string[], timeout = 120_000): void {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
}

function python(t: TestContext, modules: string): boolean {
  if (runs(PYTHON, ['-c', `import ${modules}`])) return true;
  t.skip(`${PYTHON} with ${modules} is not installed`);
  return false;
}

/** What each producer's file was read by, for the report at the end. */
const matrix: string[] = [];
after(() => console.log(`lean reader by producer:\n${matrix.join('\n')}`));

async function assertLeanReadsAsPdfjs(file: string, label: string, password?: string): Promise<void> {
  const pdf = readFileSync(file);
  let lean;
  try {
    lean = readPdfContentText(pdf, { password });
  } catch (error) {
    matrix.push(`  ${label}: pdfjs (${(error as Error).message})`);
    throw error;
  }
  const pdfjs = await readPdfText(pdf, { reader: 'pdfjs', password });
  assert.ok(pdfjs.pages.flatMap((p) => p.items).length > 50, `${label}: text read`);
  assert.equal(lean.pageCount, pdfjs.pageCount, `${label}: page count`);
  for (const [i, page] of pdfjs.pages.entries()) assert.deepEqual(lean.pages[i], page, `${label}: page ${i + 1}`);
  assert.equal((await readPdfText(pdf, { password })).reader, 'lean', label);
  matrix.push(`  ${label}: lean`);
}

const REPORTLAB = `
import json, sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
rows, out, font = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
if font != 'Helvetica':
    pdfmetrics.registerFont(TTFont('Embedded', font))
    font = 'Embedded'
c = canvas.Canvas(out, pagesize=A4)
for start in range(0, len(rows), 40):
    c.setFont(font, 8)
    y = 800
    c.drawString(40, y, 'Date')
    c.drawString(95, y, 'Narration')
    for x, label in ((410, 'Withdrawal'), (470, 'Deposit'), (540, 'Balance')):
        c.drawRightString(x, y, label)
    for row in rows[start:start + 40]:
        y -= 18
        c.drawString(40, y, row['date'])
        c.drawString(95, y, row['narration'][:48] if font == 'Embedded' else row['narration'][:48].encode('latin-1', 'replace').decode('latin-1'))
        c.drawRightString(410, y, row['withdrawal'])
        c.drawRightString(470, y, row['deposit'])
        c.drawRightString(540, y, row['balance'])
    c.showPage()
c.save()
`;

const MATPLOTLIB = `
import json, sys
import matplotlib
matplotlib.use('pdf')
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
rows, out = json.load(open(sys.argv[1])), sys.argv[2]
matplotlib.rcParams['pdf.fonttype'] = int(sys.argv[3])
with PdfPages(out) as pdf:
    for start in range(0, len(rows), 40):
        fig = plt.figure(figsize=(8.27, 11.69))
        y = 0.95
        for x, label, align in ((0.05, 'Date', 'left'), (0.16, 'Narration', 'left'), (0.72, 'Withdrawal', 'right'), (0.82, 'Deposit', 'right'), (0.95, 'Balance', 'right')):
            fig.text(x, y, label, fontsize=8, ha=align)
        for row in rows[start:start + 40]:
            y -= 0.022
            fig.text(0.05, y, row['date'], fontsize=7)
            fig.text(0.16, y, row['narration'][:48].replace('$', ''), fontsize=7)
            fig.text(0.72, y, row['withdrawal'], fontsize=7, ha='right')
            fig.text(0.82, y, row['deposit'], fontsize=7, ha='right')
            fig.text(0.95, y, row['balance'], fontsize=7, ha='right')
        pdf.savefig(fig)
        plt.close(fig)
`;

function statementHtml(): string {
  const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const rows = ROWS.map((r) => `<tr><td>${r.date}</td><td>${escape(r.narration)}</td><td>${r.withdrawal}</td><td>${r.deposit}</td><td>${r.balance}</td></tr>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Statement</title>
<style>body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt } td, th { padding: 2px 6px } td:nth-child(n+3) { text-align: right }</style></head>
<body><p>Statement of Account</p><table><tr><th>Date</th><th>Narration</th><th>Withdrawal</th><th>Deposit</th><th>Balance</th></tr>
${rows}</table></body></html>`;
}

test('reportlab: ASCII85 + Flate content, a standard font and an embedded TrueType subset', async (t) => {
  if (!python(t, 'reportlab')) return;
  const script = path.join(dir, 'make_reportlab_pdf.py');
  writeFileSync(script, REPORTLAB);
  for (const [label, font] of [
    ['reportlab, Helvetica', 'Helvetica'],
    ['reportlab, embedded DejaVu Sans', DEJAVU],
  ] as const) {
    const out = path.join(dir, `${label.replace(/\W+/g, '-')}.pdf`);
    run(PYTHON, [script, rowsFile, out, font]);
    await assertLeanReadsAsPdfjs(out, label);
  }
});

test('matplotlib: Type3 fonts (its default) and Type 42', async (t) => {
  if (!python(t, 'matplotlib')) return;
  const script = path.join(dir, 'make_matplotlib_pdf.py');
  writeFileSync(script, MATPLOTLIB);
  for (const fontType of ['3', '42']) {
    const out = path.join(dir, `matplotlib-${fontType}.pdf`);
    run(PYTHON, [script, rowsFile, out, fontType]);
    await assertLeanReadsAsPdfjs(out, `matplotlib, fonttype ${fontType}`);
  }
});

test('headless Chromium: print to PDF', async (t) => {
  if (!runs('chromium', ['--version'])) return t.skip('chromium is not installed');
  const html = path.join(dir, 'statement.html');
  writeFileSync(html, statementHtml());
  const out = path.join(dir, 'chromium.pdf');
  run('chromium', chromiumPrintArgs(path.join(dir, 'chromium-profile'), out, html));
  await assertLeanReadsAsPdfjs(out, 'Chromium print to PDF');
});

test('LibreOffice: a spreadsheet (Calc) and an HTML page (Writer) converted to PDF', async (t) => {
  if (!runs('soffice', ['--version'])) return t.skip('soffice is not installed');
  const csv = path.join(dir, 'calc.csv');
  writeFileSync(csv, `Date,Narration,Withdrawal,Deposit,Balance\n${ROWS.map((r) => [r.date, `"${r.narration}"`, r.withdrawal, r.deposit, r.balance].join(',')).join('\n')}\n`);
  const html = path.join(dir, 'writer.html');
  writeFileSync(html, statementHtml());
  const outDir = path.join(dir, 'libreoffice');
  run('soffice', ['--headless', `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', outDir, csv, html], 240_000);
  await assertLeanReadsAsPdfjs(path.join(outDir, 'calc.pdf'), 'LibreOffice Calc');
  await assertLeanReadsAsPdfjs(path.join(outDir, 'writer.pdf'), 'LibreOffice Writer');
});

test("Ghostscript pdfwrite re-distilling pdfkit's, reportlab's and matplotlib's files", async (t) => {
  if (!runs('gs', ['--version'])) return t.skip('gs is not installed');
  const sources: [string, string][] = [];
  const pdfkit = path.join(dir, 'pdfkit.pdf');
  writeFileSync(pdfkit, await renderStatementPdf(statement('sbi', { count: 80 })));
  sources.push(['pdfkit', pdfkit]);
  if (runs(PYTHON, ['-c', 'import reportlab'])) {
    const script = path.join(dir, 'make_reportlab_pdf_gs.py');
    writeFileSync(script, REPORTLAB);
    const out = path.join(dir, 'reportlab-for-gs.pdf');
    run(PYTHON, [script, rowsFile, out, DEJAVU]);
    sources.push(['reportlab, embedded DejaVu Sans', out]);
  }
  if (runs(PYTHON, ['-c', 'import matplotlib'])) {
    const script = path.join(dir, 'make_matplotlib_pdf_gs.py');
    writeFileSync(script, MATPLOTLIB);
    const out = path.join(dir, 'matplotlib-for-gs.pdf');
    run(PYTHON, [script, rowsFile, out, '3']);
    sources.push(['matplotlib Type3', out]);
  }
  for (const [label, source] of sources) {
    const out = path.join(dir, `gs-${label.replace(/\W+/g, '-')}.pdf`);
    run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-o', out, source]);
    await assertLeanReadsAsPdfjs(out, `Ghostscript pdfwrite of ${label}`);
  }
});

test('qpdf rewrites: object streams, linearisation, AES-256, AES-128 and RC4-128 encryption', async (t) => {
  if (!runs('qpdf', ['--version'])) return t.skip('qpdf is not installed');
  const source = path.join(dir, 'qpdf-source.pdf');
  writeFileSync(source, await renderStatementPdf(statement('icici', { count: 80 })));
  const cases: [string, string[], string | undefined][] = [
    ['object streams', ['--object-streams=generate'], undefined],
    ['linearised', ['--linearize'], undefined],
    ['linearised, object streams', ['--linearize', '--object-streams=generate'], undefined],
    ['AES-256', ['--encrypt', 'user1', 'owner1', '256', '--'], 'user1'],
    ['AES-128, object streams', ['--object-streams=generate', '--encrypt', 'user1', 'owner1', '128', '--use-aes=y', '--'], 'owner1'],
    ['RC4-128', ['--allow-weak-crypto', '--encrypt', 'user1', 'owner1', '128', '--use-aes=n', '--'], 'user1'],
  ];
  for (const [label, args, password] of cases) {
    const out = path.join(dir, `qpdf-${label.replace(/\W+/g, '-')}.pdf`);
    run('qpdf', [...args, source, out]);
    await assertLeanReadsAsPdfjs(out, `qpdf, ${label}`, password);
  }
});

test('cairo (poppler’s pdftocairo) re-rendering pdfkit’s and matplotlib’s files, and groff through ps2pdf', async (t) => {
  if (runs('pdftocairo', ['-v'])) {
    const pdfkit = path.join(dir, 'cairo-source.pdf');
    writeFileSync(pdfkit, await renderStatementPdf(statement('axis', { count: 80 })));
    const sources: [string, string][] = [['pdfkit', pdfkit]];
    if (runs(PYTHON, ['-c', 'import matplotlib'])) {
      const script = path.join(dir, 'make_matplotlib_pdf_cairo.py');
      writeFileSync(script, MATPLOTLIB);
      const out = path.join(dir, 'matplotlib-for-cairo.pdf');
      run(PYTHON, [script, rowsFile, out, '3']);
      sources.push(['matplotlib Type3', out]);
    }
    for (const [label, source] of sources) {
      const out = path.join(dir, `cairo-${label.replace(/\W+/g, '-')}.pdf`);
      run('pdftocairo', ['-pdf', source, out]);
      await assertLeanReadsAsPdfjs(out, `pdftocairo of ${label}`);
    }
  } else {
    t.diagnostic('pdftocairo is not installed');
  }
  if (!runs('groff', ['-v']) || !runs('sh', ['-c', 'command -v ps2pdf'])) return t.skip('groff or ps2pdf is not installed');
  const table = `.TS\ntab(|);\nl l r r r.\nDate|Narration|Withdrawal|Deposit|Balance\n${ROWS.map((r) => [r.date, r.narration.replace(/[^\x20-\x7e]/g, ''), r.withdrawal, r.deposit, r.balance].join('|')).join('\n')}\n.TE\n`;
  const source = path.join(dir, 'statement.tr');
  writeFileSync(source, table);
  const postscript = spawnSync('groff', ['-t', '-Tps', source], { encoding: 'latin1', timeout: 60_000 });
  assert.equal(postscript.status, 0, postscript.stderr);
  const ps = path.join(dir, 'statement.ps');
  writeFileSync(ps, postscript.stdout, 'latin1');
  const out = path.join(dir, 'groff.pdf');
  run('ps2pdf', [ps, out]);
  await assertLeanReadsAsPdfjs(out, 'groff PostScript through ps2pdf');
});
