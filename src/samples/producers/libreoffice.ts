/**
 * The LibreOffice producer, the one that lays the statement out itself: the statement as an
 * HTML document (title and identity paragraphs, then a <table> whose header row repeats on
 * every page), converted to PDF by LibreOffice Writer (Debian: libreoffice-writer-nogui).
 * Column positions, wrapping and page breaks are LibreOffice's, not the page model's, as in
 * statements exported from Word or Excel. LibreOffice starts slowly, so `libreofficePdfs`
 * converts several statements in one run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { statementTable, type SampleStatement } from '../statement-pages.ts';
import { escapeHtml } from './chromium.ts';
import { runTool, withTempDir } from './run-tool.ts';

/**
 * How cells sit in a row taller than one line (a wrapped narration): at the top, as banks print
 * them, or centred, as a table in Writer or Excel (whose default is the bottom) often leaves them.
 */
export type CellAlignment = 'top' | 'middle';

export interface LibreofficeStatement {
  statement: SampleStatement;
  cells?: CellAlignment;
  /** Space inside each cell, in pixels (default 4, about Word's cell margins); tight tables put a right-aligned amount a few points from the next column's text. */
  cellPadding?: number;
}

export function statementTableHtml(statement: SampleStatement, cellAlignment: CellAlignment = 'top', cellPadding = 4): string {
  const { layout, title, identity, rows } = statementTable(statement);
  // Widths in pixels (96 per inch), on the table and on every header cell: left to itself,
  // LibreOffice sizes the columns from their contents differently from one run to the next.
  const px = (points: number) => Math.round((points * 96) / 72);
  const tableWidth = px(layout.columns.reduce((sum, c) => sum + c.width + 4, 0));
  const head = layout.columns.map((c) => `<th width="${px(c.width + 4)}" align="${c.align}" valign="top">${escapeHtml(c.label)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = layout.columns.map((c) => {
        const text = row.cells[c.key] ?? '';
        // A summary line's amounts are right-aligned whatever the column, as the page model prints them.
        const align = row.kind === 'summary' && c.key !== 'narration' ? 'right' : c.align;
        return `<td align="${align}" valign="${cellAlignment}">${escapeHtml(text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Statement of Account</title><style>
@page { size: 21cm 29.7cm; margin: 1cm }
body { font-family: Arial, Helvetica, sans-serif; font-size: 7.5pt }
p { margin: 0 }
td, th { font-size: 7.5pt }
</style></head><body>
${title.map((line) => `<p style="font-size:12pt"><b>${escapeHtml(line)}</b></p>`).join('\n')}
<p>&nbsp;</p>
${identity.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p>&nbsp;</p>
<table width="${tableWidth}" cellspacing="0" cellpadding="${cellPadding}">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
<p>&nbsp;</p>
<p>${escapeHtml(layout.footer(1, 1))}</p>
</body></html>
`;
}

/** Each statement's PDF, from one LibreOffice run. */
export function libreofficePdfs(statements: LibreofficeStatement[]): Promise<Buffer[]> {
  return withTempDir('libreoffice', async (dir) => {
    const inputs = statements.map((_, i) => path.join(dir, `statement-${i}.html`));
    await Promise.all(statements.map((s, i) => writeFile(inputs[i]!, statementTableHtml(s.statement, s.cells, s.cellPadding))));
    await runTool(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        // Writer proper, not Writer/Web: a paged document whose table header repeats on every page.
        '--infilter=HTML (StarWriter)',
        '--convert-to',
        'pdf:writer_pdf_Export',
        '--outdir',
        path.join(dir, 'out'),
        ...inputs,
      ],
      { install: 'libreoffice-writer-nogui', timeoutMs: 30_000 + 15_000 * statements.length },
    );
    return Promise.all(inputs.map((input) => readFile(path.join(dir, 'out', `${path.basename(input, '.html')}.pdf`))));
  });
}

export async function libreofficePdf(statement: SampleStatement): Promise<Buffer> {
  const [pdf] = await libreofficePdfs([{ statement }]);
  return pdf!;
}

/** The same, with the cells of a taller row centred: the date and amounts sit beside the middle line of a wrapped narration. */
export async function libreofficeCentredPdf(statement: SampleStatement): Promise<Buffer> {
  const [pdf] = await libreofficePdfs([{ statement, cells: 'middle' }]);
  return pdf!;
}
