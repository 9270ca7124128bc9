/**
 * A strict reader of a PDF file's object structure: the lexer, the cross-reference table (classic
 * tables, cross-reference streams and object streams, incremental updates), indirect objects
 * and stream data (unfiltered, or any chain of Flate, LZW, ASCIIHex, ASCII85 and RunLength,
 * with PNG and TIFF predictors, see filters.ts; decrypted first when the file is encrypted, see
 * decrypt.ts), all within a decode budget per document.
 *
 * It serves the lean text extractor (content-text.ts), which must give exactly what pdfjs
 * gives or nothing at all. So where pdfjs would repair or guess (a broken cross-reference table,
 * a wrong /Length, an unknown filter, a malformed token), this reader throws `Unsupported` and
 * the caller hands the whole document to pdfjs.
 */
import { decodeFilter, filterNamed, unpredictPng, unpredictTiff } from './filters.ts';
import { PdfError, Unsupported } from './pdf-error.ts';

export { Unsupported } from './pdf-error.ts';

export class Name {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

const names = new Map<string, Name>();

/** The one `Name` for `name`, so that names compare with `===`. */
export function nameOf(name: string): Name {
  let n = names.get(name);
  if (!n) {
    n = new Name(name);
    names.set(name, n);
  }
  return n;
}

export class Ref {
  readonly num: number;
  readonly gen: number;
  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
}

export class Dict {
  readonly map = new Map<string, PdfValue>();
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
}

export class Stream {
  readonly dict: Dict;
  /** The raw (still encoded, maybe encrypted) bytes. */
  readonly raw: Uint8Array;
  /** The indirect object it is (streams always are), for decryption. */
  readonly num: number;
  readonly gen: number;
  constructor(dict: Dict, raw: Uint8Array, num: number, gen: number) {
    this.dict = dict;
    this.raw = raw;
    this.num = num;
    this.gen = gen;
  }
}

/** Byte strings are kept as Latin-1 JavaScript strings, one character per byte. */
export type PdfValue = number | boolean | null | string | Name | Ref | Dict | Stream | PdfValue[];

/** An operator in a content stream (`BT`, `Tj`, `'`, …). */
export class Operator {
  readonly op: string;
  constructor(op: string) {
    this.op = op;
  }
}

const operators = new Map<string, Operator>();

/** Names of up to four characters, by their bytes and length packed into a number. */
const shortNames = new Map<number, Name>();

/** Operators of up to three characters, by their bytes packed into a number. */
const shortOperators = new Map<number, Operator>();

function operatorOf(op: string): Operator {
  let o = operators.get(op);
  if (!o) {
    o = new Operator(op);
    operators.set(op, o);
    if (op.length <= 3 && /^[\x21-\x7e]+$/.test(op)) {
      let key = 0;
      for (let i = 0; i < op.length; i++) key |= op.charCodeAt(i) << (8 * i);
      shortOperators.set(key, o);
    }
  }
  return o;
}

// Character classes: 1 whitespace, 2 delimiter, 0 regular.
const CLASS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

const END = Symbol('end');
// Delimiters as symbols, never to be confused with the byte strings "]" and ">>".
const ARRAY_END = Symbol(']');
const DICT_END = Symbol('>>');

/**
 * Arrays and dictionaries nested deeper than this are left to pdfjs: producers nest a few levels,
 * and each level is a level of recursion here (100,000 would overflow the stack).
 */
export const MAX_NESTING = 256;

export const TOKEN_END = 0;
export const TOKEN_NUMBER = 1;
export const TOKEN_OPERATOR = 2;
export const TOKEN_VALUE = 3;

/** Decoded hex strings are assembled here (one string made per hex string). */
let hexScratch = Buffer.alloc(4096);

/**
 * Tokens and objects over a byte array. Used for the file's objects and for content streams,
 * where a keyword that is not true/false/null is an `Operator`.
 */
export class Lexer {
  readonly bytes: Uint8Array;
  pos: number;
  private readonly latin1: Buffer;
  /** Arrays and dictionaries open around the object being read. */
  private nesting = 0;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
    this.latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  skipWhitespace(): void {
    const b = this.bytes;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === undefined) break;
      if (CLASS[c] === 1) {
        p++;
      } else if (c === 37) {
        // A comment, to the end of the line.
        while (p < b.length && b[p] !== 10 && b[p] !== 13) p++;
      } else {
        break;
      }
    }
    this.pos = p;
  }

  /** The number read by `nextContent` (kept in a field: returning it would allocate a heap number). */
  num = 0;
  /** The operator read by `nextContent`. */
  operator: Operator | null = null;
  /** The other object read by `nextContent`. */
  value: PdfValue = null;

  /** For content streams: the next token's kind (`TOKEN_*`), its value left in `num`, `operator` or `value`. */
  nextContent(): number {
    this.skipWhitespace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) return TOKEN_END;
    if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
      const start = this.pos;
      let p = start;
      while (p < b.length && CLASS[b[p]!] === 0) p++;
      this.pos = p;
      this.num = this.number(start, p);
      return TOKEN_NUMBER;
    }
    const v = this.next();
    if (v === END) return TOKEN_END;
    if (v instanceof Operator) {
      this.operator = v;
      return TOKEN_OPERATOR;
    }
    if (v === ARRAY_END || v === DICT_END) throw new Unsupported('stray delimiter');
    this.value = v;
    return TOKEN_VALUE;
  }

  /** The next object or operator, or END at the end of the data. Throws on anything malformed. */
  next(): PdfValue | Operator | typeof END | typeof ARRAY_END | typeof DICT_END {
    this.skipWhitespace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) return END;
    switch (c) {
      case 47: // /
        return this.readName();
      case 40: // (
        return this.readLiteralString();
      case 60: // <
        if (b[this.pos + 1] === 60) {
          this.pos += 2;
          this.enter();
          const dict = this.readDictBody();
          this.nesting--;
          return dict;
        }
        return this.readHexString();
      case 62: // >
        if (b[this.pos + 1] === 62) {
          this.pos += 2;
          return DICT_END;
        }
        throw new Unsupported('stray >');
      case 91: {
        // [
        this.pos++;
        this.enter();
        const items: PdfValue[] = [];
        for (;;) {
          const v = this.next();
          if (v === ARRAY_END) {
            this.nesting--;
            return items;
          }
          if (v === END || v === DICT_END || v instanceof Operator) throw new Unsupported('bad array');
          items.push(v);
        }
      }
      case 93: // ]
        this.pos++;
        return ARRAY_END;
      case 123:
      case 125:
      case 41:
        throw new Unsupported('unexpected delimiter');
      default:
        break;
    }
    // A number or a keyword: a run of regular characters.
    const start = this.pos;
    let p = start;
    while (p < b.length && CLASS[b[p]!] === 0) p++;
    this.pos = p;
    if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) return this.number(start, p);
    if (p - start <= 3) {
      // Operators are short: look them up by their bytes, without making a string.
      const key = b[start]! | ((p - start > 1 ? b[start + 1]! : 0) << 8) | ((p - start > 2 ? b[start + 2]! : 0) << 16);
      const known = shortOperators.get(key);
      if (known) return known;
    }
    const word = this.latin1.toString('latin1', start, p);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return operatorOf(word);
  }

  /** A number, strictly [+-]digits[.digits] (or .digits), computed as pdfjs computes it: all digits, then one division. */
  private number(start: number, end: number): number {
    const b = this.bytes;
    let p = start;
    let sign = 1;
    if (b[p] === 45) {
      sign = -1;
      p++;
    } else if (b[p] === 43) {
      p++;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 1;
    let dot = false;
    for (; p < end; p++) {
      const c = b[p]!;
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (dot) scale *= 10;
      } else if (c === 46 && !dot) {
        dot = true;
      } else {
        throw new Unsupported('bad number');
      }
    }
    if (digits === 0 || digits > 15) throw new Unsupported('bad number');
    return sign * (scale === 1 ? mantissa : mantissa / scale);
  }

  private readName(): Name {
    const b = this.bytes;
    let p = this.pos + 1;
    const start = p;
    let escaped = false;
    while (p < b.length && CLASS[b[p]!] === 0) {
      if (b[p] === 35) escaped = true;
      p++;
    }
    this.pos = p;
    if (!escaped && p - start <= 4 && p > start) {
      // Resource names are short: look them up by their bytes, without making a string.
      let key = 0;
      for (let i = start; i < p; i++) key = key * 256 + b[i]!;
      key += (p - start) * 2 ** 32;
      let name = shortNames.get(key);
      if (!name) shortNames.set(key, (name = nameOf(this.latin1.toString('latin1', start, p))));
      return name;
    }
    if (!escaped) return nameOf(this.latin1.toString('latin1', start, p));
    let out = '';
    for (let i = start; i < p; i++) {
      const c = b[i]!;
      if (c === 35) {
        const hi = hexValue(b[i + 1] ?? -1);
        const lo = hexValue(b[i + 2] ?? -1);
        if (hi < 0 || lo < 0 || i + 2 >= p) throw new Unsupported('bad name escape');
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
      } else {
        out += String.fromCharCode(c);
      }
    }
    return nameOf(out);
  }

  private readLiteralString(): string {
    const b = this.bytes;
    let p = this.pos + 1;
    const start = p;
    // Fast path: no escapes and no nested parentheses.
    while (p < b.length && b[p] !== 41 && b[p] !== 92 && b[p] !== 40) p++;
    if (b[p] === 41) {
      this.pos = p + 1;
      return this.latin1.toString('latin1', start, p);
    }
    p = start;
    let depth = 1;
    let out = '';
    for (;;) {
      const c = b[p];
      if (c === undefined) throw new Unsupported('unterminated string');
      p++;
      if (c === 40) {
        depth++;
        out += '(';
      } else if (c === 41) {
        if (--depth === 0) break;
        out += ')';
      } else if (c === 92) {
        const e = b[p];
        if (e === undefined) throw new Unsupported('unterminated string');
        p++;
        switch (e) {
          case 110:
            out += '\n';
            break;
          case 114:
            out += '\r';
            break;
          case 116:
            out += '\t';
            break;
          case 98:
            out += '\b';
            break;
          case 102:
            out += '\f';
            break;
          case 13:
            if (b[p] === 10) p++;
            break;
          case 10:
            break;
          default:
            if (e >= 48 && e <= 55) {
              let v = e - 48;
              if (b[p]! >= 48 && b[p]! <= 55) {
                v = v * 8 + (b[p++]! - 48);
                if (b[p]! >= 48 && b[p]! <= 55) v = v * 8 + (b[p++]! - 48);
              }
              // pdfjs keeps a code above 255 as one character; a byte cannot hold it.
              if (v > 255) throw new Unsupported('octal escape above 255');
              out += String.fromCharCode(v);
            } else {
              out += String.fromCharCode(e);
            }
        }
      } else {
        out += String.fromCharCode(c);
      }
    }
    this.pos = p;
    return out;
  }

  private readHexString(): string {
    const b = this.bytes;
    let p = this.pos + 1;
    let n = 0;
    let hi = -1;
    for (;;) {
      const c = b[p];
      if (c === undefined) throw new Unsupported('unterminated hex string');
      p++;
      if (c === 62) break;
      if (CLASS[c] === 1) continue;
      const v = hexValue(c);
      if (v < 0) throw new Unsupported('bad hex string');
      if (hi < 0) {
        hi = v;
      } else {
        if (n === hexScratch.length) hexScratch = Buffer.concat([hexScratch, Buffer.alloc(hexScratch.length)]);
        hexScratch[n++] = hi * 16 + v;
        hi = -1;
      }
    }
    if (hi >= 0) {
      if (n === hexScratch.length) hexScratch = Buffer.concat([hexScratch, Buffer.alloc(1)]);
      hexScratch[n++] = hi * 16;
    }
    this.pos = p;
    return hexScratch.toString('latin1', 0, n);
  }

  private readDictBody(): Dict {
    const dict = new Dict();
    for (;;) {
      const key = this.next();
      if (key === DICT_END) return dict;
      if (!(key instanceof Name)) throw new Unsupported('bad dictionary key');
      const value = this.next();
      if (value === END || value === ARRAY_END || value === DICT_END || value instanceof Operator) throw new Unsupported('bad dictionary value');
      dict.map.set(key.name, value);
    }
  }

  /** Opens an array or dictionary. (A lexer that has thrown is never read again, so the count is not restored then.) */
  private enter(): void {
    if (++this.nesting > MAX_NESTING) throw new Unsupported('objects nested too deep');
  }

  keyword(): string | null {
    const v = this.next();
    return v instanceof Operator ? v.op : null;
  }
}

