/**
 * A lean text extractor for text-layer PDFs: reads the page tree, decodes the content streams
 * and interprets their text operators, without pdfjs. It builds text items by pdfjs's own rules
 * (`getTextContent`: where a run of glyphs becomes one item, where a gap becomes a space, where
 * a jump starts a new item), so that its items are the ones pdfjs gives, and it converts them to
 * `TextItem`s exactly as `pdf-text.ts` converts pdfjs's.
 *
 * Encrypted files are read when the given password (or the empty user password) opens them as it
 * opens them for pdfjs (decrypt.ts). Anything it does not handle exactly as pdfjs does (a
 * password that does not open the file, image or Crypt filters, fonts whose text pdfjs would
 * take from the font program, vertical or right-to-left text, inline images, malformed syntax,
 * …) throws `Unsupported`, and the caller reads the whole document with pdfjs instead. A
 * document over its work budget (`WORK_LIMITS`) is refused with PDF_OVER_BUDGET instead. It is several times faster than pdfjs because it never parses font
 * programs, builds no glyph objects or operator lists, and passes nothing between pdfjs's
 * "worker" and API sides.
 */
import type { PdfPage, PdfText, TextItem } from './text-items.ts';
import { standardDecryptor } from './decrypt.ts';
import { PdfError } from './pdf-error.ts';
import { loadFont, type PdfFont } from './fonts.ts';
import { declaredPageCount, Dict, Lexer, Name, PdfFile, Ref, Stream, TOKEN_NUMBER, TOKEN_OPERATOR, TOKEN_VALUE, Unsupported, type PdfValue } from './objects.ts';

export { Unsupported } from './objects.ts';

type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** pdfjs's Util.transform, with the same operations in the same order (so the same doubles). */
function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

/** Math.hypot, faster for the usual axis-aligned case (where it is exactly |a| or |b|). */
function hypot(a: number, b: number): number {
  if (b === 0) return Math.abs(a);
  if (a === 0) return Math.abs(b);
  return Math.hypot(a, b);
}

/** Text and graphics state, as pdfjs's TextState keeps it (saved and restored by q/Q). */
interface State {
  ctm: Matrix;
  font: PdfFont | null;
  /** The font's resource name (`/F1`). */
  fontName: string | null;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  leading: number;
  hScale: number;
  rise: number;
  textMatrix: Matrix;
  textLineMatrix: Matrix;
}

function cloneState(s: State): State {
  return { ...s, ctm: [...s.ctm] as Matrix, textMatrix: [...s.textMatrix] as Matrix, textLineMatrix: [...s.textLineMatrix] as Matrix };
}

/** Copies `from` into `to` (q and Q reuse their states rather than allocate one per q). */
function copyState(from: State, to: State): void {
  to.font = from.font;
  to.fontName = from.fontName;
  to.fontSize = from.fontSize;
  to.charSpacing = from.charSpacing;
  to.wordSpacing = from.wordSpacing;
  to.leading = from.leading;
  to.hScale = from.hScale;
  to.rise = from.rise;
  copyMatrix(from.ctm, to.ctm);
  copyMatrix(from.textMatrix, to.textMatrix);
  copyMatrix(from.textLineMatrix, to.textLineMatrix);
}

function copyMatrix(from: Matrix, to: Matrix): void {
  setMatrix(to, from[0], from[1], from[2], from[3], from[4], from[5]);
}

function setMatrix(m: Matrix, a: number, b: number, c: number, d: number, e: number, f: number): void {
  m[0] = a;
  m[1] = b;
  m[2] = c;
  m[3] = d;
  m[4] = e;
  m[5] = f;
}

function newState(): State {
  return {
    ctm: [...IDENTITY] as Matrix,
    font: null,
    fontName: null,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    leading: 0,
    hScale: 1,
    rise: 0,
    textMatrix: [...IDENTITY] as Matrix,
    textLineMatrix: [...IDENTITY] as Matrix,
  };
}

// pdfjs's thresholds, as fractions of the font size.
const TRACKING_SPACE = 0.102;
const NOT_A_SPACE = 0.03;
const NEGATIVE_SPACE_MAX = -0.2;
const SPACE_IN_FLOW_MIN = 0.102;
const SPACE_IN_FLOW_MAX = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;

// Characters pdfjs replaces by their NFKC form in extracted text (ligatures, spaces, …).
const NORMALIZE =
  /([\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc-\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa-\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+)|(\ufb05+)/gu;
/** Right-to-left characters, which pdfjs reorders (the lean path leaves such text to it). */
const RTL = /[\u0590-\u05f4\u0600-\u08ac\ufb50-\ufdff\ufe70-\ufeff]/;
const NON_ASCII = /[\u0080-\uffff]/;

function normalizeText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  if (RTL.test(text)) throw new Unsupported('right-to-left text');
  return text.replace(NORMALIZE, normalizeMatch);
}

function normalizeMatch(_all: string, chars: string | undefined, longST: string | undefined): string {
  return chars ? chars.normalize('NFKC') : '\u017ft'.repeat((longST ?? '').length);
}

interface PageGeometry {
  /** pdfjs's page.view: the crop box within the media box. */
  view: [number, number, number, number];
  width: number;
  height: number;
}

interface Scope {
  resources: Dict;
  /** XObjects being drawn, to refuse cycles. */
  forms: Set<number>;
  work: WorkBudget;
}

