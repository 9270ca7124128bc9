/**
 * A PDF font, as far as text extraction needs it: how a shown string splits into character
 * codes, and each code's Unicode text and advance width. It follows what pdfjs derives for the
 * same font (its ToUnicode handling, encodings, width defaults, Type3 font matrices), and
 * throws `Unsupported` for every font whose text pdfjs would derive some other way: CMaps other
 * than Identity-H, vertical writing, composite fonts without ToUnicode, symbolic fonts without
 * a ToUnicode map other than embedded TrueType ones, glyph names this module does not know,
 * fonts relying on the embedded font program's own encoding, and so on.
 */
import { GLYPH_UNICODE, MAC_ROMAN_ENCODING, STANDARD_ENCODING, WIN_ANSI_ENCODING } from './encodings.ts';
import { Dict, Lexer, Name, Operator, Stream, Unsupported, type PdfFile, type PdfValue } from './objects.ts';
import { GLYPHS, WIDTHS } from './standard-font-widths.ts';

export interface Glyph {
  /** The character code as shown (one or two bytes). */
  code: number;
  unicode: string;
  /** Advance width in glyph space (1/1000 of the font size). */
  width: number;
  isWhitespace: boolean;
  isZeroWidthDiacritic: boolean;
  isInvisibleFormatMark: boolean;
}

export interface PdfFont {
  /** The font's name as pdfjs names it (text items break where the name and the size both change). */
  name: string;
  /** Character codes are two bytes (Identity-H) rather than one. */
  twoByte: boolean;
  /** The font matrix's horizontal scale: glyph space to text space (1/1000, but a Type3 font's own). */
  fontMatrixScale: number;
  /**
   * A Type3 font whose glyph height pdfjs puts into the text's transform: its size is multiplied
   * by `factor` when the font size is at most 1, or `always` (pdfjs took the glyphs' own boxes).
   */
  type3Height: { factor: number; always: boolean } | null;
  /** The glyph for a code; throws `Unsupported` when its text cannot be derived as pdfjs would. */
  glyph(code: number): Glyph;
}

// pdfjs classifies a glyph's text with this test: whitespace at the start, a non-spacing mark
// anywhere, or a format character at the end.
const CATEGORY = /^(\s)|(\p{Mn})|(\p{Cf})$/u;

function makeGlyph(code: number, unicode: string, width: number): Glyph {
  const m = CATEGORY.exec(unicode);
  return { code, unicode, width, isWhitespace: !!m?.[1], isZeroWidthDiacritic: !!m?.[2], isInvisibleFormatMark: !!m?.[3] };
}

/** pdfjs's normalizeFontName. */
function normalizeFontName(name: string): string {
  return name.replaceAll(/[,_]/g, '-').replaceAll(/\s/g, '');
}

const STANDARD_WIDTH_FONT: Record<string, string> = {
  Helvetica: 'Helvetica',
  'Helvetica-Oblique': 'Helvetica',
  'Helvetica-Bold': 'Helvetica-Bold',
  'Helvetica-BoldOblique': 'Helvetica-Bold',
  'Times-Roman': 'Times-Roman',
  'Times-Bold': 'Times-Bold',
  'Times-Italic': 'Times-Italic',
  'Times-BoldItalic': 'Times-BoldItalic',
};
const COURIER = new Set(['Courier', 'Courier-Bold', 'Courier-Oblique', 'Courier-BoldOblique']);
/** Fonts pdfjs treats as symbolic by name. */
const SYMBOL_FONTS = new Set(['Dingbats', 'Symbol', 'ZapfDingbats', 'Wingdings', 'Wingdings-Bold', 'Wingdings-Regular']);

interface Metrics {
  widths: Map<string, number>;
  defaultWidth: number;
}

const metricsCache = new Map<string, Metrics>();

