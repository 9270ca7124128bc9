/**
 * Finds a statement's transaction table by its header line and derives the columns' horizontal
 * extents from the header labels. Works for any bank whose header uses the usual words, which
 * is what makes the fallback for unseen layouts possible.
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
  ['debit', /^(debit|debits|withdrawal|withdrawals|dr)(\s*(amt|amount))?\.?(\s*\((inr|dr|rs\.?)\))?$/],
  ['credit', /^(credit|credits|deposit|deposits|cr)(\s*(amt|amount))?\.?(\s*\((inr|cr|rs\.?)\))?$/],
  ['amount', /^((txn|transaction)\s+)?amount(\s*\((inr|rs\.?)\))?$/],
  ['balance', /^(closing\s+|running\s+)?balance(\s*(amt|amount))?\.?(\s*\((inr|rs\.?)\))?$/],
];

function classify(label: string): ColumnKey | null {
  const text = label.toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [key, re] of LABELS) if (re.test(text)) return key;
  return null;
}

/** Header words are often separate text items; join those closer than a word gap. */
function headerCells(line: TextLine): { text: string; x0: number; x1: number }[] {
  const cells: { text: string; x0: number; x1: number }[] = [];
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

/** The columns if `line` is a transaction-table header, else null. */
export function readHeader(line: TextLine): Column[] | null {
  const cells = headerCells(line);
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
