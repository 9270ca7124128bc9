/**
 * PDF → positioned text. Coordinates are PDF points from the page's top-left corner. Failures
 * are `PdfError`s.
 *
 * Two readers give the same items. The lean reader (pdf-content-text.ts) interprets the content
 * streams itself and is several times faster; it reads most text-layer PDFs, encrypted ones
 * too when the password opens them. Whenever it meets something it does not handle exactly as
 * pdfjs does (a missing or wrong password, unusual fonts or filters, malformed files), the
 * document is read by pdfjs instead (bundled by unpdf, no canvas needed), and every error code
 * comes from there, as before.
 *
 * pdfjs reads a page's text about three times slower than poppler, on one thread, so a large
 * statement it reads can be read by several threads at once: each opens the document and claims
 * pages one at a time from a shared counter (`PageShare`). The thread that leads the statement
 * reads pages too, collects the helpers' pages, and reads any page a helper claimed but never
 * sent, so the result is always what reading every page itself would give. A statement the lean
 * reader reads needs no help: helpers are wanted only once the lead has turned to pdfjs.
 */
import type { getDocumentProxy } from 'unpdf';
import { PdfError } from './pdf-error.ts';
import type { PdfPage, PdfText, TextItem } from './text-items.ts';
import { readPdfContentText, Unsupported } from './content-text.ts';
import { claimPage, closeClaims, markReadingWithPdfjs, pagesLeft, setPageCount } from './page-claims.ts';
import { checkPdfjsBudget } from './pdfjs-budget.ts';

export type { PdfPage, PdfText, TextItem };

/**
 * A statement's pages, shared between the thread that leads it and helper threads. `claims`
 * is an Int32Array over a SharedArrayBuffer (see `newClaims`).
 */
export interface PageShare {
  claims: Int32Array;
  /** Whether a helper may still send pages: one is reading, or was lent and has not been heard from. */
  pending(): boolean;
  /** Calls `onEvent` with each page a helper sends, and with nothing when a helper joins or finishes. */
  listen(onEvent: (page?: PdfPage) => void): void;
  /** Told when the lead turns to pdfjs (before opening the statement): from now on, helpers are useful. */
  readingWithPdfjs?(): void;
}

export interface ReadOptions {
  password?: string;
  /** Refuse files with more pages than this (STATEMENT_TOO_MANY_PAGES), before reading any page. */
  maxPages?: number;
  /** Helper threads reading pages of the same statement (when pdfjs reads it). */
  share?: PageShare;
  /** `auto` (the default) tries the lean reader first; `pdfjs` reads with pdfjs only (for tests and comparisons). */
  reader?: 'auto' | 'pdfjs';
  /**
   * Called after each page is read, synchronously. A worker checks its memory here: its timer
   * runs only when the thread yields, and the lean reader never does.
   */
  afterPage?: () => void;
}

/** Loads pdfjs now (it is imported on first use), so that a thread's first statement does not wait for it. */
export async function preloadPdfjs(): Promise<void> {
  await (await loadUnpdf()).getResolvedPDFJS();
}

/** unpdf (pdfjs) is loaded on first use: most statements never need it, and loading it takes longer than reading them. */
let unpdf: Promise<typeof import('unpdf')> | undefined;
function loadUnpdf(): Promise<typeof import('unpdf')> {
  unpdf ??= import('unpdf');
  return unpdf;
}

const PDFJS_NEED_PASSWORD = 1;

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

function checkHeader(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new PdfError('PDF_EMPTY', 'The file is empty');
  if (!isPdf(bytes)) throw new PdfError('PDF_NOT_A_PDF', 'The file is not a PDF');
}

async function openPdf(bytes: Uint8Array, password: string | undefined): Promise<PdfDocument> {
  checkHeader(bytes);
  try {
    // A copy: pdfjs detaches the buffer it is given.
    return await (await loadUnpdf()).getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, ...(password ? { password } : {}) });
  } catch (error) {
    const e = error as { name?: string; code?: number };
    if (e.name === 'PasswordException') {
      throw e.code === PDFJS_NEED_PASSWORD
        ? new PdfError('PDF_PASSWORD_REQUIRED', 'The PDF is password protected')
        : new PdfError('PDF_PASSWORD_INCORRECT', 'The password does not open the PDF');
    }
    throw new PdfError('PDF_UNREADABLE', 'The PDF cannot be read');
  }
}

async function readPage(pdf: PdfDocument, n: number): Promise<PdfPage> {
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
  page.cleanup();
  return { number: n, width, height, items };
}

