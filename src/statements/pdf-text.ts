/**
 * PDF → positioned text, through pdfjs (bundled by unpdf, no canvas needed). Coordinates are
 * PDF points from the page's top-left corner. Failures become the BankConnect upload codes.
 */
import { getDocumentProxy } from 'unpdf';
import { AppError } from '../errors/codes.ts';

export interface TextItem {
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of the glyph box, from the top of the page. */
  top: number;
  bottom: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: TextItem[];
}

export interface PdfText {
  pageCount: number;
  pages: PdfPage[];
}

const PDFJS_NEED_PASSWORD = 1;

/** Reads every page's text. `bytes` is copied: pdfjs detaches the buffer it is given. */
export async function readPdfText(bytes: Uint8Array, password?: string): Promise<PdfText> {
  if (bytes.length === 0) throw new AppError('EMPTY_FILE');
  if (!isPdf(bytes)) throw new AppError('INVALID_FILE_OBJECT');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, ...(password ? { password } : {}) });
  } catch (error) {
    const e = error as { name?: string; code?: number };
    if (e.name === 'PasswordException') {
      throw new AppError('PASSWORD_INCORRECT', e.code === PDFJS_NEED_PASSWORD ? 'The statement is password protected; provide pdf_password' : undefined);
    }
    throw new AppError('INVALID_FILE_OBJECT');
  }
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: TextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const x = item.transform[4] as number;
        const baseline = height - (item.transform[5] as number);
        const size = Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height;
        items.push({ text: item.str, x0: x, x1: x + item.width, top: baseline - size * 0.8, bottom: baseline + size * 0.2 });
      }
      pages.push({ number: n, width, height, items });
      page.cleanup();
    }
    return { pageCount: pdf.numPages, pages };
  } catch {
    throw new AppError('INVALID_FILE_OBJECT');
  } finally {
    await pdf.destroy();
  }
}

function isPdf(bytes: Uint8Array): boolean {
  // The header may follow a little junk; readers accept it within the first 1 KB.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}
