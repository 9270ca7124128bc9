/**
 * Stream filters and the predictors: FlateDecode (node's zlib), ASCIIHexDecode, ASCII85Decode,
 * LZWDecode and RunLengthDecode, each decoding exactly as pdfjs's stream classes decode
 * well-formed data. Where pdfjs would quietly make something of malformed data (a stray
 * character, an LZW stream without its end code, a run cut short, a truncated Flate stream),
 * these throw `Unsupported` and pdfjs reads the document; with `repair`, they decode it as
 * pdfjs does instead, for the check that measures what pdfjs would decode (pdfjs-budget.ts).
 *
 * Every decoder is given `limit`, what is left of the document's decode budget: Flate, LZW and
 * RunLength expand a few bytes a hundred- or thousandfold, so a bomb is stopped while it is
 * being decoded (PdfError PDF_OVER_BUDGET), never after.
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { PdfError, Unsupported } from './pdf-error.ts';

function overBudget(): never {
  throw new PdfError('PDF_OVER_BUDGET', 'The file expands to far more data than a statement holds');
}

/** A byte buffer that grows by doubling, never beyond `limit`. */
class Output {
  bytes: Uint8Array;
  length = 0;
  private readonly limit: number;

  constructor(expected: number, limit: number) {
    this.limit = limit;
    this.bytes = new Uint8Array(Math.max(16, Math.min(expected, limit)));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    if (need > this.limit) overBudget();
    const bigger = new Uint8Array(Math.min(this.limit, Math.max(need, this.bytes.length * 2)));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** pdfjs's isWhiteSpace (the ASCII filters skip these): space, tab, CR, LF. */
function isFilterWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** The filters decoded here, by the names and abbreviations a stream's /Filter may give. */
const FILTER_NAMES = {
  FlateDecode: 'FlateDecode',
  Fl: 'FlateDecode',
  LZWDecode: 'LZWDecode',
  LZW: 'LZWDecode',
  ASCIIHexDecode: 'ASCIIHexDecode',
  AHx: 'ASCIIHexDecode',
  ASCII85Decode: 'ASCII85Decode',
  A85: 'ASCII85Decode',
  RunLengthDecode: 'RunLengthDecode',
  RL: 'RunLengthDecode',
} as const;

export type FilterName = (typeof FILTER_NAMES)[keyof typeof FILTER_NAMES];

/** The filter `name` names (full or abbreviated), or null for one not decoded here (image codecs, Crypt, unknown names). */
export function filterNamed(name: string): FilterName | null {
  return Object.hasOwn(FILTER_NAMES, name) ? FILTER_NAMES[name as keyof typeof FILTER_NAMES] : null;
}

/** Decodes `data` through `filter` (without predictors), within `limit` bytes; `earlyChange` is LZW's. */
export function decodeFilter(filter: FilterName, data: Uint8Array, limit: number, options: { earlyChange?: number; repair?: boolean } = {}): Uint8Array {
  const repair = options.repair ?? false;
  switch (filter) {
    case 'FlateDecode':
      return decodeFlate(data, limit, repair);
    case 'LZWDecode':
      return decodeLzw(data, options.earlyChange ?? 1, limit, repair);
    case 'ASCIIHexDecode':
      return decodeAsciiHex(data, limit, repair);
    case 'ASCII85Decode':
      return decodeAscii85(data, limit, repair);
    case 'RunLengthDecode':
      return decodeRunLength(data, limit, repair);
  }
}

/** FlateDecode. With `repair`, a truncated stream gives what it decodes to so far, as pdfjs's does. */
export function decodeFlate(data: Uint8Array, limit: number, repair = false): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: Math.max(1, limit), ...(repair ? { finishFlush: zlibConstants.Z_SYNC_FLUSH } : {}) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') overBudget();
    throw new Unsupported('inflate failed');
  }
}

