/**
 * The Chromium producer: the page model as HTML, one A4 box per page with each text run an
 * absolutely positioned span, printed to PDF by headless Chromium (Debian: chromium). The fonts
 * are TrueType ones (Liberation Sans, or DejaVu Sans, which runs wider than Helvetica), which
 * Chromium embeds as CID TrueType subsets, as in statements that banks' web portals print. (An
 * OpenType/CFF font such as Nimbus Sans would be embedded as Type3, which matplotlib covers.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { layOutStatement, type SampleStatement, type TextRun } from '../statement-pages.ts';
import { runTool, withTempDir } from './run-tool.ts';

const CHROMIUM = '/usr/bin/chromium';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function span(run: TextRun): string {
  // CSS positions the top of a line, not its baseline: with line-height 1 the text sits where pdfkit's `y` puts it, within a point.
  const box = run.width === null ? '' : `width:${run.width}pt;text-align:${run.align};`;
  return `<span style="left:${run.x}pt;top:${run.y}pt;font-size:${run.fontSize}pt;${run.bold ? 'font-weight:bold;' : ''}${box}">${escapeHtml(run.text)}</span>`;
}

export function statementHtml(statement: SampleStatement): string {
  const model = layOutStatement(statement);
  const pages = model.pages.map((runs) => `<div class="page">${runs.map(span).join('')}</div>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Statement of Account</title><style>
@page { size: A4; margin: 0 }
html, body { margin: 0; padding: 0 }
.page { position: relative; width: ${model.width}pt; height: ${model.height}pt; overflow: hidden; break-after: page }
.page:last-child { break-after: auto }
span { position: absolute; display: block; white-space: pre; line-height: 1; font-family: Helvetica, Arial, 'Liberation Sans', sans-serif }
</style></head><body>
${pages}
</body></html>
`;
}

/**
 * Headless Chromium's arguments to print `html` (a file) to `out`: a fresh profile, no sandbox
 * (as root), nothing that reaches for the network (it is closed here), no header or footer.
 */
export function chromiumPrintArgs(profileDir: string, out: string, html: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profileDir}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${out}`,
    `file://${html}`,
  ];
}

export function chromiumPdf(statement: SampleStatement): Promise<Buffer> {
  return withTempDir('chromium', async (dir) => {
    const html = path.join(dir, 'statement.html');
    const out = path.join(dir, 'statement.pdf');
    await writeFile(html, statementHtml(statement));
    await runTool(
      CHROMIUM,
      chromiumPrintArgs(path.join(dir, 'profile'), out, html),
      { install: 'chromium', timeoutMs: 90_000 },
    );
    return readFile(out);
  });
}
