/**
 * What a statement's pages draw, in the order they draw it, for the fraud checks: every text
 * run (each Tj/TJ/'/" shown, with its box, font and size) and every filled box (a rectangle
 * painted with `re` + `f`, or a four-sided axis-aligned path, with its fill colour).
 *
 * The text reader (src/pdf/content-text.ts) gives positioned text only, without fonts and
 * without the graphics between, and it declines whatever it does not read exactly as pdfjs
 * does. This is a separate, lenient interpreter over the same object reader (objects.ts): it
 * reads what it can, stops a page at the first thing it cannot read, and keeps what it read so
 * far. Its work is bounded by the text reader's budgets (WORK_LIMITS); over them it stops.
 *
 * Boxes are [x0, top, x1, bottom] from the page's top-left corner, measured as the parser
 * measures rows (page height − y), so a run's box and a row's box compare directly.
 */
import { WORK_LIMITS } from '../pdf/content-text.ts';
import { loadFont, type PdfFont } from '../pdf/fonts.ts';
import { Dict, Lexer, Name, PdfFile, Ref, Stream, TOKEN_END, TOKEN_NUMBER, TOKEN_OPERATOR, type PdfValue } from '../pdf/objects.ts';
import type { BoundingBox } from '../domain/statement.ts';

export interface TextRun {
  /** Order of drawing on the page (shared with fills). */
  seq: number;
  text: string;
  /** The font's name without a subset prefix (`ABCDEF+Arial` → `Arial`). */
  font: string;
  /** The size the text is drawn at on the page, in points. */
  size: number;
  box: BoundingBox;
  /** Text is drawn visibly (render mode 3 and 7 draw nothing). */
  visible: boolean;
}

export interface FilledBox {
  seq: number;
  box: BoundingBox;
  /** The fill colour's components in its colour space (1 gray, 3 RGB, 4 CMYK). */
  colour: number[];
  white: boolean;
}

export interface PageMarks {
  number: number;
  height: number;
  runs: TextRun[];
  fills: FilledBox[];
  /** False when the page could not be read to its end (what was read before is kept). */
  complete: boolean;
}

export interface DocumentMarks {
  pages: PageMarks[];
  /** False when the work budget ran out or the page tree could not be walked in full. */
  complete: boolean;
}

type Matrix = [number, number, number, number, number, number];