/**
 * Parses one object in file syntax: like `Lexer.next`, but with `n g R` read as a reference
 * anywhere (inside arrays and dictionaries too), and no operators.
 */
function parseFileObject(lexer: Lexer, depth = 0): PdfValue {
  const b = lexer.bytes;
  lexer.skipWhitespace();
  const c = b[lexer.pos];
  if ((c === 91 || (c === 60 && b[lexer.pos + 1] === 60)) && depth >= MAX_NESTING) throw new Unsupported('objects nested too deep');
  if (c === 91) {
    lexer.pos++;
    const items: PdfValue[] = [];
    for (;;) {
      lexer.skipWhitespace();
      if (b[lexer.pos] === 93) {
        lexer.pos++;
        return items;
      }
      if (lexer.pos >= b.length) throw new Unsupported('unterminated array');
      items.push(parseFileObject(lexer, depth + 1));
    }
  }
  if (c === 60 && b[lexer.pos + 1] === 60) {
    lexer.pos += 2;
    const dict = new Dict();
    for (;;) {
      lexer.skipWhitespace();
      if (b[lexer.pos] === 62 && b[lexer.pos + 1] === 62) {
        lexer.pos += 2;
        return dict;
      }
      const key = lexer.next();
      if (!(key instanceof Name)) throw new Unsupported('bad dictionary key');
      dict.map.set(key.name, parseFileObject(lexer, depth + 1));
    }
  }
  const v = lexer.next();
  if (v === END || v === ARRAY_END || v === DICT_END || v instanceof Operator) throw new Unsupported('expected an object');
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    const save = lexer.pos;
    lexer.skipWhitespace();
    const d = b[lexer.pos];
    if (d !== undefined && d >= 48 && d <= 57) {
      const gen = lexer.next();
      if (typeof gen === 'number' && Number.isInteger(gen)) {
        lexer.skipWhitespace();
        if (b[lexer.pos] === 82 && (lexer.pos + 1 >= b.length || CLASS[b[lexer.pos + 1]!] !== 0)) {
          lexer.pos++;
          return new Ref(v, gen);
        }
      }
    }
    lexer.pos = save;
  }
  return v;
}