/** The built-in metrics of a standard font by its exact name, or null (pdfjs would guess from aliases). */
function standardMetrics(name: string): Metrics | null {
  if (COURIER.has(name)) return { widths: new Map(), defaultWidth: 600 };
  const table = STANDARD_WIDTH_FONT[name];
  if (!table) return null;
  let m = metricsCache.get(table);
  if (!m) {
    const glyphs = GLYPHS.split(' ');
    const widths = WIDTHS[table]!.split(' ').map(Number);
    m = { widths: new Map(), defaultWidth: 0 };
    glyphs.forEach((g, i) => {
      if (widths[i]) m!.widths.set(g, widths[i]);
    });
    metricsCache.set(table, m);
  }
  return m;
}

function asName(v: PdfValue | undefined): string | null {
  return v instanceof Name ? v.name : null;
}

function asInt(v: PdfValue | undefined): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/** A simple font's /Widths array, from its /FirstChar on, into `widths` (code → width); entries that are not numbers are skipped. */
function readWidths(file: PdfFile, dict: Dict, widthArray: PdfValue[], widths: Map<number, number>): void {
  let code = asInt(file.get(dict, 'FirstChar')) ?? 0;
  for (const w of widthArray) {
    const v = file.resolve(w);
    if (typeof v === 'number') widths.set(code, v);
    code++;
  }
}

/** Big-endian integer of a byte string. */
function strToInt(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) v = ((v << 8) | s.charCodeAt(i)) >>> 0;
  return v;
}

/** A UTF-16BE byte string → text, as pdfjs decodes ToUnicode values. */
function utf16be(s: string): string {
  if (s.length % 2 !== 0) s = `\0${s}`;
  const units: number[] = [];
  for (let i = 0; i < s.length; i += 2) {
    const u = (s.charCodeAt(i) << 8) | s.charCodeAt(i + 1);
    if ((u & 0xf800) !== 0xd800) {
      units.push(u);
      continue;
    }
    i += 2;
    const low = (s.charCodeAt(i) << 8) | s.charCodeAt(i + 1);
    units.push(((u & 0x3ff) << 10) + (low & 0x3ff) + 0x10000);
  }
  return String.fromCodePoint(...units);
}

const MAX_RANGE = 0xffff;

/** A ToUnicode CMap (bfchar and bfrange only): code → text. */
function readToUnicode(file: PdfFile, stream: Stream): Map<number, string> {
  const lexer = new Lexer(file.decodeStream(stream));
  const raw = new Map<number, string>();
  const next = () => {
    const v = lexer.next();
    if (typeof v === 'symbol') throw new Unsupported('ToUnicode ends early');
    return v;
  };
  const str = (v: unknown): string => {
    if (typeof v !== 'string') throw new Unsupported('ToUnicode: expected a string');
    return v;
  };
  for (;;) {
    const v = lexer.next();
    if (typeof v === 'symbol') break;
    if (!(v instanceof Operator)) continue;
    switch (v.op) {
      case 'endcmap':
        return decode(raw);
      case 'usecmap':
      case 'begincidchar':
      case 'begincidrange':
        throw new Unsupported(`ToUnicode ${v.op}`);
      case 'beginbfchar':
        for (;;) {
          const src = next();
          if (src instanceof Operator && src.op === 'endbfchar') break;
          raw.set(strToInt(str(src)), str(next()));
        }
        break;
      case 'beginbfrange':
        for (;;) {
          const lo = next();
          if (lo instanceof Operator && lo.op === 'endbfrange') break;
          let low = strToInt(str(lo));
          const high = strToInt(str(next()));
          if (high < low || high - low > MAX_RANGE) throw new Unsupported('ToUnicode range');
          const dst = next();
          if (typeof dst === 'string') {
            if (dst.length === 0) throw new Unsupported('ToUnicode empty range value');
            let d = dst;
            const last = d.length - 1;
            while (low <= high) {
              raw.set(low++, d);
              const c = d.charCodeAt(last) + 1;
              if (c > 255) {
                if (last === 0) throw new Unsupported('ToUnicode range overflow');
                d = d.substring(0, last - 1) + String.fromCharCode(d.charCodeAt(last - 1) + 1) + '\0';
                continue;
              }
              d = d.substring(0, last) + String.fromCharCode(c);
            }
          } else if (Array.isArray(dst)) {
            for (let i = 0; low <= high && i < dst.length; i++) raw.set(low++, str(dst[i]));
          } else {
            throw new Unsupported('ToUnicode range value');
          }
        }
        break;
      default:
        break;
    }
  }
  throw new Unsupported('ToUnicode without endcmap');

  function decode(m: Map<number, string>): Map<number, string> {
    const out = new Map<number, string>();
    for (const [code, value] of m) out.set(code, utf16be(value));
    return out;
  }
}

