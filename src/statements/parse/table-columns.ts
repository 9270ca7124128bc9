/**
 * Finds a statement's transaction table by its header (one line, or a few when long labels
 * wrap) and derives the columns' horizontal extents from the header labels. Works for any bank
 * whose header uses the usual words, which is what makes the fallback for unseen layouts
 * possible.
 */
import type { TextLine } from './text-lines.ts';
import { normalizeLabel, type StatementVocabulary } from './statement-vocabulary.ts';

/** `balanceSign`: a Dr/Cr column printed for the balance, not for the entry (Federal Bank). */
export type ColumnKey = 'date' | 'valueDate' | 'narration' | 'chq' | 'debit' | 'credit' | 'amount' | 'drcr' | 'balance' | 'serial' | 'balanceSign';

/**
 * `unknown`: a label we could not name; its column is named from the numbers under it, or left
 * out (see infer-columns.ts). `ignore`: a column a bank profile says holds nothing we read
 * (branch codes, transaction ids).
 */
export type HeaderKey = ColumnKey | 'unknown' | 'ignore';

export interface Column {
  key: HeaderKey;
  left: number;
  right: number;
  /** Where the column's label starts, when a header label names it (not for inferred columns). */
  labelX0?: number;
}

/** Checked in order; the first match names the column. */
const LABELS: [ColumnKey, RegExp][] = [
  ['serial', /^(s|sr|sl|srl)\.?\s*(no|num|#)?\.?$|^#$/],
  ['valueDate', /^value\s*(date|dt)\.?$/],
  ['date', /^((txn|tran|trans|transaction|post|posting|posted|book|booking|entry)\.?\s*)*(date|dt)\.?$|^date\s+of\s+(txn|transaction)$/],
  ['narration', /^((transaction|txn)\s+)?(narration|narrative|description|particulars|remarks|details)(\s*\/\s*(narration|narrative|description|particulars|remarks|details))?$/],
  // Starts with the word ("Chq./Ref.No.", "Cheque Number", "Ref No./Cheque No."), so that labels
  // joined with a cheque label ("Transaction Cheque") do not read as one.
  ['chq', /^(chq|cheque|check|ref|reference|instrument)\b/],
  ['drcr', /^(dr\s*\/\s*cr|cr\s*\/\s*dr|type)$/],
  ['debit', /^(debit|debits|withdrawal|withdrawals|dr)(\s*(amt|amount))?\.?$/],
  ['credit', /^(credit|credits|deposit|deposits|cr)(\s*(amt|amount))?\.?$/],
  ['amount', /^((txn|transaction)\s+)?amount$/],
  ['balance', /^(closing\s+|running\s+|available\s+|ledger\s+|book\s+)?balance(\s*(amt|amount))?\.?$/],
];

/** The column a label names: by the bank profiles' words first, then the usual words; null for none. */
function classify(label: string, vocabulary: StatementVocabulary | undefined): ColumnKey | 'ignore' | null {
  const text = normalizeLabel(label);
  const profiled = vocabulary?.label(text);
  if (profiled) return profiled;
  for (const [key, re] of LABELS) if (re.test(text)) return key;
  return null;
}

/** A piece of a header label: one text item, on the header's `line`-th line. */
interface LabelPart {
  text: string;
  x0: number;
  x1: number;
  line: number;
  /** Which text item of its line the word came from. */
  item: number;
}

interface HeaderCell {
  text: string;
  x0: number;
  x1: number;
  parts: LabelPart[];
}

/** A label's text from its parts: lines in order, items joined with a space unless they touch. */
function labelText(parts: LabelPart[]): string {
  const sorted = [...parts].sort((a, b) => a.line - b.line || a.x0 - b.x0);
  let text = '';
  sorted.forEach((part, i) => {
    const prev = sorted[i - 1];
    const touching = prev && prev.line === part.line && part.x0 - prev.x1 <= 0.5;
    text += (i === 0 ? '' : touching ? '' : ' ') + part.text;
  });
  return text;
}

function cellOf(parts: LabelPart[]): HeaderCell {
  return { text: labelText(parts), x0: Math.min(...parts.map((p) => p.x0)), x1: Math.max(...parts.map((p) => p.x1)), parts };
}

/**
 * An item's words with where each stands, estimated from its place in the text (a producer that
 * leaves no gap between table cells writes two cells' texts as one item: "Balance Init. Br").
 */
function words(item: { text: string; x0: number; x1: number }): { text: string; x0: number; x1: number }[] {
  const text = item.text;
  const perChar = (item.x1 - item.x0) / Math.max(1, text.length);
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], x0: item.x0 + m.index * perChar, x1: item.x0 + (m.index + m[0].length) * perChar }));
}