interface XrefEntry {
  /** 1: at `offset` in the file; 2: the `index`-th object of object stream `stream`. */
  type: 1 | 2;
  offset: number;
  gen: number;
  stream: number;
  index: number;
}

const MAX_OBJECT_DEPTH = 64;

/**
 * How many decoded bytes one document may produce: 64 times its size, at least 32 MB and at
 * most 512 MB. A 500-page statement of 1.5 MB decodes to about 20 MB; a decompression bomb
 * (a few KB that inflate to gigabytes, often through stacked filters) stops at the budget.
 */
export function decodeBudget(fileBytes: number): number {
  return Math.min(512 * 2 ** 20, Math.max(32 * 2 ** 20, 64 * fileBytes));
}

/** A PDF file's objects, read on demand through its cross-reference data. */
export class PdfFile {
  readonly bytes: Uint8Array;
  readonly trailer: Dict;
  private readonly entries = new Map<number, XrefEntry | null>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<number, { lexer: Lexer; offsets: number[]; first: number }>();
  private depth = 0;
  /** Decoded bytes this document may still produce (see `decodeBudget`). */
  private budget: number;
  /** Set once the file is known to be encrypted and opened (cross-reference streams, read before, are never encrypted). */
  private decryptor: ((data: Uint8Array, num: number, gen: number) => Uint8Array) | null = null;