/**
 * How much interpreting one page, and one document, may take. A content stream or form
 * XObject counts each time it is drawn, so a small file whose pages all draw one huge stream
 * (or one form many times) is refused, not read for minutes.
 *
 * Measured on generated statements of 16,000 transactions (HDFC and SBI layouts, 509 and 529
 * pages, 1.5 MB): at most 1,810 operators, 4,320 string bytes and 25 KB of content on a page
 * (Chromium, LibreOffice and matplotlib pages: at most 1,760 operators, 7,700 string bytes and
 * 27 KB), and per page on average 1,630 operators, 3,900 string bytes and 23 KB; 844,000
 * operators, 2.1 million string bytes and 12 MB of content in all, read in about 2.3 s.
 *
 * Pages that draw vector graphics (a logo, rules, charts) as paths take many more operators
 * and content bytes than text: a 300 KB vector logo on every page is 30,000 operators a page.
 * So a page may take 250,000 glyphs (30 times the most seen) and 500,000 operators or 8 MB of
 * content; a document, per page on average, 20,000 glyphs (five times the average), 40,000
 * operators and 512 KB of content, with floors for short documents. Reaching a document limit
 * takes a few seconds at most (test/pdf/work-budget.test.ts builds such files).
 */
export const WORK_LIMITS = {
  pageOperators: 500_000,
  pageGlyphs: 250_000,
  pageContentBytes: 8 * 2 ** 20,
  documentOperatorsPerPage: 40_000,
  documentGlyphsPerPage: 20_000,
  documentContentBytesPerPage: 512 * 2 ** 10,
  documentOperators: 2_000_000,
  documentGlyphs: 2_500_000,
  documentContentBytes: 64 * 2 ** 20,
};

/** Counts the work a document's pages take, within `WORK_LIMITS`. */
class WorkBudget {
  operators = 0;
  glyphs = 0;
  contentBytes = 0;
  private pageOperators = 0;
  private pageGlyphs = 0;
  private pageContentBytes = 0;
  readonly maxOperators: number;
  readonly maxGlyphs: number;
  readonly maxContentBytes: number;

  constructor(pageCount: number) {
    this.maxOperators = Math.max(WORK_LIMITS.documentOperators, pageCount * WORK_LIMITS.documentOperatorsPerPage);
    this.maxGlyphs = Math.max(WORK_LIMITS.documentGlyphs, pageCount * WORK_LIMITS.documentGlyphsPerPage);
    this.maxContentBytes = Math.max(WORK_LIMITS.documentContentBytes, pageCount * WORK_LIMITS.documentContentBytesPerPage);
  }

  startPage(): void {
    this.pageOperators = this.pageGlyphs = this.pageContentBytes = 0;
  }

  /** Before a content stream (a page's, or a form's) is interpreted. */
  content(bytes: number): void {
    this.contentBytes += bytes;
    this.pageContentBytes += bytes;
    if (this.pageContentBytes > WORK_LIMITS.pageContentBytes || this.contentBytes > this.maxContentBytes) overWorked();
  }

  operator(): void {
    if (++this.pageOperators > WORK_LIMITS.pageOperators || ++this.operators > this.maxOperators) overWorked();
  }

  /** Character codes shown, or elements of a TJ array. */
  glyph(count: number): void {
    this.glyphs += count;
    this.pageGlyphs += count;
    if (this.pageGlyphs > WORK_LIMITS.pageGlyphs || this.glyphs > this.maxGlyphs) overWorked();
  }
}

function overWorked(): never {
  throw new PdfError('PDF_OVER_BUDGET', 'The file takes far more work to read than a statement does');
}

/** Uint16Array holds code units little-endian here, as UTF-16LE strings are decoded. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const FONT_CACHE = new WeakMap<PdfFile, Map<PdfValue, PdfFont>>();
/** The fonts a resource dictionary names, once loaded (pages set fonts by name thousands of times). */
const RESOURCE_FONTS = new WeakMap<Dict, Map<string, PdfFont>>();

/**
 * One run of pdfjs's getTextContent over a content stream (a page's, or a form XObject's, which
 * pdfjs reads with a fresh item builder): the item being built and the last characters seen.
 */
class TextContent {
  private readonly file: PdfFile;
  private readonly geometry: PageGeometry;
  private readonly out: TextItem[];
  private readonly scope: Scope;
  /** States saved by q, reused: `savedStates[0 … saveDepth - 1]` are the saved ones. */
  private readonly savedStates: State[] = [];
  private saveDepth = 0;
  private state: State;
  /** pdfjs's `preTextState`: the font and size when the item was last broken for a font change. */
  private last: { fontSize: number; fontName: string | null; font: PdfFont | null } | null = null;

  // The text content item (pdfjs's textContentItem).
  private initialized = false;
  /** The item's text so far, as UTF-16 code units (pdfjs keeps an array of pieces, none empty). */
  private chars = new Uint16Array(256);
  /** The bytes of `chars`. */
  private charBytes = Buffer.from(this.chars.buffer);
  private charCount = 0;
  private totalWidth = 0;
  private width = 0;
  private height = 0;
  private prevTransform: Matrix | null = null;
  private readonly prevStore: Matrix = [0, 0, 0, 0, 0, 0];
  private readonly scratch: Matrix = [0, 0, 0, 0, 0, 0];
  private prevTextRise = 0;
  private textAdvanceScale = 0;
  private spaceInFlowMin = 0;
  private spaceInFlowMax = 0;
  private trackingSpaceMin = Infinity;
  private negativeSpaceMax = -Infinity;
  private notASpace = -Infinity;
  private transform: Matrix | null = null;
  /** Where `transform` is kept: read only when the item ends, before the next one starts. */
  private readonly transformStore: Matrix = [0, 0, 0, 0, 0, 0];
  private lastChars: [string, string] = [' ', ' '];
  private lastCharIndex = 0;