/** Header words are often separate text items; join those closer than a word gap. */
function lineCells(line: TextLine, lineIndex: number): HeaderCell[] {
  const groups: LabelPart[][] = [];
  for (const [index, item] of line.items.entries()) {
    const parts = words(item).map((w) => ({ ...w, line: lineIndex, item: index }));
    if (parts.length === 0) continue;
    const last = groups.at(-1);
    if (last && parts[0]!.x0 - last.at(-1)!.x1 < 3.5) last.push(...parts);
    else groups.push(parts);
  }
  return groups.map(cellOf);
}

/**
 * The labels of a header printed over one or more lines. A label too long for its column wraps
 * onto the next line under itself, so a lower line's cell continues the cell above it that it
 * overlaps most; one that overlaps none is a label of its own (a short label printed level
 * with the wrapped labels' last line).
 */
function headerCells(lines: TextLine[]): HeaderCell[] {
  const cells: HeaderCell[] = [];
  lines.forEach((line, lineIndex) => {
    const above = [...cells];
    for (const cell of lineCells(line, lineIndex)) {
      let best: HeaderCell | null = null;
      let bestOverlap = 0;
      for (const c of above) {
        const overlap = Math.min(c.x1, cell.x1) - Math.max(c.x0, cell.x0);
        if (overlap > bestOverlap) {
          best = c;
          bestOverlap = overlap;
        }
      }
      if (best) Object.assign(best, cellOf([...best.parts, ...cell.parts]));
      else cells.push(cell);
    }
  });
  return cells.sort((a, b) => a.x0 - b.x0);
}

/**
 * Labels printed closer than a word gap read as one ("Transaction Cheque" when a bold, unkerned
 * label nearly fills its column, or runs past the next one in a wider font). Such a cell is
 * split where its items (or, in one item, its words) start on its first line, into labels that
 * each name a different column: always when the whole names none, else only between items
 * that stand further apart than the words of one label do (3 pt or more) or overlap.
 */
function splitJoined(cell: HeaderCell, vocabulary: StatementVocabulary | undefined): HeaderCell[] {
  return cell.parts.length < 2 ? [cell] : (pieces(cell.parts, vocabulary) ?? [cell]);
}

/** `parts` as labels that each name a column, left to right, or null. */
function pieces(parts: LabelPart[], vocabulary: StatementVocabulary | undefined): HeaderCell[] | null {
  const whole = cellOf(parts);
  const named = classify(whole.text, vocabulary);
  const top = Math.min(...parts.map((p) => p.line));
  const starts = [...new Set(parts.filter((p) => p.line === top).map((p) => p.x0))].sort((a, b) => a - b).slice(1);
  for (const at of starts) {
    const left = cellOf(parts.filter((p) => p.x0 < at));
    const leftTop = left.parts.filter((p) => p.line === top);
    if (leftTop.length === 0) continue;
    const gap = at - Math.max(...leftTop.map((p) => p.x1));
    // Words of one item split only where the whole names nothing: their gaps are estimates.
    const sameItem = parts.some((p) => p.line === top && p.x0 === at && leftTop.some((l) => l.item === p.item));
    if (named !== null && (sameItem || (gap < 3 && gap >= 0))) continue;
    const key = classify(left.text, vocabulary);
    if (!key) continue;
    const rest = pieces(
      parts.filter((p) => p.x0 >= at),
      vocabulary,
    );
    if (!rest || rest.some((c) => classify(c.text, vocabulary) === key)) continue;
    return [{ ...left, x1: Math.min(left.x1, rest[0]!.x0) }, ...rest];
  }
  return named ? [whole] : null;
}

/**
 * Names the columns of a header whose labels do not name them all (a label clipped at the page
 * edge, an unusual word, no balance column) from the rows under it; null when they cannot be
 * told. See infer-columns.ts.
 */
export type InferColumns = (columns: Column[], below: TextLine[]) => Column[] | null;

export interface HeaderOptions {
  /** The lines under the header, for `infer`. */
  below?: TextLine[];
  infer?: InferColumns;
  /** The bank profiles' words (statement-vocabulary.ts); without it only the usual words are known. */
  vocabulary?: StatementVocabulary;
}

