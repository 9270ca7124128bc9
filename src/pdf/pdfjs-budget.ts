/**
 * The decode budget for files the lean reader leaves to pdfjs. pdfjs inflates whatever a file
 * asks for, with no limit (a 5 KB file with two stacked Flate filters once drove a server to
 * 9.8 GB), and reads a content stream again for every page that draws it. So before pdfjs opens
 * a file, `checkPdfjsBudget` measures what it could be made to decode, within the same
 * per-document budget as the lean reader (`decodeBudget`), and refuses the file
 * (PDF_OVER_BUDGET) past it:
 *
 * - every stream in the file, decoded once: found by scanning the bytes for `stream` keywords,
 *   as pdfjs finds them when it repairs a file, so that a broken or missing cross-reference
 *   table hides nothing;
 * - every page's content streams, counted once per page that draws them (when the page tree
 *   can be read): 450 pages sharing one 1.2 MB stream are 540 MB of content to interpret;
 * - the page tree's /Count against `maxPages`, before anything is decoded.
 *
 * Filters are decoded by the lean reader's decoders (filters.ts) in their `repair` mode, as
 * pdfjs decodes malformed data, each within what is left of the budget; image filters (DCT,
 * JPX, JBIG2, CCITT) are not, as pdfjs does not decode images for text.
 */
import { standardDecryptor, type StreamDecryptor } from './decrypt.ts';
import { decodeFilter, filterNamed } from './filters.ts';
import { declaredPageCount, decodeBudget, Dict, Name, PdfFile, Ref } from './objects.ts';
import { PdfError } from './pdf-error.ts';

const OVER_BUDGET = 'The file expands to far more data than a statement holds';

/**
 * Streams measured at most. Each costs a few microseconds to inflate however small it is: 300,000
 * tiny ones (a 26 MB file) took 8 s. A 5,000-page statement has a few tens of thousands.
 */
const MAX_STREAMS = 100_000;

/** Past the budget: the file is refused, whatever pdfjs would make of it. */
function overBudget(): PdfError {
  return new PdfError('PDF_OVER_BUDGET', OVER_BUDGET);
}

export interface PdfjsBudgetOptions {
  password?: string;
  maxPages?: number;
}

/** Throws PdfError PDF_OVER_BUDGET (or PDF_TOO_MANY_PAGES) for a file pdfjs must not be given. */
export function checkPdfjsBudget(bytes: Uint8Array, options: PdfjsBudgetOptions = {}): void {
  const budget = decodeBudget(bytes.length);
  const file = openStrictly(bytes);
  if (file && options.maxPages !== undefined) {
    const count = declaredPageCount(file);
    if (count !== null && count > options.maxPages) {
      throw new PdfError('PDF_TOO_MANY_PAGES', `The PDF has ${count} pages; at most ${options.maxPages} are accepted`, count);
    }
  }
  const decrypt = file ? decryptorOf(file, options.password) : null;
  const sizes = decodedSizes(bytes, budget, decrypt);
  if (file) checkContentUses(file, sizes, budget, options.maxPages);
}

/**
 * Decoded stream sizes by object number. Images are measured only if a page draws one as its
 * content: pdfjs does not decode images to read text, and a statement's logos and backgrounds,
 * well compressed, may inflate to more than the budget.
 */
interface StreamSizes {
  measured: Map<number, number>;
  images: Map<number, () => number>;
}

function sizeOf(sizes: StreamSizes, num: number): number {
  const measured = sizes.measured.get(num);
  if (measured !== undefined) return measured;
  const image = sizes.images.get(num);
  if (!image) return 0;
  const size = image();
  sizes.measured.set(num, size);
  return size;
}

/** The file through the lean reader's object parser, or null where it cannot be read so (pdfjs may repair it). */
function openStrictly(bytes: Uint8Array): PdfFile | null {
  try {
    return new PdfFile(bytes);
  } catch (error) {
    // A cross-reference stream that is itself a bomb.
    if (error instanceof PdfError) throw error;
    return null;
  }
}

/** For an encrypted file, its stream decryptor (null when unencrypted, or when it does not open so: pdfjs then refuses it itself or decodes what is measured raw). */
function decryptorOf(file: PdfFile, password: string | undefined): StreamDecryptor | null {
  const encrypt = file.trailer.get('Encrypt');
  if (encrypt === undefined) return null;
  try {
    return standardDecryptor(file, encrypt, password || undefined);
  } catch (error) {
    if (error instanceof PdfError) throw error;
    return null;
  }
}

/**
 * Decodes every stream in the file once, within `budget` for all of them together; the decoded
 * size of each, by object number. Streams are found by their `stream` keywords.
 */
