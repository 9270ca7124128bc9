/**
 * The page claims of one statement, shared (over a SharedArrayBuffer) between the thread that
 * leads it and helper threads: which page is next, how many there are, whether the lead is
 * done and how many helpers were lent. Kept apart from the reader so that the parse pool can
 * use them without loading pdfjs.
 */
// The slots of `claims`. Pages are claimed one at a time: a page takes milliseconds, a claim
// next to nothing, and single pages leave the threads at most a page apart at the end.
/** The next page index (0-based) to claim. */
const NEXT = 0;
/** Non-zero once the lead has finished reading (or failed, or been given up on): nobody claims any more. */
const DONE = 1;
/** The page count, once the lead has opened the document (0 before). */
const COUNT = 2;
/** How many helpers the pool has lent to the statement. */
const LENT = 3;
/** Non-zero once the lead reads the statement with pdfjs (the lean reader needs no helpers). */
const PDFJS = 4;

export function newClaims(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT));
}

/** Whether lending a helper now would help: the lead reads with pdfjs and some pages may be unclaimed. */
export function wantsHelpers(claims: Int32Array): boolean {
  return Atomics.load(claims, PDFJS) !== 0 && pagesLeft(claims);
}

/** Whether a helper could still find a page to read (before the lead has opened the statement, it may). */
export function pagesLeft(claims: Int32Array): boolean {
  if (Atomics.load(claims, DONE) !== 0) return false;
  const count = Atomics.load(claims, COUNT);
  return count === 0 || Atomics.load(claims, NEXT) < count;
}

export function closeClaims(claims: Int32Array): void {
  Atomics.store(claims, DONE, 1);
}

/** Records one more helper lent to the statement; done before the lead is told of it, so that the lead waits for it. */
export function countLent(claims: Int32Array): void {
  Atomics.add(claims, LENT, 1);
}

export function lentCount(claims: Int32Array): number {
  return Atomics.load(claims, LENT);
}

/** The next page number (1-based) to read, or null when none are left. */
export function claimPage(claims: Int32Array, pageCount: number): number | null {
  if (Atomics.load(claims, DONE) !== 0) return null;
  const index = Atomics.add(claims, NEXT, 1);
  return index < pageCount ? index + 1 : null;
}

/** Set by the lead once it has opened the document. */
export function setPageCount(claims: Int32Array, pageCount: number): void {
  Atomics.store(claims, COUNT, pageCount);
}

/** Set by the lead when it turns to pdfjs: from then on, helpers are useful. */
export function markReadingWithPdfjs(claims: Int32Array): void {
  Atomics.store(claims, PDFJS, 1);
}