/** Each header cell's column, `unknown` where the label names none (or names one already taken). */
function labelledColumns(cells: HeaderCell[], vocabulary: StatementVocabulary | undefined): Column[] {
  const columns: Column[] = [];
  cells.forEach((cell, i) => {
    let key: HeaderKey = classify(cell.text, vocabulary) ?? 'unknown';
    if (key !== 'unknown' && key !== 'ignore' && columns.some((c) => c.key === key)) key = 'unknown';
    const prev = cells[i - 1];
    const next = cells[i + 1];
    columns.push({
      key,
      left: prev ? (prev.x1 + cell.x0) / 2 : -Infinity,
      right: next ? (cell.x1 + next.x0) / 2 : Infinity,
      labelX0: cell.x0,
    });
  });
  // A Dr/Cr column right after the balance, where debits and credits have columns of their own,
  // is the balance's sign (overdrawn or not), not the entry's direction.
  const balanceAt = columns.findIndex((c) => c.key === 'balance');
  const after = columns[balanceAt + 1];
  if (balanceAt >= 0 && after?.key === 'drcr' && columns.some((c) => c.key === 'debit') && columns.some((c) => c.key === 'credit')) after.key = 'balanceSign';
  return columns;
}

/** Whether the labels alone name a complete table: a date, a balance and the amounts. */
function namesEverything(columns: Column[]): boolean {
  const keys = new Set(columns.map((c) => c.key));
  return keys.has('date') && keys.has('balance') && namesAmounts(keys) && columns.filter((c) => c.key === 'unknown').length <= 1;
}

/** Whether columns named `keys` make a readable table's amounts: debits and credits, or one amount column. */
export function namesAmounts(keys: Iterable<HeaderKey>): boolean {
  const set = new Set(keys);
  return (set.has('debit') && set.has('credit')) || set.has('amount');
}

/**
 * The columns if `lines` (usually one) are a transaction-table header, else null. A header
 * whose labels name everything needs nothing more; one that names a transaction date and at
 * least two more columns is completed by `infer` from the rows under it, when given.
 */
export function readHeader(lines: TextLine[], options: HeaderOptions = {}): Column[] | null {
  const { below = [], infer, vocabulary } = options;
  const columns = labelledColumns(
    headerCells(lines).flatMap((c) => splitJoined(c, vocabulary)),
    vocabulary,
  );
  if (namesEverything(columns)) return columns.filter((c) => c.key !== 'unknown' && c.key !== 'ignore');
  const known = columns.filter((c) => c.key !== 'unknown' && c.key !== 'ignore');
  if (!infer || !known.some((c) => c.key === 'date') || known.length < 3) return null;
  return infer(columns, below);
}

/** Header labels wrap onto at most this many lines. */
const MAX_HEADER_LINES = 3;
/** How many lines under a header the columns are inferred from. */
const INFER_FROM_LINES = 60;

/** Lines set at ordinary line spacing, as a wrapped label's lines are (no blank line between). */
function stacked(upper: TextLine, lower: TextLine): boolean {
  return lower.top - upper.bottom < upper.bottom - upper.top;
}

/** An amount with paise or a long run of digits (a reference, an IFSC's branch code): row text, never a header label's. */
const ROW_FIGURES = /\d[\d,]*\.\d{2}\b|\d{5,}/;

/** Columns named by a header (or inferred), not counting the ones left unknown or ignored. */
const named = (columns: Column[]) => columns.filter((c) => c.key !== 'unknown' && c.key !== 'ignore').length;

/** The header starting at `lines[start]` that names the most columns, preferring more lines on a tie. */
function headerAt(lines: TextLine[], start: number, options: Omit<HeaderOptions, 'below'>): { columns: Column[]; lineCount: number } | null {
  let best: { columns: Column[]; lineCount: number } | null = null;
  for (let n = 1; n <= MAX_HEADER_LINES && start + n <= lines.length; n++) {
    // A table set tight puts its first row (or its opening-balance line) a label's line under
    // the header: it is not a wrapped label when it holds a row's figures.
    if (n > 1 && (!stacked(lines[start + n - 2]!, lines[start + n - 1]!) || ROW_FIGURES.test(lines[start + n - 1]!.text))) break;
    const columns = readHeader(lines.slice(start, start + n), { ...options, below: lines.slice(start + n, start + n + INFER_FROM_LINES) });
    if (columns && (!best || named(columns) >= named(best.columns))) best = { columns, lineCount: n };
  }
  return best;
}

/**
 * The transaction-table header that starts at `lines[start]`, with the number of lines it
 * takes, else null. A line printed right above a one-line header (a title, the period) can
 * merge into it and still read as a header, one label spoiled; when the lines below it make
 * a header naming as many columns, that line is not part of the header.
 */
