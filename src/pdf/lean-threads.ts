/**
 * The lean reader on several threads, for a large statement read by one process (the CLI has no
 * parse pool to lend it threads). The calling thread opens the document, starts helper threads
 * that open the same bytes (a SharedArrayBuffer copy), and every thread claims pages one at a
 * time from the shared counter (page-claims.ts) until none are left. The calling thread reads
 * pages too, collects the helpers' pages, and reads any page a helper claimed but never sent (it
 * failed, or met something the lean reader leaves to pdfjs), so the result is always what
 * reading every page on one thread gives, and that thread meets every error one thread would.
 */
import { Worker } from 'node:worker_threads';
import { openLeanDocument, type LeanReadOptions } from './content-text.ts';
import { claimPage, closeClaims, newClaims, setPageCount } from './page-claims.ts';
import type { PdfPage, PdfText } from './text-items.ts';

/**
 * Below this many pages one thread reads the statement: a helper takes about 100 ms to start and
 * load the reader (more on a busy machine), longer than the lead takes to read 30 pages.
 */
export const LEAN_THREADS_MIN_PAGES = 48;

/** What a helper is given. */
export interface LeanHelperData {
  bytes: Uint8Array;
  password: string | undefined;
  claims: Int32Array;
}

/** A page as a helper sends it: the items' texts, and their boxes four numbers each (x0, x1, top, bottom), transferred. */
export interface PackedPage {
  number: number;
  width: number;
  height: number;
  texts: string[];
  boxes: Float64Array<ArrayBuffer>;
}

export type LeanHelperMessage = { page: PackedPage } | { done: true };

export function packPage(page: PdfPage): PackedPage {
  const boxes = new Float64Array(page.items.length * 4);
  const texts = page.items.map((item, i) => {
    boxes[4 * i] = item.x0;
    boxes[4 * i + 1] = item.x1;
    boxes[4 * i + 2] = item.top;
    boxes[4 * i + 3] = item.bottom;
    return item.text;
  });
  return { number: page.number, width: page.width, height: page.height, texts, boxes };
}

export function unpackPage(page: PackedPage): PdfPage {
  const b = page.boxes;
  const items = page.texts.map((text, i) => ({ text, x0: b[4 * i]!, x1: b[4 * i + 1]!, top: b[4 * i + 2]!, bottom: b[4 * i + 3]! }));
  return { number: page.number, width: page.width, height: page.height, items };
}

// From source (tests, tsx), the worker's entry registers tsx first: on Node 20 a worker thread
// does not get the main thread's `--import tsx` loader.
const HELPER_URL = import.meta.url.endsWith('.ts') ? new URL('./lean-page-worker.mjs', import.meta.url) : new URL('./lean-page-worker.js', import.meta.url);

/** For tests: what the helpers did. */
export interface LeanThreadsTrace {
  /** False: the lead claims no page and only collects (and reads what the helpers did not send). */
  leadReads?: boolean;
  /** Filled with the numbers of the pages the helpers sent. */
  helperPages?: number[];
}

/**
 * Every page's text, read by the lean reader on this thread and `helpers` more (none below
 * `LEAN_THREADS_MIN_PAGES` pages). Throws what `readPdfContentText` throws.
 */
export async function readLeanOnThreads(bytes: Uint8Array, options: LeanReadOptions, helpers: number, trace: LeanThreadsTrace = {}): Promise<PdfText> {
  const document = openLeanDocument(bytes, options);
  const pageCount = document.pageCount;
  const pages = new Array<PdfPage | undefined>(pageCount);
  let have = 0;
  const keep = (page: PdfPage) => {
    if (page.number < 1 || page.number > pageCount || pages[page.number - 1]) return;
    pages[page.number - 1] = page;
    have++;
  };
  if (helpers > 0 && pageCount >= LEAN_THREADS_MIN_PAGES) {
    const claims = newClaims();
    setPageCount(claims, pageCount);
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const data: LeanHelperData = { bytes: shared, password: options.password, claims };
    const running = new Set<Worker>();
    let wake = () => {};
    const finished = (worker: Worker) => {
      running.delete(worker);
      wake();
    };
    for (let i = 0; i < helpers; i++) {
      // A larger young generation than the default: a helper allocates fast and keeps little.
      const worker = new Worker(HELPER_URL, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
      running.add(worker);
      // Unreferenced: a helper still starting when the pages are all read never holds the process open.
      worker.unref();
      worker.on('message', (message: LeanHelperMessage) => {
        if ('page' in message) {
          keep(unpackPage(message.page));
          trace.helperPages?.push(message.page.number);
        }
        else finished(worker);
        wake();
      });
      worker.on('error', () => finished(worker));
      worker.on('exit', () => finished(worker));
    }
    try {
      if (trace.leadReads !== false) for (let n = claimPage(claims, pageCount); n !== null; n = claimPage(claims, pageCount)) keep(document.readPage(n));
      // Every page is claimed: wait for the pages the helpers are still reading. A helper that
      // stops without sending a page it claimed leaves it missing, and it is read below.
      while (have < pageCount && running.size > 0) await new Promise<void>((resolve) => (wake = resolve));
    } finally {
      closeClaims(claims);
      for (const worker of running) void worker.terminate();
    }
  }
  for (let n = 1; n <= pageCount; n++) if (!pages[n - 1]) keep(document.readPage(n));
  return { pageCount, pages: pages as PdfPage[], reader: 'lean' };
}