/** The lean reader's text, or null where pdfjs must read the document. */
function readLean(bytes: Uint8Array, maxPages: number | undefined, password: string | undefined, afterPage: (() => void) | undefined): PdfText | null {
  try {
    return readPdfContentText(bytes, { maxPages, password, afterPage });
  } catch (error) {
    // A file over its decode budget is refused here: pdfjs would decode it without limit.
    if (error instanceof PdfError && error.code === 'PDF_OVER_BUDGET') throw error;
    // `Unsupported`, or a bug in the lean reader: neither may fail a statement that pdfjs can read.
    void (error instanceof Unsupported);
    return null;
  }
}

/** Reads every page's text. With `share`, helper threads read some of the pages when pdfjs reads them. */
export async function readPdfText(bytes: Uint8Array, options: ReadOptions = {}): Promise<PdfText> {
  const { share } = options;
  try {
    checkHeader(bytes);
    if (options.reader !== 'pdfjs') {
      const lean = readLean(bytes, options.maxPages, options.password, options.afterPage);
      if (lean) return lean;
    }
    // pdfjs decodes without limit: what it could be made to decode is measured first (before any
    // helper is lent, so that a refused file costs one thread only).
    checkPdfjsBudget(bytes, { password: options.password, maxPages: options.maxPages });
    if (share) {
      // Helpers may open the statement alongside this thread from now on.
      markReadingWithPdfjs(share.claims);
      share.readingWithPdfjs?.();
    }
    const pdf = await openPdf(bytes, options.password);
    try {
      const pageCount = pdf.numPages;
      if (options.maxPages !== undefined && pageCount > options.maxPages) {
        throw new PdfError('PDF_TOO_MANY_PAGES', `The PDF has ${pageCount} pages; at most ${options.maxPages} are accepted`, pageCount);
      }
      if (share) setPageCount(share.claims, pageCount);
      return { pageCount, pages: await readPages(pdf, pageCount, share, options.afterPage), reader: 'pdfjs' };
    } finally {
      await pdf.destroy();
    }
  } finally {
    if (share) closeClaims(share.claims);
  }
}

async function readPages(pdf: PdfDocument, pageCount: number, share: PageShare | undefined, afterPage: (() => void) | undefined): Promise<PdfPage[]> {
  const pages: (PdfPage | undefined)[] = new Array<PdfPage | undefined>(pageCount);
  let have = 0;
  const keep = (page: PdfPage) => {
    // A page can arrive twice (read here after its helper went away, then delivered late).
    if (page.number < 1 || page.number > pageCount || pages[page.number - 1]) return;
    pages[page.number - 1] = page;
    have++;
    afterPage?.();
  };
  try {
    if (share) {
      let wake = () => {};
      share.listen((page) => {
        if (page) keep(page);
        wake();
      });
      for (let n = claimPage(share.claims, pageCount); n !== null; n = claimPage(share.claims, pageCount)) keep(await readPage(pdf, n));
      // Every page is claimed: wait for the helpers' last pages. A helper that goes away
      // without sending a page it claimed leaves it missing, and it is read below.
      while (have < pageCount && share.pending()) await new Promise<void>((resolve) => (wake = resolve));
    }
    for (let n = 1; n <= pageCount; n++) if (!pages[n - 1]) keep(await readPage(pdf, n));
  } catch (error) {
    if (error instanceof PdfError) throw error;
    throw new PdfError('PDF_UNREADABLE', 'The PDF cannot be read');
  }
  return pages as PdfPage[];
}

/**
 * A helper's part: opens the statement and reads pages claimed from `claims` until none are
 * left or `recall` is set (the pool wants this thread for a statement of its own), handing
 * each to `deliver`. Any failure just ends the help: the lead reads the pages that did not
 * arrive, and reports the error if it meets it too.
 */
export async function helpReadPdfText(
  bytes: Uint8Array,
  password: string | undefined,
  claims: Int32Array,
  recall: Int32Array,
  deliver: (page: PdfPage) => void,
): Promise<void> {
  const wanted = () => Atomics.load(recall, 0) === 0 && pagesLeft(claims);
  if (!wanted()) return;
  let pdf: PdfDocument;
  try {
    pdf = await openPdf(bytes, password);
  } catch {
    return;
  }
  try {
    while (wanted()) {
      const n = claimPage(claims, pdf.numPages);
      if (n === null) break;
      deliver(await readPage(pdf, n));
    }
  } catch {
    // The lead reads what is missing.
  } finally {
    await pdf.destroy();
  }
}

function isPdf(bytes: Uint8Array): boolean {
  // The header may follow a little junk; readers accept it within the first 1 KB.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}
