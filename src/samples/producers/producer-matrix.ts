/**
 * Every PDF producer the sample statements can be rendered through (issue 10's producer
 * matrix): the parser must give the same rows whichever one made the file. Used by
 * test/statements/producers.slow.test.ts and bench/producer-matrix.ts.
 */
import { readPdfText } from '../../pdf/read-pdf-text.ts';
import type { SampleStatement } from '../statement-pages.ts';
import { chromiumPdf } from './chromium.ts';
import { ghostscriptPdf } from './ghostscript.ts';
import { libreofficePdfs, type CellAlignment, type LibreofficeStatement } from './libreoffice.ts';
import { matplotlibPdfs } from './matplotlib.ts';
import { pdfkitPdf } from './pdfkit.ts';
import { QPDF_USER_PASSWORD, qpdfAes256Pdf, qpdfLinearizedPdf, qpdfObjectStreamsPdf, qpdfRc4Pdf } from './qpdf.ts';
import { reportlabPdfs } from './reportlab.ts';

export interface Producer {
  name: string;
  /** What the files it makes are like, for the docs' table. */
  makes: string;
  /** The statements' PDFs, in order (the Python producers and LibreOffice make them all in one run: they start slowly). */
  pdfs(statements: SampleStatement[]): Promise<Buffer[]>;
  /** The password the files open with, when they are encrypted. */
  password?: string;
}

const oneAtATime = (pdf: (statement: SampleStatement) => Promise<Buffer>) => async (statements: SampleStatement[]) => {
  const out: Buffer[] = [];
  for (const statement of statements) out.push(await pdf(statement));
  return out;
};

/** Chromium spends most of a print waiting, not computing: its runs overlap well. */
const allAtOnce = (pdf: (statement: SampleStatement) => Promise<Buffer>) => (statements: SampleStatement[]) => Promise.all(statements.map(pdf));

/** LibreOffice conversions asked for in the same turn of the event loop share one LibreOffice run: it starts slowly. */
let nextLibreofficeRun: { jobs: LibreofficeStatement[]; pdfs: Promise<Buffer[]> } | undefined;
const libreoffice = (cells: CellAlignment) => (statements: SampleStatement[]) => {
  if (!nextLibreofficeRun) {
    const run: { jobs: LibreofficeStatement[]; pdfs?: Promise<Buffer[]> } = { jobs: [] };
    run.pdfs = new Promise((resolve) => setImmediate(resolve)).then(() => {
      nextLibreofficeRun = undefined;
      return libreofficePdfs(run.jobs);
    });
    nextLibreofficeRun = { jobs: run.jobs, pdfs: run.pdfs };
  }
  const first = nextLibreofficeRun.jobs.length;
  nextLibreofficeRun.jobs.push(...statements.map((statement) => ({ statement, cells })));
  return nextLibreofficeRun.pdfs.then((pdfs) => pdfs.slice(first, first + statements.length));
};

export const PRODUCERS: Producer[] = [
  { name: 'pdfkit', makes: 'standard 14 Helvetica, Flate', pdfs: oneAtATime((s) => pdfkitPdf(s)) },
  { name: 'reportlab', makes: 'standard 14 Helvetica, ASCII85 + Flate', pdfs: reportlabPdfs },
  { name: 'matplotlib', makes: 'Type3 fonts (Nimbus Sans), one text object per run', pdfs: matplotlibPdfs },
  { name: 'chromium', makes: 'print-to-PDF of positioned HTML, CID TrueType subsets', pdfs: allAtOnce(chromiumPdf) },
  { name: 'libreoffice', makes: 'HTML table laid out by Writer, rows split across pages', pdfs: libreoffice('top') },
  { name: 'libreoffice-centred', makes: 'the same, cells centred in taller rows', pdfs: libreoffice('middle') },
  { name: 'ghostscript', makes: 'pdfkit file re-distilled by pdfwrite', pdfs: oneAtATime(ghostscriptPdf) },
  { name: 'qpdf-object-streams', makes: 'pdfkit file, object and xref streams', pdfs: oneAtATime(qpdfObjectStreamsPdf) },
  { name: 'qpdf-linearized', makes: 'pdfkit file, linearised', pdfs: oneAtATime(qpdfLinearizedPdf) },
  { name: 'qpdf-aes-256', makes: 'pdfkit file, AES-256 (R6) encrypted', pdfs: oneAtATime(qpdfAes256Pdf), password: QPDF_USER_PASSWORD },
  { name: 'qpdf-rc4-128', makes: 'pdfkit file, RC4 128-bit encrypted', pdfs: oneAtATime(qpdfRc4Pdf), password: QPDF_USER_PASSWORD },
];

/** Which text reader reads `pdf`: the lean reader, or pdfjs where the lean reader leaves the file to it. */
export async function readerOf(pdf: Uint8Array, password?: string): Promise<string> {
  return (await readPdfText(pdf, { password })).reader;
}