function decodedSizes(bytes: Uint8Array, budget: number, decrypt: StreamDecryptor | null): StreamSizes {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const sizes: StreamSizes = { measured: new Map(), images: new Map() };
  let left = budget;
  let streams = 0;
  // One pass over the text for headers and one for keywords, each only forward, so that the
  // scan stays linear whatever the file holds (a million `stream` keywords without headers).
  // Bounded runs, starting where digits start: an unbounded `\d+\s+` backtracks quadratically over a long run of digits.
  const header = /(?<!\d)(\d{1,10})\s{1,16}(\d{1,5})\s{1,16}obj\b/g;
  let nextHeader = header.exec(text);
  const keyword = /stream(?:\r\n|\n|\r)/g;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    const at = m.index;
    if (text.slice(at - 3, at) === 'end') continue;
    // The last object header before the keyword; each header serves one keyword at most.
    let found: RegExpExecArray | null = null;
    while (nextHeader && nextHeader.index < at) {
      found = nextHeader;
      nextHeader = header.exec(text);
    }
    if (!found) continue;
    const dict = text.slice(found.index + found[0].length, at);
    if (!dict.includes('<<')) continue;
    const start = at + m[0].length;
    const end = streamEnd(text, dict, start);
    keyword.lastIndex = end;
    // A header inside the data is data.
    if (nextHeader && nextHeader.index < end) {
      header.lastIndex = end;
      nextHeader = header.exec(text);
    }
    if (++streams > MAX_STREAMS) throw new PdfError('PDF_OVER_BUDGET', `The file holds more than ${MAX_STREAMS} streams`);
    const num = Number(found[1]);
    let data: Uint8Array = bytes.subarray(start, end);
    if (decrypt) {
      try {
        data = decrypt(data, num, Number(found[2]));
      } catch {
        // Measured as stored.
      }
    }
    const filters = filtersOf(dict);
    if (/\/Subtype\s*\/Image\b/.test(dict)) {
      const image = data;
      sizes.images.set(num, () => decodedSize(image, filters, budget));
      continue;
    }
    const size = decodedSize(data, filters, left);
    left -= size;
    sizes.measured.set(num, Math.max(size, sizes.measured.get(num) ?? 0));
  }
  return sizes;
}

/** Where a stream's data ends: at its direct /Length when `endstream` follows it there, else at the next `endstream` (as pdfjs finds it). */
function streamEnd(text: string, dict: string, start: number): number {
  const length = /\/Length\s{1,16}(\d{1,12})(\s{1,16}\d{1,5}\s{1,16}R)?/.exec(dict);
  // An indirect /Length is not followed here: the scan finds `endstream`.
  if (length && !length[2]) {
    const end = start + Number(length[1]);
    if (/^\s*endstream/.test(text.slice(end, end + 32))) return end;
  }
  const next = text.indexOf('endstream', start);
  return next < 0 ? text.length : next;
}

/** The /Filter names in a stream dictionary's text (none for an indirect /Filter, which producers do not write). */
function filtersOf(dict: string): string[] {
  const m = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]+)/.exec(dict);
  if (!m) return [];
  return [...m[1]!.matchAll(/\/([^\s/<>[\]()]+)/g)].map((n) => n[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

/**
 * The size `data` decodes to through `filters`, throwing past `left`, each filter decoding
 * malformed data as pdfjs repairs it. A filter not decoded here (images, unknown ones) ends the
 * chain: pdfjs does not decode it for text either.
 */
function decodedSize(data: Uint8Array, filters: string[], left: number): number {
  let out = data;
  for (const name of filters) {
    const filter = filterNamed(name);
    if (!filter) break;
    try {
      // LZW's /EarlyChange is not read: EarlyChange 0 decodes to the same size within a few bytes per code.
      out = decodeFilter(filter, out, left, { repair: true });
    } catch (error) {
      if (error instanceof PdfError) throw error;
      // Data even pdfjs cannot decode (a corrupt Flate stream): pdfjs stops there too.
      break;
    }
  }
  if (out.length > left) throw overBudget();
  return out.length;
}

/**
 * The content pdfjs would interpret, each page's streams counted once per page that draws
 * them, within `budget`. A page tree it cannot walk (cycles, bad nodes) is left to pdfjs, which
 * refuses it; past `maxPages` pdfjs refuses the file before reading a page.
 */
function checkContentUses(file: PdfFile, sizes: StreamSizes, budget: number, maxPages: number | undefined): void {
  let total = 0;
  const count = (value: unknown) => {
    if (!(value instanceof Ref)) return;
    // /Contents may refer to an array of streams.
    const stream = sizes.measured.has(value.num) || sizes.images.has(value.num);
    const target = stream ? null : file.fetch(value);
    if (Array.isArray(target)) for (const part of target) total += part instanceof Ref ? sizeOf(sizes, part.num) : 0;
    else total += sizeOf(sizes, value.num);
    if (total > budget) throw overBudget();
  };
  try {
    const root = file.get(file.trailer, 'Root');
    const top = root instanceof Dict ? root.get('Pages') : undefined;
    if (!(top instanceof Ref)) return;
    const seen = new Set<number>();
    const stack: Ref[] = [top];
    let pages = 0;
    while (stack.length > 0) {
      const ref = stack.pop()!;
      if (seen.has(ref.num)) return;
      seen.add(ref.num);
      const node = file.fetch(ref);
      if (!(node instanceof Dict)) return;
      const kids = file.get(node, 'Kids');
      if (Array.isArray(kids)) {
        // Kids in reverse, so that pages come off the stack in order.
        for (let i = kids.length - 1; i >= 0; i--) if (kids[i] instanceof Ref) stack.push(kids[i] as Ref);
        continue;
      }
      if (maxPages !== undefined && ++pages > maxPages) return;
      const type = node.get('Type');
      if (type instanceof Name && type.name !== 'Page') continue;
      const contents = node.get('Contents');
      if (Array.isArray(contents)) contents.forEach(count);
      else count(contents);
    }
  } catch (error) {
    if (error instanceof PdfError) throw error;
    // Unreadable here: pdfjs decides, within the stream budget checked already.
  }
}