interface SimpleEncoding {
  /** The base encoding: code → glyph name; null when pdfjs would take one this module cannot (see `problem`). */
  base: string[] | null;
  /** Why `base` is null. Only matters for codes whose text comes from the encoding. */
  problem: string | null;
  baseName: string | null;
  differences: Map<number, string>;
  hasEncoding: boolean;
}

/** The encoding pdfjs would settle on for a simple font, or Unsupported. */
function simpleEncoding(file: PdfFile, dict: Dict, type: string, flags: number, fontName: string, fontFile: FontFile | null): SimpleEncoding {
  const embedded = fontFile !== null;
  const differences = new Map<number, string>();
  let baseName: string | null = null;
  const enc = file.get(dict, 'Encoding');
  if (enc instanceof Name) {
    baseName = enc.name;
  } else if (enc instanceof Dict) {
    baseName = asName(file.get(enc, 'BaseEncoding'));
    const diffs = file.get(enc, 'Differences');
    if (diffs !== undefined) {
      if (!Array.isArray(diffs)) throw new Unsupported('bad Differences');
      let code = 0;
      for (const item of diffs) {
        const v = file.resolve(item);
        if (typeof v === 'number') code = v;
        else if (v instanceof Name) differences.set(code++, v.name);
        else throw new Unsupported('bad Differences entry');
      }
    }
  } else if (enc !== undefined) {
    throw new Unsupported('Encoding is neither a name nor a dictionary');
  }
  if (baseName !== 'MacRomanEncoding' && baseName !== 'MacExpertEncoding' && baseName !== 'WinAnsiEncoding') baseName = null;
  // pdfjs ignores a named encoding of a non-embedded symbol font, and turns some Chinese-named fonts into CJK fonts.
  if (baseName && !embedded && SYMBOL_FONTS.has(fontName)) baseName = null;
  if (/[^\x20-\x7e]/.test(fontName)) throw new Unsupported('non-ASCII font name');
  let base: string[] | null = null;
  let problem: string | null = null;
  if (baseName === 'WinAnsiEncoding') {
    base = WIN_ANSI_ENCODING;
  } else if (baseName === 'MacRomanEncoding') {
    base = MAC_ROMAN_ENCODING;
  } else if (baseName !== null) {
    problem = baseName;
  } else {
    let symbolic = (flags & 4) !== 0;
    const nonsymbolic = (flags & 32) !== 0;
    if (type === 'TrueType' && symbolic && nonsymbolic && differences.size !== 0) symbolic = false;
    if ((symbolic || SYMBOL_FONTS.has(fontName)) && type === 'TrueType' && fontFile?.key === 'FontFile2') {
      // pdfjs takes MacRoman for an embedded symbolic TrueType font, but WinAnsi where the font
      // program names itself only for Windows (and the font dictionary gives no encoding at all)
      // and pdfjs could repair the font program; that last this reader cannot tell.
      if (differences.size === 0 && windowsOnlyNames(file.decodeStream(fontFile.stream))) throw new Unsupported('symbolic TrueType font named for Windows only');
      base = MAC_ROMAN_ENCODING;
    } else if (symbolic || SYMBOL_FONTS.has(fontName)) problem = 'symbolic font without a base encoding';
    // Without a base encoding, pdfjs reads an embedded font program's own encoding.
    else if (embedded) problem = 'embedded font without a base encoding';
    else base = type === 'TrueType' && !nonsymbolic ? WIN_ANSI_ENCODING : STANDARD_ENCODING;
  }
  return { base, problem, baseName, differences, hasEncoding: baseName !== null || differences.size > 0 };
}

function baseOf(enc: SimpleEncoding): string[] {
  if (!enc.base) throw new Unsupported(enc.problem ?? 'no base encoding');
  return enc.base;
}

