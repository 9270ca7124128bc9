/**
 * Tampering a generated statement the way forgers do, for the fraud tests: rewriting objects in
 * an incremental update (a new revision appended with its own cross-reference section and
 * /Prev), editing one cell of a page's content, painting over a cell, and re-saving the whole
 * file with qpdf (one revision again, as an editor that rewrites the file leaves it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BoundingBox } from '../../src/domain/statement.ts';
import { Dict, PdfFile, Ref, Stream } from '../../src/pdf/objects.ts';

function refText(v: unknown): string {
  if (!(v instanceof Ref)) throw new Error('expected a reference');
  return `${v.num} ${v.gen} R`;
}

/** Appends a revision that replaces (or adds) objects: `bodies` maps object number to what goes between `obj` and `endobj`. */
export function appendRevision(pdf: Buffer, bodies: Map<number, string>): Buffer {
  const file = new PdfFile(pdf);
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf.subarray(-64).toString('latin1'));
  if (!prev) throw new Error('no startxref');
  const size = file.trailer.get('Size') as number;
  let out = pdf.toString('latin1');
  if (!out.endsWith('\n')) out += '\n';
  const offsets = new Map<number, number>();
  for (const [num, body] of [...bodies.entries()].sort((a, b) => a[0] - b[0])) {
    offsets.set(num, Buffer.byteLength(out, 'latin1'));
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += 'xref\n0 1\n0000000000 65535 f \n';
  for (const [num, offset] of [...offsets.entries()].sort((a, b) => a[0] - b[0])) out += `${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
  const newSize = Math.max(size, ...[...bodies.keys()].map((n) => n + 1));
  out += `trailer\n<< /Size ${newSize} /Root ${refText(file.trailer.get('Root'))} /Info ${refText(file.trailer.get('Info'))} /Prev ${prev[1]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A stream object's body, unfiltered. */
export function streamBody(data: string): string {
  return `<< /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
}

export interface PageContent {
  /** The content stream's object number. */
  num: number;
  text: string;
  /** Page height, for turning boxes from the top into PDF coordinates. */
  height: number;
}

/** Page `page` (1-based) of a pdfkit file: its one content stream, decoded. */
export function pageContent(pdf: Buffer, page: number): PageContent {
  const file = new PdfFile(pdf);
  const root = file.get(file.trailer, 'Root') as Dict;
  const pages = file.get(root, 'Pages') as Dict;
  const kid = (file.get(pages, 'Kids') as unknown[])[page - 1] as Ref;
  const dict = file.fetch(kid) as Dict;
  const ref = dict.get('Contents') as Ref;
  const stream = file.fetch(ref) as Stream;
  const media = file.get(dict, 'MediaBox') as number[];
  return { num: ref.num, text: Buffer.from(file.decodeStream(stream)).toString('latin1'), height: media[3]! };
}

export interface Cell {
  /** Where the cell's `q … Q` block is in the content. */
  start: number;
  end: number;
  block: string;
  /** The text's origin, in PDF coordinates. */
  x: number;
  y: number;
}

/** pdfkit draws each cell as `q … BT … Tm /Fn s Tf [<hex> k <hex>] TJ ET Q`: the one showing `text` with its baseline inside `rowBox`. */
export function findCell(content: PageContent, text: string, rowBox: BoundingBox): Cell {
  const blocks = /q\n1 0 0 -1 0 [\d.]+ cm\nBT\n1 0 0 1 ([\d.]+) ([\d.]+) Tm\n[^\n]*Tf\n\[([^\]]*)\] TJ\nET\nQ\n/g;
  for (const m of content.text.matchAll(blocks)) {
    const shown = [...m[3]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join('');
    const x = Number(m[1]);
    const y = Number(m[2]);
    const baseline = content.height - y;
    if (shown === text && baseline >= rowBox[1] && baseline <= rowBox[3] + 1) return { start: m.index, end: m.index + m[0].length, block: m[0], x, y };
  }
  throw new Error(`no cell "${text}" in the row at ${rowBox.join(',')}`);
}

/** The cell's block with its text replaced (same position: pdfkit right-aligns by moving x, digits are one width in Helvetica). */
export function withText(cell: Cell, text: string): string {
  return cell.block.replace(/\[[^\]]*\] TJ/, `[<${Buffer.from(text, 'latin1').toString('hex')}> 0] TJ`);
}

/** The content with one cell's block replaced. */
export function replaceCell(content: PageContent, cell: Cell, block: string): string {
  return content.text.slice(0, cell.start) + block + content.text.slice(cell.end);
}

/** Rewrites the file with qpdf: one revision, every object kept (the Info dictionary too). */
export function resave(pdf: Buffer, args: string[] = []): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'fraud-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('qpdf', [...args, path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
    return readFileSync(path.join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Re-distils the file with Ghostscript's pdfwrite (its own Producer, a new file). */
export function redistil(pdf: Buffer): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'fraud-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-o', path.join(dir, 'out.pdf'), path.join(dir, 'in.pdf')]);
    return readFileSync(path.join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Info dictionary rewritten (in an incremental update) with `fields` set: literal strings. */
export function withInfo(pdf: Buffer, fields: Record<string, string>): Buffer {
  const file = new PdfFile(pdf);
  const infoRef = file.trailer.get('Info') as Ref;
  const info = file.fetch(infoRef) as Dict;
  const entries = new Map<string, string>();
  for (const key of info.map.keys()) {
    const v = file.get(info, key);
    if (typeof v === 'string') entries.set(key, v);
  }
  for (const [k, v] of Object.entries(fields)) entries.set(k, v);
  const body = `<< ${[...entries].map(([k, v]) => `/${k} (${v.replace(/([()\\])/g, '\\$1')})`).join(' ')} >>`;
  return appendRevision(pdf, new Map([[infoRef.num, body]]));
}