export function findHeader(lines: TextLine[], start: number, options: Omit<HeaderOptions, 'below'> = {}): { columns: Column[]; lineCount: number } | null {
  const here = headerAt(lines, start, options);
  if (!here || here.lineCount === 1) return here;
  const below = headerAt(lines, start + 1, options);
  return below && named(below.columns) >= named(here.columns) ? null : here;
}

/** Left-aligned columns a narration may spill towards (never amounts, which are right-aligned and may start left of their label). */
const TEXT_AFTER_NARRATION: ReadonlySet<HeaderKey> = new Set(['chq', 'valueDate', 'unknown']);

const AMOUNT_KEYS: ReadonlySet<HeaderKey> = new Set(['debit', 'credit', 'amount', 'balance']);
/** Words without a digit: never an amount's text. */
const WORDS_ONLY = /^[^\d]*[a-z]{2}[^\d]*$/i;
/** What an amount cell holds: a figure, signed, bracketed or with a currency or Dr/Cr, or a dash. */
const FIGURE_CELL = /^(?:[-(+]?\s*(?:rs\.?|inr|₹)?\s*[\d,]+(?:\.\d+)?\)?-?\s*(?:cr|dr)?\.?|-+)$/i;

/** Figures, dates and codes, and a Dr/Cr after a figure: the words a producer may run together across cells. */
const FIGURE = /^([\d,./-]+|\(?(cr|dr)\.?\)?)$/i;

/**
 * Splits a table line into its cells' texts, one per column, by each item's horizontal centre.
 * An item of figures only that reaches across a column's edge is two cells' figures run
 * together ("1,04,415.00 0999" for a balance and a branch code): its words go to the columns
 * they stand in. Items with letters are never split, so that a narration running into the
 * next column stays whole.
 */
export function cellTexts(line: TextLine, columns: Column[]): string[] {
  const out = columns.map(() => '');
  const dateAt = columns.findIndex((c) => c.key === 'date');
  const put = (text: string, x0: number, x1: number) => {
    const centre = (x0 + x1) / 2;
    let index = columns.findIndex((c) => centre >= c.left && centre < c.right);
    // Words of a wrapped narration that start before the next column's label are the
    // narration's, even when they reach past the middle of the gap between the two labels
    // (Writer sets a narration's continuation words as items of their own).
    const label = columns[index]?.labelX0;
    const prevIsNarration = index > 0 && columns[index - 1]!.key === 'narration';
    if (prevIsNarration && TEXT_AFTER_NARRATION.has(columns[index]!.key) && label !== undefined && x0 < label - 1 && (/[a-z]{2}/i.test(text) || out[index - 1])) index--;
    // …and, under an amount column next to the narration, words without a figure, and on a
    // narration's continuation line (no date) anything that is no figure ("2026-05"), are too.
    else if (prevIsNarration && AMOUNT_KEYS.has(columns[index]!.key) && ((WORDS_ONLY.test(text) && !/^(rs|inr|cr|dr)\.?$/i.test(text)) || (out[index - 1] && dateAt >= 0 && !out[dateAt] && !FIGURE_CELL.test(text)))) index--;
    if (index >= 0) out[index] = out[index] ? `${out[index]} ${text}` : text;
  };
  for (const item of line.items) {
    const text = item.text.trim();
    const crosses = (edge: number) => item.x0 < edge - 1 && item.x1 > edge + 1;
    const spans = columns.some((c) => crosses(c.left) || crosses(c.right));
    const parts = spans && /\s/.test(text) ? words(item) : null;
    if (parts && parts.length > 1 && parts.every((w) => FIGURE.test(w.text))) {
      // A Dr/Cr goes with the figure before it.
      for (let i = 0; i < parts.length; i++) {
        const next = parts[i + 1];
        if (next && /^\(?(cr|dr)\.?\)?$/i.test(next.text)) {
          put(`${parts[i]!.text} ${next.text}`, parts[i]!.x0, parts[i]!.x1);
          i++;
        } else put(parts[i]!.text, parts[i]!.x0, parts[i]!.x1);
      }
    } else put(text, item.x0, item.x1);
  }
  return out;
}

/** A table line's cells by column name; text under unknown and ignored columns is left out. */
export function cellsOf(line: TextLine, columns: Column[]): Partial<Record<ColumnKey, string>> {
  const out: Partial<Record<ColumnKey, string>> = {};
  cellTexts(line, columns).forEach((text, i) => {
    const key = columns[i]!.key;
    if (text && key !== 'unknown' && key !== 'ignore') out[key] = text;
  });
  return out;
}