  constructor(file: PdfFile, geometry: PageGeometry, out: TextItem[], scope: Scope, state: State) {
    this.file = file;
    this.geometry = geometry;
    this.out = out;
    this.scope = scope;
    this.state = state;
  }

  // --- pdfjs's helpers, one for one -------------------------------------------------------

  private saveLastChar(char: string): boolean {
    const next = (this.lastCharIndex + 1) % 2;
    const addSpace = this.lastChars[this.lastCharIndex] !== ' ' && this.lastChars[next] === ' ';
    this.lastChars[this.lastCharIndex] = char;
    this.lastCharIndex = next;
    return addSpace;
  }

  private shouldAddWhitespace(): boolean {
    return this.lastChars[this.lastCharIndex] !== ' ' && this.lastChars[(this.lastCharIndex + 1) % 2] === ' ';
  }

  private resetLastChars(): void {
    this.lastChars[0] = this.lastChars[1] = ' ';
    this.lastCharIndex = 0;
  }

  /** ctm × textMatrix × [size·hScale 0 0 size 0 rise], as `multiply` twice would give, into `out`. */
  private transformInto(out: Matrix): void {
    const s = this.state;
    const tm = s.textMatrix;
    const c = s.ctm;
    const a0 = s.fontSize * s.hScale;
    const type3 = s.font?.type3Height;
    const d0 = type3 && (s.fontSize <= 1 || type3.always) ? s.fontSize * type3.factor : s.fontSize;
    const f0 = s.rise;
    const a = tm[0] * a0 + tm[2] * 0;
    const b = tm[1] * a0 + tm[3] * 0;
    const cc = tm[0] * 0 + tm[2] * d0;
    const d = tm[1] * 0 + tm[3] * d0;
    const e = tm[0] * 0 + tm[2] * f0 + tm[4];
    const f = tm[1] * 0 + tm[3] * f0 + tm[5];
    out[0] = c[0] * a + c[2] * b;
    out[1] = c[1] * a + c[3] * b;
    out[2] = c[0] * cc + c[2] * d;
    out[3] = c[1] * cc + c[3] * d;
    out[4] = c[0] * e + c[2] * f + c[4];
    out[5] = c[1] * e + c[3] * f + c[5];
  }

  private ensureItem(): void {
    if (this.initialized) return;
    const s = this.state;
    const t = (this.transform = this.transformStore);
    this.transformInto(t);
    this.width = this.totalWidth = 0;
    this.height = hypot(t[2], t[3]);
    const lineScale = hypot(s.textLineMatrix[0], s.textLineMatrix[1]);
    const ctmScale = hypot(s.ctm[0], s.ctm[1]);
    this.textAdvanceScale = ctmScale * lineScale;
    const size = s.fontSize;
    this.trackingSpaceMin = size * TRACKING_SPACE;
    this.notASpace = size * NOT_A_SPACE;
    this.negativeSpaceMax = size * NEGATIVE_SPACE_MAX;
    this.spaceInFlowMin = size * SPACE_IN_FLOW_MIN;
    this.spaceInFlowMax = size * SPACE_IN_FLOW_MAX;
    this.initialized = true;
  }

  private updateAdvanceScale(): void {
    if (!this.initialized) return;
    const s = this.state;
    const scale = hypot(s.ctm[0], s.ctm[1]) * hypot(s.textLineMatrix[0], s.textLineMatrix[1]);
    if (scale !== this.textAdvanceScale) {
      this.totalWidth += this.width * this.textAdvanceScale;
      this.width = 0;
      this.textAdvanceScale = scale;
    }
  }

  /** Ends the item being built; a non-blank one becomes a TextItem as pdf-text.ts's readPage makes it. */
  private flush(): void {
    if (!this.initialized) return;
    this.totalWidth += this.width * this.textAdvanceScale;
    // A blank item is no TextItem (checked on the code units: no string made for it).
    if (!this.isBlank()) {
      const text = normalizeText(this.itemText());
      const t = this.transform!;
      const x = t[4];
      const baseline = this.geometry.height - t[5];
      const size = hypot(t[2], t[3]) || this.height;
      this.out.push({ text, x0: x, x1: x + Math.abs(this.totalWidth), top: baseline - size * 0.8, bottom: baseline + size * 0.2 });
    }
    this.initialized = false;
    this.charCount = 0;
  }

  /** Whether the item's text is all whitespace, as String.prototype.trim sees it (normalizing keeps a text blank or not). */
  private isBlank(): boolean {
    const chars = this.chars;
    for (let i = 0; i < this.charCount; i++) {
      const c = chars[i]!;
      if (c > 32 && c < 0xa0) return false;
      if (!(c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff)) return false;
    }
    return true;
  }

  private append(text: string): void {
    if (this.charCount + text.length > this.chars.length) {
      const bigger = new Uint16Array(Math.max(this.chars.length * 2, this.charCount + text.length));
      bigger.set(this.chars);
      this.chars = bigger;
    }
    for (let i = 0; i < text.length; i++) this.chars[this.charCount++] = text.charCodeAt(i);
  }

