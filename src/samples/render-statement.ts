/**
 * Renders a sample statement to PDF with pdfkit (producers/pdfkit.ts): title and identity
 * block, the transaction table with its header repeated on every page, narrations (and long
 * header labels) wrapped inside their column, opening/total/closing lines where the bank prints
 * them, and a footer with page numbers. Optionally encrypted (AES-256 by default, or RC4 or
 * AES-128). The same statement through other PDF producers: producers/.
 */
import type { PdfkitOptions } from './producers/pdfkit.ts';
import type { SampleStatement } from './statement-pages.ts';

export type { SampleStatement };
export type RenderOptions = PdfkitOptions;

export async function renderStatementPdf(statement: SampleStatement, options: RenderOptions = {}): Promise<Buffer> {
  // Loaded on first use: pdfkit and its fonts cost every process that imports the app about
  // 0.2 s, and only the demo and the sample generator draw statements.
  const { pdfkitPdf } = await import('./producers/pdfkit.ts');
  return pdfkitPdf(statement, options);
}