/** The glyph name pdfjs gives a code for text: a Differences entry (but not .notdef), else the base encoding's. */
function glyphNameForText(enc: SimpleEncoding, code: number): string {
  const d = enc.differences.get(code);
  return d !== undefined && d !== '.notdef' ? d : (baseOf(enc)[code] ?? '');
}

/** The text pdfjs derives for a code from its glyph name, or Unsupported. */
function unicodeFromEncoding(enc: SimpleEncoding, code: number): string {
  const name = glyphNameForText(enc, code);
  if (name === '') throw new Unsupported('code without a glyph name');
  const u = GLYPH_UNICODE.get(name);
  if (u !== undefined) return String.fromCharCode(u);
  const m = /^uni([0-9A-F]{4})$/.exec(name);
  if (m) {
    const h = parseInt(m[1]!, 16);
    if (h > 0 && !(enc.baseName && h === code)) return String.fromCodePoint(h);
  }
  throw new Unsupported(`glyph name ${name}`);
}

/**
 * Whether the name table of a TrueType font program has records, and the ones pdfjs reads
 * (Macintosh Roman, and Windows Unicode US English) are all Windows ones.
 */
function windowsOnlyNames(program: Uint8Array): boolean {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const fail = (why: string): never => {
    throw new Unsupported(`TrueType font program: ${why}`);
  };
  if (program.length < 12) fail('too short');
  const version = view.getUint32(0);
  if (version !== 0x00010000 && version !== 0x74727565) fail('not a TrueType font');
  const tables = view.getUint16(4);
  if (12 + 16 * tables > program.length) fail('table directory cut short');
  for (let i = 0; i < tables; i++) {
    const at = 12 + 16 * i;
    if (view.getUint32(at) !== 0x6e616d65) continue; // 'name'
    const start = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    if (start + length > program.length) fail('name table outside the font');
    if (length < 6 || view.getUint16(start) !== 0) return false;
    const count = view.getUint16(start + 2);
    let mac = 0;
    let windows = 0;
    for (let r = 0, pos = start + 6; r < count && pos + 12 <= start + length; r++, pos += 12) {
      const platform = view.getUint16(pos);
      const encoding = view.getUint16(pos + 2);
      const language = view.getUint16(pos + 4);
      if (platform === 1 && encoding === 0 && language === 0) mac++;
      else if (platform === 3 && encoding === 1 && language === 0x409) windows++;
    }
    return windows > 0 && mac === 0;
  }
  // Without a name table, pdfjs makes one up and leaves the text alone.
  return false;
}

interface FontFile {
  key: 'FontFile' | 'FontFile2' | 'FontFile3';
  stream: Stream;
}

function descriptorInfo(file: PdfFile, dict: Dict): { descriptor: Dict | null; name: string; fontFile: FontFile | null; flags: number } {
  const base = asName(file.get(dict, 'BaseFont'));
  const fd = file.get(dict, 'FontDescriptor');
  if (fd === undefined) {
    if (base === null) throw new Unsupported('font without BaseFont');
    return { descriptor: null, name: normalizeFontName(base), fontFile: null, flags: 0 };
  }
  if (!(fd instanceof Dict)) throw new Unsupported('bad FontDescriptor');
  const fontName = file.get(fd, 'FontName');
  if (fontName !== undefined && !(fontName instanceof Name)) throw new Unsupported('bad FontName');
  const name = fontName?.name ?? base;
  if (name === null || (base !== null && name !== base)) throw new Unsupported('FontName differs from BaseFont');
  let fontFile: FontFile | null = null;
  for (const key of ['FontFile', 'FontFile2', 'FontFile3'] as const) {
    const f = file.get(fd, key);
    if (f === undefined || f === null) continue;
    if (!(f instanceof Stream)) throw new Unsupported('bad font file');
    if (f.raw.length === 0) throw new Unsupported('empty font file');
    fontFile = { key, stream: f };
    break;
  }
  return { descriptor: fd, name, fontFile, flags: asInt(file.get(fd, 'Flags')) ?? 0 };
}