/** ASCIIHexDecode: pairs of hex digits up to `>`; an odd last digit counts as its high half. */
export function decodeAsciiHex(data: Uint8Array, limit: number, repair = false): Uint8Array {
  const out = new Output((data.length + 1) >> 1, limit);
  let high = -1;
  let ended = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (c >= 65 && c <= 70) digit = c - 55;
    else if (c >= 97 && c <= 102) digit = c - 87;
    else if (c === 62) {
      ended = true;
      break;
    } else if (isFilterWhitespace(c) || c === 0 || c === 12) continue;
    // pdfjs skips any other character too; a producer never writes one.
    else if (repair) continue;
    else throw new Unsupported('ASCIIHexDecode: not a hex digit');
    if (high < 0) {
      high = digit;
    } else {
      out.reserve(1);
      out.bytes[out.length++] = (high << 4) | digit;
      high = -1;
    }
  }
  // pdfjs drops an odd last digit unless the end marker follows it.
  if (high >= 0 && ended) {
    out.reserve(1);
    out.bytes[out.length++] = high << 4;
  }
  return out.result();
}

/** ASCII85Decode: groups of five characters `!`–`u` (four bytes), `z` for four zeros, `~` ends. */
export function decodeAscii85(data: Uint8Array, limit: number, repair = false): Uint8Array {
  const out = new Output(Math.ceil((data.length * 4) / 5), limit);
  const group = new Uint8Array(5);
  let p = 0;
  const nextChar = (): number => {
    while (p < data.length && isFilterWhitespace(data[p]!)) p++;
    return p < data.length ? data[p++]! : -1;
  };
  for (;;) {
    let c = nextChar();
    if (c === -1 || c === 126) break;
    if (c === 122) {
      out.reserve(4);
      out.bytes.fill(0, out.length, out.length + 4);
      out.length += 4;
      continue;
    }
    let n = 0;
    for (;;) {
      // pdfjs computes garbage from any other character, or from a `z` inside a group.
      if ((c < 33 || c > 117) && !repair) throw new Unsupported('ASCII85Decode: bad character');
      group[n++] = c;
      if (n === 5) break;
      c = nextChar();
      if (c === -1 || c === 126) break;
    }
    // A last, partial group of n characters gives n - 1 bytes, padded with `u` as pdfjs pads it.
    for (let i = n; i < 5; i++) group[i] = 117;
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i]! - 33);
    if (value > 0xffffffff && !repair) throw new Unsupported('ASCII85Decode: group above 2^32');
    const bytes = n - 1;
    out.reserve(4);
    for (let i = 0; i < bytes; i++) out.bytes[out.length + i] = (value >>> (24 - 8 * i)) & 255;
    out.length += bytes;
    if (n < 5) break;
  }
  return out.result();
}

/** RunLengthDecode: a length byte n, then n + 1 literal bytes (n < 128) or one byte repeated 257 − n times; 128 ends. */
export function decodeRunLength(data: Uint8Array, limit: number, repair = false): Uint8Array {
  const out = new Output(data.length * 2, limit);
  let p = 0;
  // pdfjs reads two bytes at a time, and stops at an end code or when fewer than two are left.
  while (p + 1 < data.length && data[p] !== 128) {
    const n = data[p]!;
    if (n < 128) {
      // pdfjs still counts a literal run cut short in full (the missing bytes as zeros).
      if (p + 2 + n > data.length && !repair) throw new Unsupported('RunLengthDecode: literal run cut short');
      out.reserve(n + 1);
      out.bytes.fill(0, out.length, out.length + n + 1);
      out.bytes.set(data.subarray(p + 1, p + 2 + n), out.length);
      out.length += n + 1;
      p += n + 2;
    } else {
      const count = 257 - n;
      out.reserve(count);
      out.bytes.fill(data[p + 1]!, out.length, out.length + count);
      out.length += count;
      p += 2;
    }
  }
  return out.result();
}

const LZW_CLEAR = 256;
const LZW_END = 257;
const LZW_TABLE = 4096;

/**
 * LZWDecode, as pdfjs's LZWStream decodes it: 9- to 12-bit codes, the code width growing one
 * code early when `earlyChange` is 1 (the default). The data must end with the end code: pdfjs
 * pads a stream that lacks one with zero bytes (with `repair`, the data just ends there; and a
 * code not yet defined repeats the previous sequence's first byte, as in pdfjs).
 */
