/**
 * The Ghostscript producer: the pdfkit statement re-distilled by Ghostscript's pdfwrite device
 * (Debian: ghostscript), which rewrites every content stream and re-embeds the fonts, as
 * "print to PDF" drivers and many archiving pipelines do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SampleStatement } from '../statement-pages.ts';
import { pdfkitPdf } from './pdfkit.ts';
import { runTool, withTempDir } from './run-tool.ts';

export async function ghostscriptPdf(statement: SampleStatement): Promise<Buffer> {
  const source = await pdfkitPdf(statement);
  return withTempDir('ghostscript', async (dir) => {
    const input = path.join(dir, 'in.pdf');
    const out = path.join(dir, 'out.pdf');
    await writeFile(input, source);
    await runTool('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-o', out, input], { install: 'ghostscript', timeoutMs: 60_000 });
    return readFile(out);
  });
}