/** Apply `b`, then `a` (pdfjs's Util.transform order). */
function mul(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[2] * b[1],
    a[1] * b[0] + a[3] * b[1],
    a[0] * b[2] + a[2] * b[3],
    a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4],
    a[1] * b[4] + a[3] * b[5] + a[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

class OverBudget extends Error {}

/** The operators a document may take, as the text reader allows them (per page and in all). */
class Work {
  private total = 0;
  private page = 0;
  private readonly max: number;
  constructor(pageCount: number) {
    this.max = Math.max(WORK_LIMITS.documentOperators, pageCount * WORK_LIMITS.documentOperatorsPerPage);
  }
  startPage(): void {
    this.page = 0;
  }
  operator(): void {
    if (++this.total > this.max || ++this.page > WORK_LIMITS.pageOperators) throw new OverBudget();
  }
}

interface GState {
  ctm: Matrix;
  font: FontEntry | null;
  fontName: string;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  renderMode: number;
  fill: number[];
  fillAlpha: number;
}

interface FontEntry {
  name: string;
  font: PdfFont | null;
  /** Each code's advance (text space per unit of font size) and text, as worked out once. */
  glyphs: Map<number, { width: number; unicode: string }>;
}

interface Scope {
  /** The fonts of `resources`, by resource name, as looked up once. */
  fonts?: Map<string, { entry: FontEntry | null; name: string }>;
  resources: Dict | null;
  depth: number;
  /** Form XObjects being drawn (a form that draws itself is drawn once). */
  forms: Set<number>;
}

const MAX_FORM_DEPTH = 8;
const MAX_PAGES = 10_000;

/** Every page's marks. Never throws: what could not be read is left out and `complete` says so. */
export function readDocumentMarks(file: PdfFile): DocumentMarks {
  const pages: PageMarks[] = [];
  const complete = visitPageMarks(file, (page) => pages.push(page));
  return { pages, complete };
}

/**
 * Each page's marks in turn, to `visit`, none kept after it (a 500-page statement draws half a
 * million runs). Never throws; false when something could not be read or the budget ran out.
 */
export function visitPageMarks(file: PdfFile, visit: (page: PageMarks) => void): boolean {
  const nodes: { dict: Dict; chain: Dict[] }[] = [];
  let complete = true;
  try {
    walkPages(file, nodes);
  } catch {
    complete = false;
  }
  const work = new Work(nodes.length);
  const fonts = new Map<PdfValue, FontEntry>();
  for (const [i, node] of nodes.entries()) {
    const page = new PageReader(file, fonts, work, i + 1, node.chain);
    work.startPage();
    let overBudget = false;
    try {
      page.read();
    } catch (error) {
      page.marks.complete = false;
      overBudget = error instanceof OverBudget;
    }
    if (!page.marks.complete) complete = false;
    visit(page.marks);
    if (overBudget) return false;
  }
  return complete;
}

function walkPages(file: PdfFile, out: { dict: Dict; chain: Dict[] }[]): void {
  const root = file.get(file.trailer, 'Root');
  if (!(root instanceof Dict)) throw new Error('no catalog');
  const top = file.get(root, 'Pages');
  if (!(top instanceof Dict)) throw new Error('no page tree');
  const seen = new Set<number>();
  const walk = (node: Dict, chain: Dict[], depth: number): void => {
    if (depth > 32 || out.length >= MAX_PAGES) throw new Error('page tree too deep or too large');
    const kids = file.get(node, 'Kids');
    if (!Array.isArray(kids)) {
      out.push({ dict: node, chain: [node, ...chain] });
      return;
    }
    for (const kid of kids) {
      if (kid instanceof Ref) {
        if (seen.has(kid.num)) continue;
        seen.add(kid.num);
      }
      const dict = file.resolve(kid);
      if (dict instanceof Dict) walk(dict, [node, ...chain], depth + 1);
    }
  };
  walk(top, [], 0);
}

class PageReader {
  readonly marks: PageMarks;
  private seq = 0;
  private state: GState;
  private readonly stack: GState[] = [];
  private readonly operands: PdfValue[] = [];
  private textMatrix: Matrix = [1, 0, 0, 1, 0, 0];
  private lineMatrix: Matrix = [1, 0, 0, 1, 0, 0];
  /** The current path's subpaths: their points (user space, before the CTM), and whether a curve makes one no box. */
  private subpaths: { points: [number, number][]; curved: boolean }[] = [];

  private readonly file: PdfFile;
  private readonly fonts: Map<PdfValue, FontEntry>;
  private readonly work: Work;
  private readonly chain: Dict[];

  constructor(file: PdfFile, fonts: Map<PdfValue, FontEntry>, work: Work, number: number, chain: Dict[]) {
    this.file = file;
    this.fonts = fonts;
    this.work = work;
    this.chain = chain;
    const media = this.box(this.inherited('CropBox')) ?? this.box(this.inherited('MediaBox')) ?? [0, 0, 612, 792];
    this.marks = { number, height: media[3] - media[1], runs: [], fills: [], complete: true };
    this.state = {
      ctm: [1, 0, 0, 1, 0, 0],
      font: null,
      fontName: '',
      fontSize: 0,
      charSpacing: 0,
      wordSpacing: 0,
      hScale: 1,
      leading: 0,
      rise: 0,
      renderMode: 0,
      fill: [0],
      fillAlpha: 1,
    };
  }

  read(): void {
    const resources = this.file.resolve(this.inherited('Resources'));
    const contents = this.file.get(this.chain[0]!, 'Contents');
    const parts: Uint8Array[] = [];
    if (contents instanceof Stream) parts.push(this.file.decodeStream(contents));
    else if (Array.isArray(contents)) {
      for (const c of contents) {
        const s = this.file.resolve(c);
        if (s instanceof Stream) parts.push(this.file.decodeStream(s));
      }
    }
    // Content streams of a page are read as one, with a space between (a token never spans two).
    const joined = Buffer.concat(parts.flatMap((p) => [p, Buffer.from(' ')]));
    this.run(joined, { resources: resources instanceof Dict ? resources : null, depth: 0, forms: new Set() });
  }

  private inherited(key: string): PdfValue | undefined {
    for (const d of this.chain) {
      const v = d.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private box(v: PdfValue | undefined): [number, number, number, number] | null {
    const a = this.file.resolve(v);
    if (!Array.isArray(a) || a.length !== 4) return null;
    const n = a.map((x) => this.file.resolve(x));
    if (!n.every((x): x is number => typeof x === 'number')) return null;
    const r: [number, number, number, number] = [Math.min(n[0]!, n[2]!), Math.min(n[1]!, n[3]!), Math.max(n[0]!, n[2]!), Math.max(n[1]!, n[3]!)];
    return r[2] > r[0] && r[3] > r[1] ? r : null;
  }

  private run(content: Uint8Array, scope: Scope): void {
    const lexer = new Lexer(content);
    for (;;) {
      const kind = lexer.nextContent();
      if (kind === TOKEN_END) return;
      if (kind === TOKEN_NUMBER) {
        this.operands.push(lexer.num);
      } else if (kind === TOKEN_OPERATOR) {
        this.work.operator();
        const op = lexer.operator!.op;
        if (op === 'BI') {
          this.skipInlineImage(lexer);
        } else {
          this.operator(op, scope);
        }
        this.operands.length = 0;
      } else {
        this.operands.push(lexer.value);
      }
    }
  }

  /** Moves past an inline image's data (`BI … ID <data> EI`). */
  private skipInlineImage(lexer: Lexer): void {
    const b = lexer.bytes;
    let p = lexer.pos;
    // To the ID keyword, then to an EI between whitespace.
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const id = text.indexOf('ID', p, 'latin1');
    if (id < 0) throw new Error('inline image without ID');
    p = id + 3;
    for (;;) {
      const ei = text.indexOf('EI', p, 'latin1');
      if (ei < 0) throw new Error('inline image without EI');
      const before = b[ei - 1];
      const after = b[ei + 2];
      if ((before === 32 || before === 10 || before === 13 || before === 9) && (after === undefined || after === 32 || after === 10 || after === 13 || after === 9)) {
        lexer.pos = ei + 2;
        return;
      }
      p = ei + 2;
    }
  }

  private num(i: number): number {
    const v = this.operands[this.operands.length - this.arity + i];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }

  /** How many operands the operator being run takes (its last ones are used: extra ones are ignored). */
  private arity = 0;

  private nums(n: number): number[] | null {
    if (this.operands.length < n) return null;
    this.arity = n;
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.num(i));
    return out;
  }

  private operator(op: string, scope: Scope): void {
    const s = this.state;
    switch (op) {
      case 'q':
        if (this.stack.length < 256) this.stack.push({ ...s, ctm: [...s.ctm] as Matrix, fill: [...s.fill] });
        return;
      case 'Q': {
        const saved = this.stack.pop();
        if (saved) this.state = saved;
        return;
      }
      case 'cm': {
        const m = this.nums(6);
        if (m) s.ctm = mul(s.ctm, m as Matrix);
        return;
      }
      case 'gs':
        this.extGState(this.lastName(), scope);
        return;
      case 'BT':
        this.textMatrix = [1, 0, 0, 1, 0, 0];
        this.lineMatrix = [1, 0, 0, 1, 0, 0];
        return;
      case 'Tf': {
        const size = this.operands.at(-1);
        const name = this.operands.at(-2);
        if (typeof size === 'number') s.fontSize = size;
        if (name instanceof Name) this.setFont(name.name, scope);
        return;
      }
      case 'Tc':
        s.charSpacing = this.nums(1)?.[0] ?? s.charSpacing;
        return;
      case 'Tw':
        s.wordSpacing = this.nums(1)?.[0] ?? s.wordSpacing;
        return;
      case 'Tz':
        s.hScale = (this.nums(1)?.[0] ?? 100) / 100;
        return;
      case 'TL':
        s.leading = this.nums(1)?.[0] ?? s.leading;
        return;
      case 'Ts':
        s.rise = this.nums(1)?.[0] ?? s.rise;
        return;
      case 'Tr':
        s.renderMode = this.nums(1)?.[0] ?? s.renderMode;
        return;
      case 'Td':
      case 'TD': {
        const m = this.nums(2);
        if (!m) return;
        if (op === 'TD') s.leading = -m[1]!;
        this.lineMatrix = mul(this.lineMatrix, [1, 0, 0, 1, m[0]!, m[1]!]);
        this.textMatrix = [...this.lineMatrix];
        return;
      }
      case 'Tm': {
        const m = this.nums(6);
        if (!m) return;
        this.lineMatrix = m as Matrix;
        this.textMatrix = [...this.lineMatrix];
        return;
      }
      case 'T*':
        this.nextLine();
        return;
      case 'Tj': {
        const t = this.operands.at(-1);
        if (typeof t === 'string') this.show([t]);
        return;
      }
      case "'": {
        const t = this.operands.at(-1);
        this.nextLine();
        if (typeof t === 'string') this.show([t]);
        return;
      }
      case '"': {
        const t = this.operands.at(-1);
        const w = this.operands.at(-3);
        const c = this.operands.at(-2);
        if (typeof w === 'number') s.wordSpacing = w;
        if (typeof c === 'number') s.charSpacing = c;
        this.nextLine();
        if (typeof t === 'string') this.show([t]);
        return;
      }
      case 'TJ': {
        const items = this.operands.at(-1);
        if (Array.isArray(items)) this.show(items.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number'));
        return;
      }
      case 'Do':
        this.drawForm(this.lastName(), scope);
        return;
      // Colour: the fill (non-stroking) colour only.
      case 'g':
      case 'rg':
      case 'k': {
        const m = this.nums(op === 'g' ? 1 : op === 'rg' ? 3 : 4);
        if (m) s.fill = m;
        return;
      }
      case 'cs':
        s.fill = [0];
        return;
      case 'sc':
      case 'scn': {
        const numbers = this.operands.filter((x): x is number => typeof x === 'number');
        if (numbers.length > 0 && numbers.length <= 4) s.fill = numbers;
        return;
      }
      // Paths.
      case 're': {
        const m = this.nums(4);
        if (!m) return;
        const [x, y, w, h] = m as [number, number, number, number];
        this.subpaths.push({
          points: [
            [x, y],
            [x + w, y],
            [x + w, y + h],
            [x, y + h],
          ],
          curved: false,
        });
        return;
      }
      case 'm': {
        const m = this.nums(2);
        if (m) this.subpaths.push({ points: [[m[0]!, m[1]!]], curved: false });
        return;
      }
      case 'l': {
        const m = this.nums(2);
        const last = this.subpaths.at(-1);
        if (m && last && last.points.length < 8) last.points.push([m[0]!, m[1]!]);
        else if (last) last.curved = true;
        return;
      }
      case 'c':
      case 'v':
      case 'y': {
        // Curves: not a box.
        const last = this.subpaths.at(-1);
        if (last) last.curved = true;
        return;
      }
      case 'h':
        return;
      case 'f':
      case 'F':
      case 'f*':
      case 'B':
      case 'B*':
      case 'b':
      case 'b*':
        this.fillPath();
        this.clearPath();
        return;
      case 'n':
      case 'S':
      case 's':
        this.clearPath();
        return;
      default:
        return;
    }
  }

  private lastName(): string | null {
    const v = this.operands.at(-1);
    return v instanceof Name ? v.name : null;
  }

  private clearPath(): void {
    this.subpaths = [];
  }

  /** Each filled subpath that is an axis-aligned box (after the CTM) becomes a FilledBox. */
  private fillPath(): void {
    if (this.state.fillAlpha < 0.5) return;
    for (const sub of this.subpaths) if (!sub.curved) this.fillBox(sub.points);
  }

  private fillBox(path: [number, number][]): void {
    const s = this.state;
    if (path.length < 4 || path.length > 5) return;
    const points = path.map(([x, y]) => apply(s.ctm, x, y));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    const onEdge = (v: number, a: number, b: number) => Math.abs(v - a) < 0.01 || Math.abs(v - b) < 0.01;
    if (!points.every(([x, y]) => onEdge(x, x0, x1) && onEdge(y, y0, y1))) return;
    const fill = s.fill;
    const white = fill.length === 4 ? fill.every((v) => v <= 0.05) : fill.every((v) => v >= 0.95);
    const h = this.marks.height;
    this.marks.fills.push({ seq: this.seq++, box: [round(x0), round(h - y1), round(x1), round(h - y0)], colour: [...fill], white });
  }

  private extGState(name: string | null, scope: Scope): void {
    if (!name || !scope.resources) return;
    const states = this.file.get(scope.resources, 'ExtGState');
    const g = states instanceof Dict ? this.file.get(states, name) : undefined;
    if (!(g instanceof Dict)) return;
    const ca = this.file.get(g, 'ca');
    if (typeof ca === 'number') this.state.fillAlpha = ca;
  }

  private setFont(name: string, scope: Scope): void {
    scope.fonts ??= new Map();
    let found = scope.fonts.get(name);
    if (!found) {
      const fontsDict = scope.resources ? this.file.get(scope.resources, 'Font') : undefined;
      const ref = fontsDict instanceof Dict ? fontsDict.get(name) : undefined;
      const entry = this.fontOf(ref);
      found = { entry, name: entry?.name || name };
      scope.fonts.set(name, found);
    }
    this.state.font = found.entry;
    this.state.fontName = found.name;
  }

  private fontOf(ref: PdfValue | undefined): FontEntry | null {
    if (ref === undefined) return null;
    const key = ref instanceof Ref ? `${ref.num} ${ref.gen}` : ref;
    let entry = this.fonts.get(key);
    if (!entry) {
      const dict = this.file.resolve(ref);
      const base = dict instanceof Dict ? this.file.get(dict, 'BaseFont') : undefined;
      const name = base instanceof Name ? base.name.replace(/^[A-Z]{6}\+/, '') : '';
      let font: PdfFont | null = null;
      try {
        font = loadFont(this.file, ref);
      } catch {
        // Widths are estimated without it.
      }
      entry = { name, font, glyphs: new Map() };
      this.fonts.set(key, entry);
    }
    return entry;
  }

  private nextLine(): void {
    this.lineMatrix = mul(this.lineMatrix, [1, 0, 0, 1, 0, -this.state.leading]);
    this.textMatrix = [...this.lineMatrix];
  }

  /** Shows a string (or a TJ array): one run, its box from the font's widths (or 0.5 em a glyph). */
  private show(items: (string | number)[]): void {
    const s = this.state;
    const entry = s.font;
    const font = entry?.font ?? null;
    const start: Matrix = [...this.textMatrix];
    let advance = 0;
    let text = '';
    for (const item of items) {
      if (typeof item === 'number') {
        advance -= (item / 1000) * s.fontSize * s.hScale;
        continue;
      }
      const twoByte = font?.twoByte ?? false;
      for (let i = 0; i < item.length; i += twoByte ? 2 : 1) {
        const code = twoByte ? (item.charCodeAt(i) << 8) | item.charCodeAt(i + 1) : item.charCodeAt(i);
        let glyph = entry?.glyphs.get(code);
        if (!glyph) {
          glyph = { width: 0.5, unicode: twoByte ? '' : String.fromCharCode(code) };
          if (font) {
            try {
              const g = font.glyph(code);
              glyph = { width: g.width * font.fontMatrixScale, unicode: g.unicode };
            } catch {
              // Keep the estimate.
            }
          }
          entry?.glyphs.set(code, glyph);
        }
        text += glyph.unicode;
        advance += (glyph.width * s.fontSize + s.charSpacing + (!twoByte && code === 32 ? s.wordSpacing : 0)) * s.hScale;
      }
    }
    this.textMatrix = mul(this.textMatrix, [1, 0, 0, 1, advance, 0]);
    if (text.trim() === '') return;
    const m = mul(s.ctm, start);
    const corners = [apply(m, 0, s.rise - 0.2 * s.fontSize), apply(m, advance, s.rise - 0.2 * s.fontSize), apply(m, 0, s.rise + 0.8 * s.fontSize), apply(m, advance, s.rise + 0.8 * s.fontSize)];
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    const h = this.marks.height;
    const size = Math.hypot(m[2], m[3]) * Math.abs(s.fontSize);
    this.marks.runs.push({
      seq: this.seq++,
      text: text.trim(),
      font: s.fontName,
      size: Math.round(size * 100) / 100,
      box: [round(Math.min(...xs)), round(h - Math.max(...ys)), round(Math.max(...xs)), round(h - Math.min(...ys))],
      visible: s.renderMode !== 3 && s.renderMode !== 7,
    });
  }

  private drawForm(name: string | null, scope: Scope): void {
    if (!name || !scope.resources || scope.depth >= MAX_FORM_DEPTH) return;
    const xobjects = this.file.get(scope.resources, 'XObject');
    const ref = xobjects instanceof Dict ? xobjects.get(name) : undefined;
    const form = this.file.resolve(ref);
    if (!(form instanceof Stream)) return;
    const subtype = this.file.get(form.dict, 'Subtype');
    if (!(subtype instanceof Name) || subtype.name !== 'Form' || scope.forms.has(form.num)) return;
    const matrix = this.file.get(form.dict, 'Matrix');
    const saved = { ...this.state, ctm: [...this.state.ctm] as Matrix, fill: [...this.state.fill] };
    const savedText = [this.textMatrix, this.lineMatrix];
    const savedDepth = this.stack.length;
    if (Array.isArray(matrix) && matrix.length === 6 && matrix.every((v) => typeof v === 'number')) this.state.ctm = mul(this.state.ctm, matrix as Matrix);
    const resources = this.file.get(form.dict, 'Resources');
    scope.forms.add(form.num);
    try {
      this.run(this.file.decodeStream(form), { resources: resources instanceof Dict ? resources : scope.resources, depth: scope.depth + 1, forms: scope.forms });
    } finally {
      scope.forms.delete(form.num);
      this.stack.length = Math.min(this.stack.length, savedDepth);
      this.state = saved;
      [this.textMatrix, this.lineMatrix] = savedText as [Matrix, Matrix];
    }
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