function toUnicodeOf(file: PdfFile, ...dicts: Dict[]): Map<number, string> | null {
  for (const d of dicts) {
    const t = file.get(d, 'ToUnicode');
    if (t === undefined || t === null) continue;
    if (!(t instanceof Stream)) throw new Unsupported('ToUnicode is not a stream');
    const map = readToUnicode(file, t);
    // pdfjs ignores an empty map.
    return map.size > 0 ? map : null;
  }
  return null;
}

function simpleFont(file: PdfFile, dict: Dict, type: string): PdfFont {
  const { descriptor, name, fontFile, flags } = descriptorInfo(file, dict);
  const embedded = fontFile !== null;
  const simulatedFlags = descriptor ? flags : (COURIER.has(name) ? 1 : 0) | (name.startsWith('Times') ? 2 : 0) | (SYMBOL_FONTS.has(name.split('-')[0]!) ? 4 : 32);
  const enc = simpleEncoding(file, dict, type, simulatedFlags, name, fontFile);
  const toUnicode = toUnicodeOf(file, dict);
  if (!toUnicode) baseOf(enc);

  // Widths: /Widths from /FirstChar, else the standard font's metrics by glyph name.
  const widths = new Map<number, number>();
  let defaultWidth = 0;
  const widthArray = file.get(dict, 'Widths');
  const metrics = standardMetrics(name);
  if (Array.isArray(widthArray)) {
    readWidths(file, dict, widthArray, widths);
    if (descriptor) {
      const missing = file.get(descriptor, 'MissingWidth');
      defaultWidth = typeof missing === 'number' ? missing : 0;
    } else {
      if (!metrics) throw new Unsupported('non-standard font without a descriptor');
      defaultWidth = metrics.defaultWidth;
    }
  } else {
    if (!metrics) throw new Unsupported('no /Widths for a non-standard font');
    defaultWidth = metrics.defaultWidth;
    for (let code = 0; code < 256; code++) {
      const d = enc.differences.get(code);
      const w = (d !== undefined ? metrics.widths.get(d) : undefined) || metrics.widths.get(baseOf(enc)[code] ?? '');
      if (w) widths.set(code, w);
    }
  }

  const glyphs = new Array<Glyph | undefined>(256);
  return {
    name,
    twoByte: false,
    fontMatrixScale: 0.001,
    type3Height: null,
    glyph(code) {
      const cached = glyphs[code];
      if (cached) return cached;
      let unicode: string | undefined;
      if (toUnicode) {
        unicode = toUnicode.get(code);
        if (unicode === undefined && enc.hasEncoding) unicode = unicodeFromEncoding(enc, code);
        if (unicode === undefined) throw new Unsupported('code missing from ToUnicode');
      } else {
        unicode = unicodeFromEncoding(enc, code);
      }
      // pdfjs reads a code with no glyph name in a non-embedded Type1 font as a space, whatever its ToUnicode says.
      if (!embedded && type === 'Type1' && (enc.differences.get(code) || baseOf(enc)[code] || '') === '') throw new Unsupported('unencoded code');
      const g = makeGlyph(code, unicode || String.fromCharCode(code), widths.get(code) ?? defaultWidth);
      glyphs[code] = g;
      return g;
    },
  };
}