  private itemText(): string {
    if (LITTLE_ENDIAN) {
      // The code units' bytes as UTF-16LE: one string made, no argument list.
      if (this.charBytes.buffer !== this.chars.buffer) this.charBytes = Buffer.from(this.chars.buffer);
      return this.charBytes.toString('utf16le', 0, 2 * this.charCount);
    }
    let text = '';
    // In slices: String.fromCharCode takes its arguments on the stack.
    for (let i = 0; i < this.charCount; i += 4096) text += String.fromCharCode(...this.chars.subarray(i, Math.min(i + 4096, this.charCount)));
    return text;
  }

  private appendEOL(): void {
    this.resetLastChars();
    // An empty end-of-line item when none is being built: blank, so never a TextItem.
    if (this.initialized) this.flush();
  }

  /** pdfjs's addFakeSpaces: a gap within a word space is a space in the item; a wider one ends it. */
  private addFakeSpaces(width: number, sign: number): boolean {
    if (sign * this.spaceInFlowMin <= width && width <= sign * this.spaceInFlowMax) {
      if (this.initialized) {
        this.resetLastChars();
        this.append(' ');
      }
      return false;
    }
    this.flush();
    this.resetLastChars();
    // pdfjs pushes a whitespace item here: blank, so never a TextItem.
    return true;
  }