  /** Decrypts every stream from now on; objects read before are read again. */
  setDecryptor(decryptor: (data: Uint8Array, num: number, gen: number) => Uint8Array): void {
    this.decryptor = decryptor;
    this.cache.clear();
    this.objectStreams.clear();
  }

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.budget = decodeBudget(bytes.length);
    this.trailer = this.readXref();
  }

  private startxref(): number {
    const b = this.bytes;
    const tail = Buffer.from(b.buffer, b.byteOffset + Math.max(0, b.length - 1024), Math.min(1024, b.length)).toString('latin1');
    const at = tail.lastIndexOf('startxref');
    if (at < 0) throw new Unsupported('no startxref');
    const m = /^startxref\s+(\d+)\s+%%EOF/.exec(tail.slice(at));
    if (!m) throw new Unsupported('bad startxref');
    return Number(m[1]);
  }

  private readXref(): Dict {
    let offset: number | null = this.startxref();
    let trailer: Dict | null = null;
    const seen = new Set<number>();
    while (offset !== null) {
      if (seen.has(offset) || offset <= 0 || offset >= this.bytes.length) throw new Unsupported('bad xref offset');
      seen.add(offset);
      const section = this.readXrefSection(offset);
      trailer ??= section;
      const prev = section.get('Prev');
      if (prev === undefined) offset = null;
      else if (typeof prev === 'number' && Number.isInteger(prev)) offset = prev;
      else throw new Unsupported('bad /Prev');
    }
    return trailer!;
  }

  /** Reads one section (a table with its trailer, or a cross-reference stream); earlier-read (newer) entries win. */
  private readXrefSection(offset: number): Dict {
    const lexer = new Lexer(this.bytes, offset);
    const b = this.bytes;
    if (b[offset] === 120 && b[offset + 1] === 114 && b[offset + 2] === 101 && b[offset + 3] === 102) {
      lexer.pos = offset + 4;
      for (;;) {
        const first = lexer.next();
        if (first instanceof Operator && first.op === 'trailer') break;
        const count = lexer.next();
        if (typeof first !== 'number' || typeof count !== 'number' || !Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) {
          throw new Unsupported('bad xref subsection');
        }
        for (let i = 0; i < count; i++) {
          const off = lexer.next();
          const gen = lexer.next();
          const kind = lexer.next();
          if (typeof off !== 'number' || typeof gen !== 'number' || !(kind instanceof Operator)) throw new Unsupported('bad xref entry');
          const num = first + i;
          if (this.entries.has(num)) continue;
          if (kind.op === 'n') {
            // An object 0 "in use" is a known producer bug that pdfjs works around.
            if (num === 0) throw new Unsupported('object 0 in use');
            this.entries.set(num, { type: 1, offset: off, gen, stream: 0, index: 0 });
          } else if (kind.op === 'f') {
            this.entries.set(num, null);
          } else {
            throw new Unsupported('bad xref entry type');
          }
        }
      }
      const trailer = parseFileObject(lexer);
      if (!(trailer instanceof Dict)) throw new Unsupported('bad trailer');
      const xrefStm = trailer.get('XRefStm');
      if (typeof xrefStm === 'number') this.readXrefStream(xrefStm);
      return trailer;
    }
    return this.readXrefStream(offset);
  }

  private readXrefStream(offset: number): Dict {
    const obj = this.parseIndirectAt(offset, null);
    if (!(obj instanceof Stream)) throw new Unsupported('xref is not a stream');
    const dict = obj.dict;
    const type = dict.get('Type');
    if (!(type instanceof Name) || type.name !== 'XRef') throw new Unsupported('not an xref stream');
    const w = dict.get('W');
    const size = dict.get('Size');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0) || typeof size !== 'number') {
      throw new Unsupported('bad xref stream');
    }
    const [w0, w1, w2] = w as [number, number, number];
    const indexValue = dict.get('Index') ?? [0, size];
    if (!Array.isArray(indexValue) || indexValue.length % 2 !== 0 || !indexValue.every((x) => typeof x === 'number' && Number.isInteger(x))) {
      throw new Unsupported('bad xref /Index');
    }
    const data = this.decodeStream(obj);
    const rowLength = w0 + w1 + w2;
    let pos = 0;
    const field = (width: number, fallback: number): number => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[pos++]!;
      return v;
    };
    for (let k = 0; k < indexValue.length; k += 2) {
      const first = indexValue[k] as number;
      const count = indexValue[k + 1] as number;
      for (let i = 0; i < count; i++) {
        if (pos + rowLength > data.length) throw new Unsupported('short xref stream');
        const kind = field(w0, 1);
        const a = field(w1, 0);
        const c = field(w2, 0);
        const num = first + i;
        if (this.entries.has(num)) continue;
        if (kind === 0) this.entries.set(num, null);
        else if (kind === 1) this.entries.set(num, { type: 1, offset: a, gen: c, stream: 0, index: 0 });
        else if (kind === 2) this.entries.set(num, { type: 2, offset: 0, gen: 0, stream: a, index: c });
        else throw new Unsupported('unknown xref entry type');
      }
    }
    return dict;
  }

  /** Parses `num gen obj … endobj` at `offset`; with `expect`, checks that it is that object. */
  private parseIndirectAt(offset: number, expect: { num: number; gen: number } | null): PdfValue {
    const lexer = new Lexer(this.bytes, offset);
    const num = lexer.next();
    const gen = lexer.next();
    const obj = lexer.next();
    if (typeof num !== 'number' || typeof gen !== 'number' || !(obj instanceof Operator) || obj.op !== 'obj') throw new Unsupported('bad object header');
    if (expect && (num !== expect.num || gen !== expect.gen)) throw new Unsupported('object is not where the xref says');
    const value = parseFileObject(lexer);
    if (value instanceof Dict) {
      const save = lexer.pos;
      const word = lexer.keyword();
      if (word === 'stream') return this.readStreamData(value, lexer, num, gen);
      lexer.pos = save;
    }
    return value;
  }

  private readStreamData(dict: Dict, lexer: Lexer, num: number, gen: number): Stream {
    const b = this.bytes;
    let p = lexer.pos;
    // "stream" is followed by CRLF or LF.
    if (b[p] === 13 && b[p + 1] === 10) p += 2;
    else if (b[p] === 10) p += 1;
    else throw new Unsupported('bad stream start');
    const length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || p + length > b.length) throw new Unsupported('bad stream /Length');
    const after = new Lexer(b, p + length);
    if (after.keyword() !== 'endstream') throw new Unsupported('stream /Length does not reach endstream');
    return new Stream(dict, b.subarray(p, p + length), num, gen);
  }

  /** The object `ref` points to (null for a free or missing one, as pdfjs reads it). */
  fetch(ref: Ref): PdfValue {
    const cached = this.cache.get(ref.num);
    if (cached !== undefined) return cached;
    const entry = this.entries.get(ref.num);
    if (entry === undefined) throw new Unsupported('object not in the xref');
    if (entry === null) throw new Unsupported('reference to a free object');
    if (++this.depth > MAX_OBJECT_DEPTH) throw new Unsupported('objects nested too deep');
    try {
      let value: PdfValue;
      if (entry.type === 1) {
        if (entry.gen !== ref.gen) throw new Unsupported('generation mismatch');
        value = this.parseIndirectAt(entry.offset, { num: ref.num, gen: ref.gen });
      } else {
        if (ref.gen !== 0) throw new Unsupported('generation mismatch');
        value = this.objectFromStream(entry.stream, entry.index, ref.num);
      }
      this.cache.set(ref.num, value);
      return value;
    } finally {
      this.depth--;
    }
  }

  private objectFromStream(streamNum: number, index: number, num: number): PdfValue {
    let objStm = this.objectStreams.get(streamNum);
    if (!objStm) {
      const stream = this.fetch(new Ref(streamNum, 0));
      if (!(stream instanceof Stream)) throw new Unsupported('object stream is not a stream');
      const n = stream.dict.get('N');
      const first = stream.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number') throw new Unsupported('bad object stream');
      const data = this.decodeStream(stream);
      const lexer = new Lexer(data);
      const offsets: number[] = [];
      for (let i = 0; i < n; i++) {
        const objNum = lexer.next();
        const off = lexer.next();
        if (typeof objNum !== 'number' || typeof off !== 'number') throw new Unsupported('bad object stream header');
        offsets.push(objNum, off);
      }
      objStm = { lexer, offsets, first };
      this.objectStreams.set(streamNum, objStm);
    }
    if (objStm.offsets[2 * index] !== num) throw new Unsupported('object not at its index in the object stream');
    objStm.lexer.pos = objStm.first + objStm.offsets[2 * index + 1]!;
    return parseFileObject(objStm.lexer);
  }

  /** `value`, or the object it refers to. */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    return value instanceof Ref ? this.fetch(value) : value;
  }

  /** `dict[key]`, resolved. */
  get(dict: Dict, key: string): PdfValue | undefined {
    return this.resolve(dict.get(key));
  }

  /**
   * A stream's data, decoded: any chain of FlateDecode, LZWDecode, ASCIIHexDecode,
   * ASCII85Decode and RunLengthDecode (by full or abbreviated name), each with its own
   * parameters (a PNG or TIFF predictor at 8 bits per component after Flate or LZW, LZW's
   * /EarlyChange), all within the document's decode budget. Other filters (image codecs,
   * Crypt) are left to pdfjs.
   */
  decodeStream(stream: Stream): Uint8Array {
    const dict = stream.dict;
    // pdfjs reads /F and /DP (the inline-image abbreviations) before /Filter and /DecodeParms.
    if (dict.get('F') !== undefined || dict.get('DP') !== undefined) throw new Unsupported('abbreviated filter keys in a stream');
    const filter = this.resolve(dict.get('Filter'));
    const parms = this.resolve(dict.get('DecodeParms'));
    let filters: { name: string; parms: PdfValue | undefined }[];
    if (filter instanceof Name) {
      filters = [{ name: filter.name, parms: Array.isArray(parms) ? undefined : parms }];
    } else if (Array.isArray(filter)) {
      filters = filter.map((f, i) => {
        const name = this.resolve(f);
        if (!(name instanceof Name)) throw new Unsupported('bad filter');
        return { name: name.name, parms: Array.isArray(parms) ? this.resolve(parms[i]) : undefined };
      });
    } else if (filter !== undefined && filter !== null) {
      throw new Unsupported('bad filter');
    } else {
      filters = [];
    }
    const raw = this.decryptor ? this.decryptor(stream.raw, stream.num, stream.gen) : stream.raw;
    // pdfjs reads a filtered stream of /Length 0 as empty.
    if (filters.length === 0 || stream.raw.length === 0) return raw;
    let data = raw;
    for (const { name, parms: p } of filters) {
      const filter = filterNamed(name);
      if (!filter) throw new Unsupported(`filter ${name}`);
      let earlyChange = 1;
      if (filter === 'LZWDecode' && p instanceof Dict) {
        const early = this.resolve(p.get('EarlyChange')) ?? 1;
        if (early !== 0 && early !== 1) throw new Unsupported('LZW /EarlyChange');
        earlyChange = early;
      }
      data = decodeFilter(filter, data, this.budget, { earlyChange });
      this.budget -= data.length;
      if (filter === 'FlateDecode' || filter === 'LZWDecode') data = this.predict(data, p);
    }
    return data;
  }

  /** Undoes the predictor that `parms` names (Flate and LZW data only), as pdfjs's PredictorStream. */
  private predict(data: Uint8Array, parms: PdfValue | undefined): Uint8Array {
    if (!(parms instanceof Dict)) {
      if (parms !== undefined && parms !== null) throw new Unsupported('bad DecodeParms');
      return data;
    }
    const predictor = this.resolve(parms.get('Predictor')) ?? 1;
    if (typeof predictor !== 'number') throw new Unsupported('predictor');
    if (predictor <= 1) return data;
    if (predictor !== 2 && (predictor < 10 || predictor > 15)) throw new Unsupported('predictor');
    const colors = this.resolve(parms.get('Colors')) ?? 1;
    const bpc = this.resolve(parms.get('BitsPerComponent')) ?? 8;
    const columns = this.resolve(parms.get('Columns')) ?? 1;
    if (parms.get('BPC') !== undefined || !isCount(colors) || !isCount(columns) || bpc !== 8) throw new Unsupported('predictor parameters');
    return predictor === 2 ? unpredictTiff(data, colors, columns) : unpredictPng(data, colors, columns);
  }
}

/**
 * The page count the root page tree node declares (its /Count), as pdfjs first reads it, or null
 * where it is not a whole number or cannot be read. Both readers compare it with the page limit
 * before walking the tree.
 */
export function declaredPageCount(file: PdfFile): number | null {
  try {
    const root = file.get(file.trailer, 'Root');
    const pages = root instanceof Dict ? file.get(root, 'Pages') : undefined;
    const count = pages instanceof Dict ? file.get(pages, 'Count') : undefined;
    return typeof count === 'number' && Number.isInteger(count) ? count : null;
  } catch (error) {
    // A bomb in an object stream is refused; anything else unreadable has no declared count.
    if (error instanceof PdfError) throw error;
    return null;
  }
}

function isCount(v: PdfValue | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 1 << 16;
}