function compositeFont(file: PdfFile, dict: Dict): PdfFont {
  const encoding = file.get(dict, 'Encoding');
  if (!(encoding instanceof Name) || encoding.name !== 'Identity-H') throw new Unsupported('CMap other than Identity-H');
  const descendants = file.get(dict, 'DescendantFonts');
  const cid = file.resolve(Array.isArray(descendants) ? descendants[0] : descendants);
  if (!(cid instanceof Dict)) throw new Unsupported('no descendant font');
  const subtype = asName(file.get(cid, 'Subtype'));
  if (subtype !== 'CIDFontType0' && subtype !== 'CIDFontType2') throw new Unsupported('descendant font type');
  const { descriptor, name } = descriptorInfo(file, cid);
  if (!descriptor) throw new Unsupported('CID font without a descriptor');
  if (/[^\x20-\x7e]/.test(name)) throw new Unsupported('CJK font name');
  const toUnicode = toUnicodeOf(file, cid, dict);
  if (!toUnicode) throw new Unsupported('composite font without ToUnicode');

  const dw = file.get(cid, 'DW');
  const defaultWidth = typeof dw === 'number' ? Math.ceil(dw) : 1000;
  const widths = new Map<number, number>();
  const w = file.get(cid, 'W');
  if (Array.isArray(w)) {
    for (let i = 0; i < w.length; i++) {
      let first = file.resolve(w[i++]);
      if (!Number.isInteger(first)) break;
      const next = file.resolve(w[i]);
      if (Array.isArray(next)) {
        for (const item of next) {
          const v = file.resolve(item);
          if (typeof v === 'number') widths.set(first as number, v);
          first = (first as number) + 1;
        }
      } else if (Number.isInteger(next)) {
        const v = file.resolve(w[++i]);
        if (typeof v !== 'number') continue;
        for (let c = first as number; c <= (next as number); c++) widths.set(c, v);
      } else {
        break;
      }
    }
  }
  const glyphs = new Map<number, Glyph>();
  return {
    name,
    twoByte: true,
    fontMatrixScale: 0.001,
    type3Height: null,
    glyph(code) {
      let g = glyphs.get(code);
      if (g) return g;
      const unicode = toUnicode.get(code);
      if (unicode === undefined) throw new Unsupported('code missing from ToUnicode');
      g = makeGlyph(code, unicode || String.fromCharCode(code), widths.get(code) ?? defaultWidth);
      glyphs.set(code, g);
      return g;
    },
  };
}

const FONT_IDENTITY_MATRIX = [0.001, 0, 0, 0.001, 0, 0];

/** An array of `length` numbers (references resolved), or null, as pdfjs's isNumberArray checks it. */
function numbers(file: PdfFile, value: PdfValue | undefined, length: number): number[] | null {
  if (!Array.isArray(value) || value.length !== length) return null;
  const out = value.map((v) => file.resolve(v));
  return out.every((v) => typeof v === 'number') ? out : null;
}

function normalRect(r: number[]): [number, number, number, number] {
  return [Math.min(r[0]!, r[2]!), Math.min(r[1]!, r[3]!), Math.max(r[0]!, r[2]!), Math.max(r[1]!, r[3]!)];
}

/**
 * The union of a Type3 font's glyph boxes where pdfjs uses them instead of the font's box: when
 * the font box is empty, or some glyph's box (`d1`) is ten times larger than it. Null otherwise.
 */
function type3CharBBox(file: PdfFile, charProcs: Dict, fontBBox: [number, number, number, number]): [number, number, number, number] | null {
  const fontDiagonal = Math.hypot(fontBBox[2] - fontBBox[0], fontBBox[3] - fontBBox[1]);
  let box: [number, number, number, number] | null = null;
  for (const key of charProcs.map.keys()) {
    const proc = file.get(charProcs, key);
    if (!(proc instanceof Stream)) throw new Unsupported('Type3 glyph is not a stream');
    const lexer = new Lexer(file.decodeStream(proc));
    const operands: number[] = [];
    let v = lexer.next();
    for (; typeof v === 'number'; v = lexer.next()) operands.push(v);
    if (!(v instanceof Operator)) throw new Unsupported('Type3 glyph does not start with d0 or d1');
    const op = v.op;
    if (op === 'd0' && operands.length === 2) {
      // pdfjs would measure the glyph's paths.
      if (fontDiagonal === 0) throw new Unsupported('Type3 glyph box from its paths');
      continue;
    }
    if (op !== 'd1' || operands.length !== 6) throw new Unsupported('Type3 glyph does not start with d0 or d1');
    const r = normalRect(operands.slice(2));
    const width = r[2] - r[0];
    const height = r[3] - r[1];
    if (width === 0 || height === 0) continue;
    if (fontDiagonal === 0 || Math.round(Math.hypot(width, height) / fontDiagonal) >= 10) {
      box ??= [Infinity, Infinity, -Infinity, -Infinity];
      box = [Math.min(box[0], r[0]), Math.min(box[1], r[1]), Math.max(box[2], r[2]), Math.max(box[3], r[3])];
    }
  }
  return box;
}