  /** pdfjs's compareWithLastPosition for horizontal text. False: the glyph is outside the page and skipped. */
  private compareWithLastPosition(glyphWidth: number): boolean {
    const t = this.scratch;
    this.transformInto(t);
    let x = t[4];
    let y = t[5];
    const view = this.geometry.view;
    if (x + glyphWidth < view[0] || x > view[2] || y < view[1] || y > view[3]) return false;
    if (!this.state.font || !this.prevTransform) return true;
    const prev = this.prevTransform;
    let px = prev[4];
    let py = prev[5];
    if (px === x && py === y) return true;
    let rotation = -1;
    if (t[0] && t[1] === 0 && t[2] === 0) rotation = t[0] > 0 ? 0 : 180;
    else if (t[1] && t[0] === 0 && t[3] === 0) rotation = t[1] > 0 ? 90 : 270;
    switch (rotation) {
      case 0:
        break;
      case 90:
        [x, y] = [y, x];
        [px, py] = [py, px];
        break;
      case 180:
        [x, y, px, py] = [-x, -y, -px, -py];
        break;
      case 270:
        [x, y] = [-y, -x];
        [px, py] = [-py, -px];
        break;
      default: {
        const n = hypot(t[0], t[1]);
        [x, y] = [(t[0] * x + t[1] * y) / n, (t[2] * x + t[3] * y) / n];
        const m = hypot(prev[0], prev[1]);
        [px, py] = [(prev[0] * px + prev[1] * py) / m, (prev[2] * px + prev[3] * py) / m];
      }
    }
    const advanceX = (x - px) / this.textAdvanceScale;
    const advanceY = y - py;
    const sign = Math.sign(this.width || this.totalWidth);
    if (advanceX < sign * this.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * this.height) {
        this.appendEOL();
        return true;
      }
      this.resetLastChars();
      this.flush();
      return true;
    }
    const riseDelta = this.state.rise - this.prevTextRise;
    const shiftY = riseDelta === 0 ? advanceY : advanceY - (t[3] / this.state.fontSize) * riseDelta;
    if (Math.abs(shiftY) > this.height) {
      this.appendEOL();
      return true;
    }
    if (advanceX <= sign * this.notASpace) this.resetLastChars();
    if (advanceX <= sign * this.trackingSpaceMin) {
      if (this.shouldAddWhitespace()) {
        this.resetLastChars();
        this.flush();
      } else {
        this.width += advanceX;
      }
    } else if (!this.addFakeSpaces(advanceX, sign)) {
      if (this.charCount === 0) this.resetLastChars();
      else this.width += advanceX;
    }
    if (Math.abs(advanceY) > this.height * VERTICAL_SHIFT_RATIO) this.flush();
    return true;
  }

  private translateTextMatrix(x: number, y: number): void {
    const m = this.state.textMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  private translateTextLineMatrix(x: number, y: number): void {
    const m = this.state.textLineMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  private carriageReturn(): void {
    this.translateTextLineMatrix(0, -this.state.leading);
    this.copyLineMatrix();
  }

  /** textMatrix = textLineMatrix (pdfjs copies the array). */
  private copyLineMatrix(): void {
    const l = this.state.textLineMatrix;
    setMatrix(this.state.textMatrix, l[0], l[1], l[2], l[3], l[4], l[5]);
  }

  /** pdfjs's buildTextContentItem, horizontal fonts only. `chars` is a Latin-1 byte string. */
  private showText(chars: string, extraSpacing: number): void {
    const s = this.state;
    const font = s.font;
    if (!font) throw new Unsupported('text shown without a font');
    const last = this.last!;
    if (last.fontSize !== s.fontSize || (last.fontName !== s.fontName && (!last.font || last.font.name !== font.name))) {
      // pdfjs fails on a font change whose previous font is unset (it then stops reading the page).
      if (last.fontSize === s.fontSize && !last.font) throw new Unsupported('font change from no font');
      this.flush();
      this.last = { fontSize: s.fontSize, fontName: s.fontName, font };
    }
    const charSpacing = s.charSpacing;
    if (chars.length === 0) {
      const w = charSpacing + extraSpacing;
      if (w) this.translateTextMatrix(w * s.hScale, 0);
      return;
    }
    this.scope.work.glyph(chars.length);
    const twoByte = font.twoByte;
    if (twoByte && chars.length % 2 !== 0) throw new Unsupported('odd-length string in a two-byte font');
    const scale = font.fontMatrixScale * s.fontSize;
    const step = twoByte ? 2 : 1;
    for (let i = 0, n = chars.length; i < n; i += step) {
      const glyph = font.glyph(twoByte ? (chars.charCodeAt(i) << 8) | chars.charCodeAt(i + 1) : chars.charCodeAt(i));
      if (glyph.isInvisibleFormatMark) continue;
      let spacing = charSpacing + (i + step === n ? extraSpacing : 0);
      let advance = glyph.width * scale;
      if (glyph.code === 32) spacing += s.wordSpacing;
      if (glyph.isWhitespace) {
        spacing += advance;
        this.translateTextMatrix(spacing * s.hScale, 0);
        this.saveLastChar(' ');
        continue;
      }
      if (!glyph.isZeroWidthDiacritic && !this.compareWithLastPosition(advance)) {
        this.translateTextMatrix(advance * s.hScale, 0);
        continue;
      }
      this.ensureItem();
      if (glyph.isZeroWidthDiacritic) advance = 0;
      advance *= s.hScale;
      this.translateTextMatrix(advance, 0);
      this.width += advance;
      if (advance) {
        this.transformInto(this.prevStore);
        this.prevTransform = this.prevStore;
        this.prevTextRise = s.rise;
      }
      if (this.saveLastChar(glyph.unicode)) this.append(' ');
      this.append(glyph.unicode);
      if (spacing) this.translateTextMatrix(spacing * s.hScale, 0);
    }
  }

  private setFont(name: Name, size: number): void {
    const s = this.state;
    if (s.font && name.name === s.fontName && size === s.fontSize) return;
    s.fontName = name.name;
    s.fontSize = size;
    let byName = RESOURCE_FONTS.get(this.scope.resources);
    if (!byName) RESOURCE_FONTS.set(this.scope.resources, (byName = new Map<string, PdfFont>()));
    const known = byName.get(name.name);
    if (known) {
      s.font = known;
      return;
    }
    const fonts = this.file.get(this.scope.resources, 'Font');
    if (!(fonts instanceof Dict)) throw new Unsupported('no font resources');
    const value = fonts.get(name.name);
    if (value === undefined) throw new Unsupported('font not in resources');
    let cache = FONT_CACHE.get(this.file);
    if (!cache) FONT_CACHE.set(this.file, (cache = new Map<PdfValue, PdfFont>()));
    const key = value instanceof Ref ? `${value.num} ${value.gen}` : value;
    let font = cache.get(key);
    if (!font) {
      font = loadFont(this.file, value);
      cache.set(key, font);
    }
    byName.set(name.name, font);
    s.font = font;
  }

  private drawXObject(name: Name): void {
    this.flush();
    const xobjects = this.file.get(this.scope.resources, 'XObject');
    if (!(xobjects instanceof Dict)) throw new Unsupported('no XObject resources');
    const raw = xobjects.get(name.name);
    if (!(raw instanceof Ref)) throw new Unsupported('XObject is not a reference');
    const xobject = this.file.fetch(raw);
    if (!(xobject instanceof Stream)) throw new Unsupported('XObject is not a stream');
    const subtype = this.file.get(xobject.dict, 'Subtype');
    if (!(subtype instanceof Name)) throw new Unsupported('XObject without a subtype');
    if (subtype.name !== 'Form') return;
    if (this.scope.forms.has(raw.num) || this.scope.forms.size > 16) throw new Unsupported('nested forms');
    const state = cloneState(this.state);
    const matrix = this.file.get(xobject.dict, 'Matrix');
    if (matrix !== undefined) {
      if (!Array.isArray(matrix) || matrix.length !== 6) throw new Unsupported('bad form matrix');
      const m = matrix.map((v) => this.file.resolve(v));
      if (!m.every((v) => typeof v === 'number')) throw new Unsupported('bad form matrix');
      state.ctm = multiply(state.ctm, m);
    }
    const resources = this.file.get(xobject.dict, 'Resources');
    const forms = new Set(this.scope.forms).add(raw.num);
    const scope = { resources: resources instanceof Dict ? resources : this.scope.resources, forms, work: this.scope.work };
    const inner = new TextContent(this.file, this.geometry, this.out, scope, state);
    inner.run(this.file.decodeStream(xobject));
  }

  private checkGState(name: Name): void {
    const states = this.file.get(this.scope.resources, 'ExtGState');
    if (!(states instanceof Dict)) throw new Unsupported('no ExtGState resources');
    const gs = this.file.get(states, name.name);
    if (!(gs instanceof Dict)) throw new Unsupported('bad ExtGState');
    if (gs.get('Font') !== undefined) throw new Unsupported('font set through ExtGState');
  }

  // Operands: numbers in `nums` (unboxed), other objects in `values`; `isNum` says which.
  private readonly nums = new Float64Array(34);
  private readonly values: PdfValue[] = new Array<PdfValue>(34).fill(null);
  private readonly isNum = new Uint8Array(34);

  /** Interprets a content stream. */
  run(content: Uint8Array): void {
    const work = this.scope.work;
    work.content(content.length);
    const lexer = new Lexer(content);
    let argc = 0;
    for (;;) {
      const kind = lexer.nextContent();
      if (kind === TOKEN_NUMBER || kind === TOKEN_VALUE) {
        if (argc === 33) throw new Unsupported('too many operands');
        if (kind === TOKEN_NUMBER) {
          this.nums[argc] = lexer.num;
          this.isNum[argc] = 1;
        } else {
          this.values[argc] = lexer.value;
          this.isNum[argc] = 0;
        }
        argc++;
        continue;
      }
      if (kind !== TOKEN_OPERATOR) break;
      work.operator();
      this.last ??= { fontSize: this.state.fontSize, fontName: this.state.fontName, font: this.state.font };
      this.operator(lexer.operator!.op, argc);
      argc = 0;
    }
    this.flush();
  }

  /** Operand `i` as a number. */
  private num(op: string, i: number): number {
    if (this.isNum[i] !== 1) throw new Unsupported(`${op}: operand is not a number`);
    return this.nums[i]!;
  }

  /** Operand `i` as a name. */
  private name(op: string, i: number): Name {
    const v = this.arg(i);
    if (!(v instanceof Name)) throw new Unsupported(`${op}: operand is not a name`);
    return v;
  }

  /** Operand `i`, whatever it is. */
  private arg(i: number): PdfValue {
    return this.isNum[i] === 1 ? this.nums[i]! : this.values[i]!;
  }

  // (Plain functions rather than closures: tsx names every closure it creates, per call.)
  private operator(op: string, n: number): void {
    const s = this.state;
    switch (op) {
      // Graphics state.
      case 'q':
        count(op, n, 0);
        if (this.saveDepth === this.savedStates.length) this.savedStates.push(newState());
        copyState(s, this.savedStates[this.saveDepth++]!);
        return;
      case 'Q':
        count(op, n, 0);
        if (this.saveDepth > 0) copyState(this.savedStates[--this.saveDepth]!, s);
        return;
      case 'cm': {
        count(op, n, 6);
        // multiply(ctm, [a b c d e f]), without making either array.
        const m = s.ctm;
        const a = this.num(op, 0);
        const b = this.num(op, 1);
        const c = this.num(op, 2);
        const d = this.num(op, 3);
        const e = this.num(op, 4);
        const f = this.num(op, 5);
        setMatrix(m, m[0] * a + m[2] * b, m[1] * a + m[3] * b, m[0] * c + m[2] * d, m[1] * c + m[3] * d, m[0] * e + m[2] * f + m[4], m[1] * e + m[3] * f + m[5]);
        return;
      }
      case 'gs':
        count(op, n, 1);
        this.checkGState(this.name(op, 0));
        return;
      // Text objects and state.
      case 'BT':
        count(op, n, 0);
        setMatrix(s.textMatrix, 1, 0, 0, 1, 0, 0);
        setMatrix(s.textLineMatrix, 1, 0, 0, 1, 0, 0);
        return;
      case 'ET':
        count(op, n, 0);
        return;
      case 'Tf':
        count(op, n, 2);
        this.setFont(this.name(op, 0), this.num(op, 1));
        return;
      case 'Tc':
        count(op, n, 1);
        s.charSpacing = this.num(op, 0);
        return;
      case 'Tw':
        count(op, n, 1);
        s.wordSpacing = this.num(op, 0);
        return;
      case 'Tz':
        count(op, n, 1);
        s.hScale = this.num(op, 0) / 100;
        return;
      case 'TL':
        count(op, n, 1);
        s.leading = this.num(op, 0);
        return;
      case 'Ts':
        count(op, n, 1);
        s.rise = this.num(op, 0);
        return;
      case 'Tr':
        count(op, n, 1);
        return;
      case 'Td':
        count(op, n, 2);
        this.translateTextLineMatrix(this.num(op, 0), this.num(op, 1));
        this.copyLineMatrix();
        return;
      case 'TD':
        count(op, n, 2);
        s.leading = -this.num(op, 1);
        this.translateTextLineMatrix(this.num(op, 0), this.num(op, 1));
        this.copyLineMatrix();
        return;
      case 'Tm': {
        count(op, n, 6);
        const a = this.num(op, 0);
        const b = this.num(op, 1);
        const c = this.num(op, 2);
        const d = this.num(op, 3);
        const e = this.num(op, 4);
        const f = this.num(op, 5);
        setMatrix(s.textMatrix, a, b, c, d, e, f);
        setMatrix(s.textLineMatrix, a, b, c, d, e, f);
        this.updateAdvanceScale();
        return;
      }
      case 'T*':
        count(op, n, 0);
        this.carriageReturn();
        return;
      // Text showing.
      case 'Tj':
        count(op, n, 1);
        this.showText(str(this.arg(0)), 0);
        return;
      case "'":
        count(op, n, 1);
        if (!s.font) throw new Unsupported('text shown without a font');
        this.carriageReturn();
        this.showText(str(this.arg(0)), 0);
        return;
      case '"':
        count(op, n, 3);
        if (!s.font) throw new Unsupported('text shown without a font');
        s.wordSpacing = this.num(op, 0);
        s.charSpacing = this.num(op, 1);
        this.carriageReturn();
        this.showText(str(this.arg(2)), 0);
        return;
      case 'TJ': {
        count(op, n, 1);
        const items = this.arg(0);
        if (!Array.isArray(items)) throw new Unsupported('TJ operand');
        this.scope.work.glyph(items.length);
        if (!s.font) throw new Unsupported('text shown without a font');
        const perUnit = (-1 * s.fontSize) / 1000;
        let pending = '';
        for (const item of items) {
          if (typeof item === 'string') {
            pending += item;
          } else if (typeof item === 'number') {
            if (item !== 0) {
              const chars = pending;
              pending = '';
              this.showText(chars, item * perUnit);
            }
          } else {
            throw new Unsupported('TJ element');
          }
        }
        if (pending.length > 0) this.showText(pending, 0);
        return;
      }
      // XObjects and marked content.
      case 'Do':
        count(op, n, 1);
        this.drawXObject(this.name(op, 0));
        return;
      case 'BMC':
        count(op, n, 1);
        this.flush();
        return;
      case 'BDC':
        count(op, n, 2);
        this.flush();
        return;
      case 'EMC':
        count(op, n, 0);
        this.flush();
        return;
      case 'MP':
        count(op, n, 1);
        return;
      case 'DP':
        count(op, n, 2);
        return;
      // Paths, colours and the rest: no effect on text.
      case 'w':
      case 'J':
      case 'j':
      case 'M':
      case 'ri':
      case 'i':
      case 'CS':
      case 'cs':
      case 'G':
      case 'g':
      case 'sh':
        count(op, n, 1);
        return;
      case 'd':
      case 'm':
      case 'l':
      case 'd0':
        count(op, n, 2);
        return;
      case 'RG':
      case 'rg':
        count(op, n, 3);
        return;
      case 'K':
      case 'k':
      case 'v':
      case 'y':
      case 're':
        count(op, n, 4);
        return;
      case 'c':
      case 'd1':
        count(op, n, 6);
        return;
      case 'h':
      case 'S':
      case 's':
      case 'f':
      case 'F':
      case 'f*':
      case 'B':
      case 'B*':
      case 'b':
      case 'b*':
      case 'n':
      case 'W':
      case 'W*':
        count(op, n, 0);
        return;
      case 'SC':
      case 'sc':
        if (n > 4) throw new Unsupported(`${op} with ${n} operands`);
        return;
      case 'SCN':
      case 'scn':
        return;
      default:
        // Inline images (BI), compatibility sections (BX/EX), unknown operators.
        throw new Unsupported(`operator ${op}`);
    }
  }
}

function count(op: string, got: number, want: number): void {
  if (got !== want) throw new Unsupported(`${op} with ${got} operands`);
}

function str(v: PdfValue | undefined): string {
  if (typeof v !== 'string') throw new Unsupported('expected a string operand');
  return v;
}

// --- Document structure ----------------------------------------------------------------------

interface PageNode {
  dict: Dict;
  /** The page's dictionary first, then its ancestors'. */
  chain: Dict[];
}

function rect(file: PdfFile, v: PdfValue | undefined): [number, number, number, number] | null {
  const a = file.resolve(v);
  if (!Array.isArray(a) || a.length !== 4) return null;
  const n = a.map((x) => file.resolve(x));
  if (!n.every((x) => typeof x === 'number')) return null;
  const [x0, y0, x1, y1] = n;
  const r: [number, number, number, number] = [Math.min(x0!, x1!), Math.min(y0!, y1!), Math.max(x0!, x1!), Math.max(y0!, y1!)];
  return r[2] - r[0] > 0 && r[3] - r[1] > 0 ? r : null;
}

/** The nearest value of an inheritable page attribute. */
function inherited(node: PageNode, key: string): PdfValue | undefined {
  for (const d of node.chain) {
    const v = d.get(key);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The page's geometry as pdfjs computes it (view, rotation, user unit → viewport size). */
function geometry(file: PdfFile, node: PageNode): PageGeometry {
  const media = rect(file, inherited(node, 'MediaBox')) ?? [0, 0, 612, 792];
  const crop = rect(file, inherited(node, 'CropBox')) ?? media;
  let view = media;
  if (crop !== media && !crop.every((v, i) => v === media[i])) {
    const x0 = Math.max(Math.min(crop[0], crop[2]), Math.min(media[0], media[2]));
    const x1 = Math.min(Math.max(crop[0], crop[2]), Math.max(media[0], media[2]));
    const y0 = Math.max(Math.min(crop[1], crop[3]), Math.min(media[1], media[3]));
    const y1 = Math.min(Math.max(crop[1], crop[3]), Math.max(media[1], media[3]));
    if (x0 <= x1 && y0 <= y1 && x1 - x0 > 0 && y1 - y0 > 0) view = [x0, y0, x1, y1];
  }
  let rotate = file.resolve(inherited(node, 'Rotate')) ?? 0;
  if (typeof rotate !== 'number' || rotate % 90 !== 0) rotate = 0;
  else if (rotate >= 360) rotate %= 360;
  else if (rotate < 0) rotate = ((rotate % 360) + 360) % 360;
  const unit = file.get(node.dict, 'UserUnit');
  const scale = typeof unit === 'number' && unit > 0 ? unit : 1;
  const sideways = rotate === 90 || rotate === 270;
  const width = (sideways ? view[3] - view[1] : view[2] - view[0]) * scale;
  const height = (sideways ? view[2] - view[0] : view[3] - view[1]) * scale;
  return { view, width, height };
}

/** The page's resources, merged over the page tree as pdfjs merges them (nearest first). */
function resourcesOf(file: PdfFile, node: PageNode): Dict {
  const found: Dict[] = [];
  for (const d of node.chain) {
    const v = d.get('Resources');
    if (v === undefined) continue;
    const r = file.resolve(v);
    if (found.length === 0 && !(r instanceof Dict)) throw new Unsupported('bad Resources');
    if (r instanceof Dict) found.push(r);
  }
  if (found.length === 0) return new Dict();
  if (found.length === 1) return found[0]!;
  const merged = new Dict();
  for (const d of found) for (const [k, v] of d.map) if (!merged.map.has(k)) merged.map.set(k, v);
  return merged;
}

function contentOf(file: PdfFile, dict: Dict): Uint8Array {
  const contents = file.get(dict, 'Contents');
  if (contents === undefined || contents === null) return new Uint8Array();
  if (contents instanceof Stream) return file.decodeStream(contents);
  if (!Array.isArray(contents)) throw new Unsupported('bad Contents');
  const parts = contents.map((c) => {
    const s = file.resolve(c);
    if (!(s instanceof Stream)) throw new Unsupported('Contents entry is not a stream');
    return file.decodeStream(s);
  });
  // pdfjs reads the streams as one, with nothing between them.
  return Buffer.concat(parts);
}

/**
 * Refuses, before any page is read, a document whose pages draw more content than its budget
 * allows, counting each page's content streams (still encoded) once per page that draws them:
 * pages sharing one huge stream are refused even where this reader would leave them to pdfjs.
 */
function checkSharedContent(file: PdfFile, pages: PageNode[], maxContentBytes: number): void {
  let total = 0;
  for (const node of pages) {
    const contents = file.get(node.dict, 'Contents');
    if (contents instanceof Stream) total += contents.raw.length;
    else if (Array.isArray(contents)) {
      for (const c of contents) {
        const stream = file.resolve(c);
        if (stream instanceof Stream) total += stream.raw.length;
      }
    }
    if (total > maxContentBytes) overWorked();
  }
}

/** Every page of the document, in order, checking the tree's counts as it goes; more than `declared` (the root's /Count) are not walked. */
function pageNodes(file: PdfFile, declared: number): { pages: PageNode[]; firstPageRef: Ref | null } {
  const root = file.get(file.trailer, 'Root');
  if (!(root instanceof Dict)) throw new Unsupported('no catalog');
  const topRef = root.get('Pages');
  const top = file.resolve(topRef);
  if (!(top instanceof Dict)) throw new Unsupported('no page tree');
  const pages: PageNode[] = [];
  let firstPageRef: Ref | null = null;
  const seen = new Set<number>();
  const walk = (node: Dict, chain: Dict[], depth: number): number => {
    if (depth > 32) throw new Unsupported('page tree too deep');
    const type = file.get(node, 'Type');
    const kids = file.get(node, 'Kids');
    if (type instanceof Name && type.name === 'Page' && kids === undefined) {
      if (pages.length >= declared) throw new Unsupported('page tree /Count does not match its pages');
      pages.push({ dict: node, chain: [node, ...chain] });
      return 1;
    }
    if (!(type instanceof Name) || type.name !== 'Pages' || !Array.isArray(kids)) throw new Unsupported('bad page tree node');
    let total = 0;
    for (const kid of kids) {
      if (!(kid instanceof Ref) || seen.has(kid.num)) throw new Unsupported('bad page tree kid');
      seen.add(kid.num);
      if (pages.length === 0) firstPageRef = kid;
      const dict = file.fetch(kid);
      if (!(dict instanceof Dict)) throw new Unsupported('page tree kid is not a dictionary');
      total += walk(dict, [node, ...chain], depth + 1);
    }
    const count = file.get(node, 'Count');
    if (count !== total) throw new Unsupported('page tree /Count does not match its pages');
    return total;
  };
  walk(top, [], 0);
  return { pages, firstPageRef };
}

/** pdfjs takes the page count (and the first page) of a linearized file from its linearization dictionary. */
function checkLinearization(bytes: Uint8Array, pageCount: number, firstPageRef: Ref | null): void {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 2048)).toString('latin1');
  if (!head.includes('/Linearized')) return;
  const n = /\/N\s+(\d+)/.exec(head);
  const o = /\/O\s+(\d+)/.exec(head);
  if (!n || !o || Number(n[1]) !== pageCount || Number(o[1]) !== firstPageRef?.num) throw new Unsupported('linearization does not match the page tree');
}

export interface LeanReadOptions {
  /** Above this many pages nothing is read (the caller reports STATEMENT_TOO_MANY_PAGES through pdfjs). */
  maxPages?: number;
  /** For an encrypted file: the password to open it with (none: the empty user password, as pdfjs tries). */
  password?: string;
  /** Called after each page is read (see ReadOptions.afterPage). */
  afterPage?: () => void;
}

/**
 * Every page's text, read without pdfjs. Throws `Unsupported` whenever the document (or any of
 * its pages) uses something this reader leaves to pdfjs, including an encrypted file whose
 * password does not open it, and more pages than `maxPages`.
 */
export function readPdfContentText(bytes: Uint8Array, options: LeanReadOptions = {}): PdfText {
  const file = new PdfFile(bytes);
  const encrypt = file.trailer.get('Encrypt');
  if (encrypt !== undefined) file.setDecryptor(standardDecryptor(file, encrypt, options.password || undefined));
  // Compared with the limit before the tree is walked: a tree of 50,000 pages takes seconds to walk.
  const declared = declaredPageCount(file);
  if (declared === null) throw new Unsupported('page tree /Count is not a whole number');
  if (options.maxPages !== undefined && declared > options.maxPages) throw new Unsupported('too many pages');
  const { pages, firstPageRef } = pageNodes(file, declared);
  checkLinearization(bytes, pages.length, firstPageRef);
  const work = new WorkBudget(pages.length);
  checkSharedContent(file, pages, work.maxContentBytes);
  const out: PdfPage[] = pages.map((node, i) => {
    const g = geometry(file, node);
    const items: TextItem[] = [];
    work.startPage();
    new TextContent(file, g, items, { resources: resourcesOf(file, node), forms: new Set(), work }, newState()).run(contentOf(file, node.dict));
    options.afterPage?.();
    return { number: i + 1, width: g.width, height: g.height, items };
  });
  return { pageCount: pages.length, pages: out, reader: 'lean' };
}