export function decodeLzw(data: Uint8Array, earlyChange: number, limit: number, repair = false): Uint8Array {
  const out = new Output(data.length * 3, limit);
  const values = new Uint8Array(LZW_TABLE);
  const lengths = new Uint16Array(LZW_TABLE);
  const prevCodes = new Uint16Array(LZW_TABLE);
  const sequence = new Uint8Array(LZW_TABLE);
  for (let i = 0; i < 256; i++) {
    values[i] = i;
    lengths[i] = 1;
  }
  let sequenceLength = 0;
  let codeLength = 9;
  let nextCode = 258;
  let prevCode = 0;
  let cached = 0;
  let bitsCached = 0;
  let p = 0;
  for (;;) {
    while (bitsCached < codeLength) {
      if (p >= data.length) {
        if (repair) return out.result();
        throw new Unsupported('LZWDecode: no end code');
      }
      cached = ((cached << 8) | data[p++]!) & 0xffffff;
      bitsCached += 8;
    }
    bitsCached -= codeLength;
    const code = (cached >>> bitsCached) & ((1 << codeLength) - 1);
    const hasPrev = sequenceLength > 0;
    if (code < 256) {
      sequence[0] = code;
      sequenceLength = 1;
    } else if (code === LZW_CLEAR) {
      codeLength = 9;
      nextCode = 258;
      sequenceLength = 0;
      continue;
    } else if (code === LZW_END) {
      break;
    } else if (code < nextCode) {
      sequenceLength = lengths[code]!;
      for (let j = sequenceLength - 1, q = code; j >= 0; j--) {
        sequence[j] = values[q]!;
        q = prevCodes[q]!;
      }
    } else if ((code === nextCode && hasPrev) || repair) {
      // The code being defined: the previous sequence and its own first byte.
      if (sequenceLength < LZW_TABLE) sequence[sequenceLength++] = sequence[0]!;
      else if (!repair) throw new Unsupported('LZWDecode: sequence too long');
    } else {
      throw new Unsupported('LZWDecode: undefined code');
    }
    if (hasPrev) {
      // pdfjs keeps counting past a full table (without storing) until a clear code.
      if (nextCode < LZW_TABLE) {
        prevCodes[nextCode] = prevCode;
        lengths[nextCode] = Math.min(lengths[prevCode]! + 1, LZW_TABLE);
        values[nextCode] = sequence[0]!;
      }
      nextCode++;
      const n = nextCode + earlyChange;
      if ((n & (n - 1)) === 0) codeLength = Math.min(Math.log(n) / 0.6931471805599453 + 1, 12) | 0;
    }
    prevCode = code;
    out.reserve(sequenceLength);
    out.bytes.set(sequence.subarray(0, sequenceLength), out.length);
    out.length += sequenceLength;
  }
  return out.result();
}

/** The TIFF predictor (2) at 8 bits per component: each byte adds the same component of the pixel before it. */
export function unpredictTiff(data: Uint8Array, colors: number, columns: number): Uint8Array {
  const rowLength = colors * columns;
  if (data.length % rowLength !== 0) throw new Unsupported('predicted data is not whole rows');
  const out = new Uint8Array(data.length);
  for (let row = 0; row < data.length; row += rowLength) {
    for (let i = 0; i < rowLength; i++) out[row + i] = i < colors ? data[row + i]! : (out[row + i - colors]! + data[row + i]!) & 255;
  }
  return out;
}

/** Undoes PNG row predictors (8 bits per component). */
export function unpredictPng(data: Uint8Array, colors: number, columns: number): Uint8Array {
  const bpp = colors;
  const rowLength = colors * columns;
  if (data.length % (rowLength + 1) !== 0) throw new Unsupported('predicted data is not whole rows');
  const rows = data.length / (rowLength + 1);
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    const up = dst - rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const above = r > 0 ? out[up + i]! : 0;
      const upperLeft = r > 0 && i >= bpp ? out[up + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + above;
          break;
        case 3:
          v = raw + ((left + above) >> 1);
          break;
        case 4: {
          const p = left + above - upperLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - above);
          const pc = Math.abs(p - upperLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? above : upperLeft);
          break;
        }
        default:
          throw new Unsupported('bad PNG predictor');
      }
      out[dst + i] = v & 255;
    }
  }
  return out;
}