/**
 * A Type3 font (matplotlib's PDF backend writes its text in them): text from ToUnicode or the
 * glyph names of /Encoding, widths from /Widths in glyph space, scaled by /FontMatrix. The
 * glyph procedures are never run; only their `d1` boxes are read when pdfjs would use them.
 */
function type3Font(file: PdfFile, dict: Dict): PdfFont {
  const fd = file.get(dict, 'FontDescriptor');
  if (fd !== undefined && !(fd instanceof Dict)) throw new Unsupported('bad FontDescriptor');
  const descriptor = fd ?? new Dict();
  const fontName = file.get(descriptor, 'FontName');
  const name = fontName instanceof Name ? fontName.name : typeof fontName === 'string' ? fontName : 'Type3';
  if (/[^\x20-\x7e]/.test(name)) throw new Unsupported('non-ASCII font name');
  const flags = asInt(file.get(descriptor, 'Flags')) ?? 0;
  const enc = simpleEncoding(file, dict, 'Type3', flags, name, null);
  const toUnicode = toUnicodeOf(file, dict);
  if (!toUnicode) baseOf(enc);

  const matrix = numbers(file, file.get(dict, 'FontMatrix'), 6) ?? FONT_IDENTITY_MATRIX;
  const rawBox = file.get(descriptor, 'FontBBox') ?? file.get(dict, 'FontBBox');
  const boxNumbers = numbers(file, rawBox, 4);
  let bbox = boxNumbers ? normalRect(boxNumbers) : ([0, 0, 0, 0] as [number, number, number, number]);
  let type3Height: PdfFont['type3Height'] = null;
  // The glyph height matters only with a font matrix other than the usual one.
  if (!matrix.every((v, i) => v === FONT_IDENTITY_MATRIX[i])) {
    const charProcs = file.get(dict, 'CharProcs');
    if (!(charProcs instanceof Dict)) throw new Unsupported('Type3 font without CharProcs');
    const charBox = type3CharBBox(file, charProcs, bbox);
    if (charBox) bbox = charBox;
    const glyphHeight = bbox[3] - bbox[1];
    if (glyphHeight > 0) type3Height = { factor: glyphHeight * matrix[3]!, always: charBox !== null };
  }

  const widthArray = file.get(dict, 'Widths');
  if (!Array.isArray(widthArray)) throw new Unsupported('Type3 font without /Widths');
  const widths = new Map<number, number>();
  readWidths(file, dict, widthArray, widths);
  const missing = file.get(descriptor, 'MissingWidth');
  const defaultWidth = typeof missing === 'number' ? missing : 0;

  const glyphs = new Array<Glyph | undefined>(256);
  return {
    name,
    twoByte: false,
    fontMatrixScale: matrix[0]!,
    type3Height,
    glyph(code) {
      const cached = glyphs[code];
      if (cached) return cached;
      // pdfjs amends no Type3 font's ToUnicode map from its encoding.
      const unicode = toUnicode ? toUnicode.get(code) : unicodeFromEncoding(enc, code);
      if (unicode === undefined) throw new Unsupported('code missing from ToUnicode');
      const g = makeGlyph(code, unicode || String.fromCharCode(code), widths.get(code) ?? defaultWidth);
      glyphs[code] = g;
      return g;
    },
  };
}

/** Reads a font dictionary; throws `Unsupported` for fonts the lean extractor leaves to pdfjs. */
export function loadFont(file: PdfFile, value: PdfValue | undefined): PdfFont {
  const dict = file.resolve(value);
  if (!(dict instanceof Dict)) throw new Unsupported('font is not a dictionary');
  const subtype = asName(file.get(dict, 'Subtype'));
  switch (subtype) {
    case 'Type1':
    case 'TrueType':
      return simpleFont(file, dict, subtype);
    case 'Type0':
      return compositeFont(file, dict);
    case 'Type3':
      return type3Font(file, dict);
    default:
      throw new Unsupported(`font type ${subtype}`);
  }
}
