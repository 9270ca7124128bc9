/**
 * The qpdf producers: the pdfkit statement rewritten by qpdf (Debian: qpdf) with object streams
 * (a compressed cross-reference stream), linearised ("fast web view"), or encrypted with AES-256
 * or RC4 128-bit. The encrypted ones open with `QPDF_USER_PASSWORD`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SampleStatement } from '../statement-pages.ts';
import { pdfkitPdf } from './pdfkit.ts';
import { runTool, withTempDir } from './run-tool.ts';

export const QPDF_USER_PASSWORD = 'user';
const OWNER_PASSWORD = 'owner';

async function qpdfRewrite(statement: SampleStatement, options: string[]): Promise<Buffer> {
  const source = await pdfkitPdf(statement);
  return withTempDir('qpdf', async (dir) => {
    const input = path.join(dir, 'in.pdf');
    const out = path.join(dir, 'out.pdf');
    await writeFile(input, source);
    // The same statement gives the same bytes, except encrypted (qpdf then needs a random file id).
    const id = options.includes('--encrypt') ? [] : ['--deterministic-id'];
    await runTool('qpdf', [...id, ...options, input, out], { install: 'qpdf', timeoutMs: 60_000 }).catch((error: unknown) => {
      // Exit 3 is qpdf's "succeeded with warnings".
      if (!(error instanceof Error && error.message.includes('exited with 3'))) throw error;
    });
    return readFile(out);
  });
}

export function qpdfObjectStreamsPdf(statement: SampleStatement): Promise<Buffer> {
  return qpdfRewrite(statement, ['--object-streams=generate']);
}

export function qpdfLinearizedPdf(statement: SampleStatement): Promise<Buffer> {
  return qpdfRewrite(statement, ['--linearize']);
}

export function qpdfAes256Pdf(statement: SampleStatement): Promise<Buffer> {
  return qpdfRewrite(statement, ['--encrypt', QPDF_USER_PASSWORD, OWNER_PASSWORD, '256', '--']);
}

export function qpdfRc4Pdf(statement: SampleStatement): Promise<Buffer> {
  // qpdf 11 writes RC4 only when told to: banks' older generators still do.
  return qpdfRewrite(statement, ['--allow-weak-crypto', '--encrypt', QPDF_USER_PASSWORD, OWNER_PASSWORD, '128', '--use-aes=n', '--']);
}
