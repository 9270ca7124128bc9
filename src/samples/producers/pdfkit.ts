/**
 * The pdfkit producer: draws the statement's page model (statement-pages.ts) with pdfkit's
 * built-in Helvetica, optionally encrypted (AES-256 by default, or RC4 or AES-128). This is
 * the generator's own producer, the one the other producers' rewrites start from.
 */
import PDFDocument from 'pdfkit';
import { layOutStatement, type SampleStatement } from '../statement-pages.ts';

export interface PdfkitOptions {
  password?: string;
  /** The owner password (default `${password}-owner`). With it and no `password`, the file opens without a password. */
  ownerPassword?: string;
  /** The encryption: PDF 1.3 is RC4 40-bit, 1.4 RC4 128-bit, 1.7 AES-128, 1.7ext3 AES-256 (the default). */
  pdfVersion?: '1.3' | '1.4' | '1.7' | '1.7ext3';
}

export function pdfkitPdf(statement: SampleStatement, options: PdfkitOptions = {}): Promise<Buffer> {
  const model = layOutStatement(statement);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 30,
    bufferPages: true,
    info: { Title: 'Statement of Account', Producer: 'Passbook sample generator', CreationDate: new Date(Date.UTC(2026, 0, 1)) },
    ...(options.password || options.ownerPassword
      ? { userPassword: options.password, ownerPassword: options.ownerPassword ?? `${options.password}-owner`, pdfVersion: options.pdfVersion ?? ('1.7ext3' as const) }
      : {}),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  model.pages.forEach((runs, i) => {
    if (i > 0) doc.addPage();
    for (const run of runs) {
      doc.font(run.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(run.fontSize);
      doc.text(run.text, run.x, run.y, run.width === null ? { lineBreak: false } : { width: run.width, align: run.align, lineBreak: false });
    }
  });
  doc.end();
  return done;
}
