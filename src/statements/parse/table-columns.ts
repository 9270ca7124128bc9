/**
 * Finds a statement's transaction table by its header (one line, or a few when long labels
 * wrap) and derives the columns' horizontal extents from the header labels. Works for any bank
 * whose header uses the usual words, which is what makes the fallback for unseen layouts
 * possible.
 */
import type { TextLine } from './text-lines.ts';

export type ColumnKey = 'date' | 'valueDate' | 'narration' | 'chq' | 'debit' | 'credit' | 'amount' | 'drcr' | 'balance' | 'serial';

export interface Column {
  key: ColumnKey;
  left: number;
  right: number;
}

/** Checked in order; the first match names the column. */
const LABELS: [ColumnKey, RegExp][] = [
  ['serial', /^(s|sr|sl)\.?\s*no\.?$/],
  ['valueDate', /^value\s*(date|dt)\.?$/],
  ['date', /^((txn|tran|trans|transaction|post|posting)\.?\s*)?(date|dt)\.?$/],
  ['narration', /^(narration|description|particulars|remarks|details|transaction\s+(remarks|details|description|particulars))$/],
  ['chq', /(chq|cheque|check|ref)/],
  ['drcr', /^(dr\s*\/\s*cr|cr\s*\/\s*dr|type)$/],
  // Units in brackets may be padded inside: ICICI prints "(INR )".
  ['debit', /^(debit|debits|withdrawal|withdrawals|dr)(\s*(amt|amount))?\.?(\s*\(\s*(inr|dr|rs\.?)\s*\))?$/],
  ['credit', /^(credit|credits|deposit|deposits|cr)(\s*(amt|amount))?\.?(\s*\(\s*(inr|cr|rs\.?)\s*\))?$/],
  ['amount', /^((txn|transaction)\s+)?amount(\s*\(\s*(inr|rs\.?)\s*\))?$/],
  ['balance', /^(closing\s+|running\s+)?balance(\s*(amt|amount))?\.?(\s*\(\s*(inr|rs\.?)\s*\))?$/],
];

function classify(label: string): ColumnKey | null {
  const text = label.toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [key, re] of LABELS) if (re.test(text)) return key;
  return null;
}

interface HeaderCell {
  text: string;
  x0: number;
  x1: number;
}

/** Header words are often separate text items; join those closer than a word gap. */
function lineCells(line: TextLine): HeaderCell[] {
  const cells: HeaderCell[] = [];
  for (const item of line.items) {
    const last = cells.at(-1);
    if (last && item.x0 - last.x1 < 3.5) {
      last.text += (item.x0 - last.x1 > 0.5 ? ' ' : '') + item.text.trim();
      last.x1 = item.x1;
    } else {
      cells.push({ text: item.text.trim(), x0: item.x0, x1: item.x1 });
    }
  }
  return cells;
}

/**
 * The labels of a header printed over one or more lines. A label too long for its column wraps
 * onto the next line under itself, so a lower line's cell continues the cell above it that it
 * overlaps most; one that overlaps none is a label of its own (a short label printed level
 * with the wrapped labels' last line).
 */
function headerCells(lines: TextLine[]): HeaderCell[] {
  const cells: HeaderCell[] = [];
  for (const line of lines) {
    const above = [...cells];
    for (const cell of lineCells(line)) {
      let best: HeaderCell | null = null;
      let bestOverlap = 0;
      for (const c of above) {
        const overlap = Math.min(c.x1, cell.x1) - Math.max(c.x0, cell.x0);
        if (overlap > bestOverlap) {
          best = c;
          bestOverlap = overlap;
        }
      }
      if (best) {
        best.text += ` ${cell.text}`;
        best.x0 = Math.min(best.x0, cell.x0);
        best.x1 = Math.max(best.x1, cell.x1);
      } else {
        cells.push(cell);
      }
    }
  }
  return cells.sort((a, b) => a.x0 - b.x0);
}

/** The columns if `lines` (usually one) are a transaction-table header, else null. */
export function readHeader(lines: TextLine[]): Column[] | null {
  const cells = headerCells(lines);
  const keys = cells.map((c) => classify(c.text));
  const found = new Set(keys.filter((k) => k !== null));
  const hasAmounts = (found.has('debit') && found.has('credit')) || found.has('amount');
  if (!found.has('date') || !found.has('balance') || !hasAmounts) return null;
  if (keys.filter((k) => k === null).length > 1) return null;
  const columns: Column[] = [];
  cells.forEach((cell, i) => {
    const key = keys[i];
    if (!key || columns.some((c) => c.key === key)) return;
    const prev = cells[i - 1];
    const next = cells[i + 1];
    columns.push({
      key,
      left: prev ? (prev.x1 + cell.x0) / 2 : -Infinity,
      right: next ? (cell.x1 + next.x0) / 2 : Infinity,
    });
  });
  return columns;
}

/** Header labels wrap onto at most this many lines. */
const MAX_HEADER_LINES = 3;

/** Lines set at ordinary line spacing, as a wrapped label's lines are (no blank line between). */
function stacked(upper: TextLine, lower: TextLine): boolean {
  return lower.top - upper.bottom < upper.bottom - upper.top;
}

/** The header starting at `lines[start]` that names the most columns, preferring more lines on a tie. */
function headerAt(lines: TextLine[], start: number): { columns: Column[]; lineCount: number } | null {
  let best: { columns: Column[]; lineCount: number } | null = null;
  for (let n = 1; n <= MAX_HEADER_LINES && start + n <= lines.length; n++) {
    if (n > 1 && !stacked(lines[start + n - 2]!, lines[start + n - 1]!)) break;
    const columns = readHeader(lines.slice(start, start + n));
    if (columns && (!best || columns.length >= best.columns.length)) best = { columns, lineCount: n };
  }
  return best;
}

/**
 * The transaction-table header that starts at `lines[start]`, with the number of lines it
 * takes, else null. A line printed right above a one-line header (a title, the period) can
 * merge into it and still read as a header, one label spoiled; when the lines below it make
 * a header naming as many columns, that line is not part of the header.
 */
export function findHeader(lines: TextLine[], start: number): { columns: Column[]; lineCount: number } | null {
  const here = headerAt(lines, start);
  if (!here || here.lineCount === 1) return here;
  const below = headerAt(lines, start + 1);
  return below && below.columns.length >= here.columns.length ? null : here;
}

/** Splits a table line into its cells' texts, by each item's horizontal centre. */
export function cellsOf(line: TextLine, columns: Column[]): Partial<Record<ColumnKey, string>> {
  const out: Partial<Record<ColumnKey, string>> = {};
  for (const item of line.items) {
    const centre = (item.x0 + item.x1) / 2;
    const column = columns.find((c) => centre >= c.left && centre < c.right);
    if (!column) continue;
    const text = item.text.trim();
    out[column.key] = out[column.key] ? `${out[column.key]} ${text}` : text;
  }
  return out;
}
