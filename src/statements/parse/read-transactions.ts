/**
 * Reads the transaction rows of a statement table, page by page: a line with a date in the
 * date column starts a row; lines under it with only narration text continue it (wrapped
 * narrations); opening-balance, carried-forward and total lines are not transactions; page
 * headers and footers are skipped. Then every row is reconciled against its printed balance.
 */
import type { CalendarDate } from '../../lib/calendar-date.ts';
import { parseAmount, parseAmountCell, signedBalance, type ParsedAmount } from '../../domain/money.ts';
import { parseStatementDate, parseYearlessDate } from './statement-dates.ts';
import { readPeriod } from './statement-identity.ts';
import type { BalanceBreak, BoundingBox, ParsedStatement, PrintedTransaction } from '../../domain/statement.ts';
import { cellsOf, findHeader, type Column, type ColumnKey, type InferColumns } from './table-columns.ts';
import { inferColumns } from './infer-columns.ts';
import type { StatementVocabulary } from './statement-vocabulary.ts';
import type { TextLine } from './text-lines.ts';

/** Page numbers and the usual footer words, tested on every line (a row's amounts could be a page number). */
const FOOTER = /(page\s*(no\.?)?\s*[:.]?\s*\d+(\s*of\s*\d+)?|computer\s+generated|^\d+\s*\/\s*\d+$|end\s+of\s+statement)/i;

interface DraftRow {
  date: CalendarDate;
  /** The narration printed on the row's own line (the date line); wrapped lines are added in `attachLoose`. */
  narration: string;
  above: string[];
  below: string[];
  chq: string | null;
  debit: ParsedAmount | null;
  credit: ParsedAmount | null;
  amount: ParsedAmount | null;
  drcr: 'dr' | 'cr' | null;
  balance: ParsedAmount | null;
  page: number;
  bbox: BoundingBox;
  /** The row's own line (both lines, for a row whose date and amounts stand on two). */
  top: number;
  bottom: number;
}

type Cells = Partial<Record<ColumnKey, string>>;

/** One line of a row printed on two: its date, or its amounts (`date` null). */
interface HalfRow {
  cells: Cells;
  line: TextLine;
  date: CalendarDate | null;
}

/** A row from its line (or the two lines of a row whose date and amounts stand apart). */
function draftRow(parts: { cells: Cells; line: TextLine }[], date: CalendarDate): DraftRow {
  const lines = parts.map((p) => p.line);
  let cells: Cells = parts[0]!.cells;
  if (parts.length > 1) {
    cells = {};
    for (const part of [...parts].sort((a, b) => a.line.top - b.line.top)) {
      for (const [key, text] of Object.entries(part.cells) as [ColumnKey, string][]) cells[key] = cells[key] ? `${cells[key]} ${text}` : text;
    }
  }
  const marker = drOrCr(cells.drcr);
  const top = Math.min(...lines.map((l) => l.top));
  const bottom = Math.max(...lines.map((l) => l.bottom));
  return {
    date,
    narration: cells.narration ?? '',
    above: [],
    below: [],
    chq: cells.chq ?? null,
    debit: amountOf(cells.debit),
    credit: amountOf(cells.credit),
    amount: amountOf(cells.amount),
    drcr: marker,
    balance: withSign(amountOf(cells.balance), cells.balanceSign),
    page: lines[0]!.page,
    bbox: [Math.min(...lines.map((l) => minX0(l, Infinity))), top, Math.max(...lines.map((l) => maxX1(l, -Infinity))), bottom],
    top,
    bottom,
  };
}

/** A line with only narration (or reference) text: part of the row above it or of the one below. */
interface LooseLine {
  narration: string;
  chq: string;
  line: TextLine;
}

/**
 * What the table lines are, in order: rows, loose narration lines, page starts, headers, and
 * anything else (which ends a row).
 */
type TableEvent = { row: DraftRow } | { half: HalfRow } | { loose: LooseLine } | { page: true } | { header: { bottom: number } } | { end: true };

export interface TableReading {
  transactions: PrintedTransaction[];
  openingBalancePaise: number | null;
  /** The last printed balance (or the opening one when no row prints one); null without a balance column. */
  closingBalancePaise: number | null;
  /** Null when the table prints no balances: there is nothing to reconcile. */
  reconciled: boolean | null;
  firstBreak: BalanceBreak | null;
  /** Lines above the first header on the first page that has one (identity, period). */
  preamble: TextLine[];
  /** The first header's lines. */
  header: TextLine[];
  /** Whether any header was found. */
  found: boolean;
  /** Whether some row's amount has no direction: no debit/credit column, Dr/Cr mark, sign or balance tells it. */
  undirected: boolean;
  /** Whether some date cell is a date only when read month first, as US statements print them. */
  monthFirst: boolean;
  printedTotals: ParsedStatement['printedTotals'];
}

/** A statement's own total line; a page's ("PAGE TOTAL") or a carried one is not the statement's. */
const TOTAL_LINE = /^(grand\s+|transaction\s+)?totals?\s*[:.]*$/i;

/** A numeric date whose second number cannot be a month and whose first can ("12/15/2026"). */
const MONTH_FIRST = /^(0?[1-9]|1[0-2])[/.-](1[3-9]|2\d|3[01])[/.-](\d{2}|\d{4})\b/;

/** What a Dr/Cr column says ("Dr", "DR.", "Cr", "CREDIT"), or null. */
function drOrCr(text: string | undefined): 'dr' | 'cr' | null {
  const first = text?.trim()[0]?.toLowerCase();
  return first === 'd' ? 'dr' : first === 'c' ? 'cr' : null;
}

/** A balance with the Dr/Cr printed in a column of its own (`balanceSign`), when the bank prints one. */
function withSign(balance: ParsedAmount | null, sign: string | undefined): ParsedAmount | null {
  if (!balance || !sign) return balance;
  const marker = drOrCr(sign) ?? balance.marker;
  return { ...balance, marker };
}

const amountOf = parseAmountCell;

/** Whether a debit, credit or amount cell moves money: empty, a dash or zero does not (text that is not an amount does). */
function movesMoney(text: string | undefined): boolean {
  if (!text || /^[\s\-–—]*$/.test(text)) return false;
  return (parseAmount(text)?.paise ?? 1) !== 0;
}

/** Loose lines further than this many line heights from the table line above them are not part of the table. */
const LOOSE_REACH = 2.5;

export function readTransactions(pages: TextLine[][], vocabulary: StatementVocabulary): TableReading {
  let columns: Column[] | null = null;
  let preamble: TextLine[] = [];
  let headerLines: TextLine[] = [];
  let opening: number | null = null;
  /** The statement's period from the preamble: the year of dates printed without one. */
  let period: ReturnType<typeof readPeriod> = null;
  const readDate = (text: string) => parseStatementDate(text) ?? parseYearlessDate(text, period);
  const infer: InferColumns = (header, below) => inferColumns(header, below, readDate);
  const events: TableEvent[] = [];
  let rowCount = 0;
  const totals: NonNullable<ParsedStatement['printedTotals']>[] = [];
  /** Whether a date-column cell is a date only when read month first ("12/15/2026"). */
  let monthFirst = false;

  for (const lines of pages) {
    events.push({ page: true });
    let inTable = columns !== null;
    /** The bottom of the last table line (header, row or loose line) on this page. */
    let lastBottom = -Infinity;
    const squashed = lines.map(squash);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (mayStartHeader(squashed, i)) {
        if (!columns) period = readPeriod(lines.slice(0, i));
        const header = findHeader(lines, i, { infer, vocabulary });
        if (header) {
          if (!columns) {
            preamble = lines.slice(0, i);
            headerLines = lines.slice(i, i + header.lineCount);
          }
          columns = header.columns;
          inTable = true;
          events.push({ header: { bottom: lines[i + header.lineCount - 1]!.bottom } });
          i += header.lineCount - 1;
          lastBottom = lines[i]!.bottom;
          continue;
        }
      }
      if (!inTable || !columns || FOOTER.test(line.text)) {
        events.push({ end: true });
        continue;
      }
      const cells = cellsOf(line, columns);
      const balance = withSign(amountOf(cells.balance), cells.balanceSign);
      const date = cells.date ? readDate(cells.date) : null;
      if (cells.date && !date && MONTH_FIRST.test(cells.date.trim())) monthFirst = true;
      const narration = cells.narration ?? '';
      const moves = movesMoney(cells.debit) || movesMoney(cells.credit) || movesMoney(cells.amount);

      // "Opening Balance", "BALANCE B/F", "Brought forward": the opening balance (or a page's
      // carried balance), never a transaction, even dated and with zeros in the amount columns.
      if (vocabulary.isOpening(line.text) && balance && !moves) {
        if (rowCount === 0) opening = signedBalance(balance);
        events.push({ end: true });
        lastBottom = line.bottom;
        continue;
      }
      if (vocabulary.isSummary(narration)) {
        const debit = amountOf(cells.debit);
        const credit = amountOf(cells.credit);
        if (rowCount > 0 && TOTAL_LINE.test(narration.trim()) && debit && credit) {
          totals.push({ debitPaise: debit.paise, creditPaise: credit.paise, page: line.page, bbox: [minX0(line, Infinity), line.top, maxX1(line, -Infinity), line.bottom] });
        }
        events.push({ end: true });
        continue;
      }
      const hasAmounts = balance !== null || moves;
      if (date && hasAmounts) {
        events.push({ row: draftRow([{ cells, line }], date) });
        rowCount++;
        lastBottom = line.bottom;
        continue;
      }
      // Not a row, a footer, nor one of the banks' footer or disclaimer lines.
      if (vocabulary.isFooter(line.text)) {
        events.push({ end: true });
        continue;
      }
      const height = line.bottom - line.top;
      // A row whose date and amounts stand on two lines (its cells aligned differently): the
      // half seen first waits for the other, right under it.
      if (date || hasAmounts) {
        const last = events.at(-1);
        const half = last && 'half' in last ? last.half : null;
        if (half && half.date === null !== (date === null) && line.top - half.line.bottom < height * LOOSE_REACH) {
          events[events.length - 1] = { row: draftRow([half, { cells, line }], (date ?? half.date)!) };
          rowCount++;
        } else {
          events.push({ half: { cells, line, date } });
        }
        lastBottom = line.bottom;
        continue;
      }
      if (!date && !balance && !cells.debit && !cells.credit && !cells.amount && (cells.narration || cells.chq) && line.top - lastBottom < height * LOOSE_REACH) {
        events.push({ loose: { narration: cells.narration ?? '', chq: cells.chq ?? '', line } });
        lastBottom = line.bottom;
        continue;
      }
      events.push({ end: true });
    }
  }
  const rows = attachLoose(events);
  // Several total lines are pages' or sections' totals, not the statement's.
  const printedTotals = totals.length === 1 ? totals[0]! : null;
  return { ...reconcile(newestLast(rows), opening), preamble, header: headerLines, found: columns !== null, monthFirst, printedTotals };
}

/**
 * The rows oldest first. Some statements (exports, payments banks' passbooks) print the newest
 * first; their balances follow from the row below, so they are read bottom up.
 */
function newestLast(rows: DraftRow[]): DraftRow[] {
  if (rows.length < 2 || rows[0]!.date <= rows.at(-1)!.date) return rows;
  for (let i = 1; i < rows.length; i++) if (rows[i]!.date > rows[i - 1]!.date) return rows;
  return [...rows].reverse();
}

/**
 * Gives each run of loose lines to the row above it (a narration wrapped under its date line)
 * or the row below it (a narration printed above the date line, or centred on it). A line that
 * overlaps a row's own narration cannot be in that row's cell. Otherwise the widest vertical gap
 * in the run is where one row's cell ends and the next one's begins; where no gap stands out,
 * the statement's habit decides: if most rows print nothing beside their date, narrations stand
 * above their dates, else under them. Lines at the top of a page, under the repeated header,
 * continue the last row of the page before when narrations stand under their dates (a row
 * split by the page break).
 */
function attachLoose(events: TableEvent[]): DraftRow[] {
  const rows = events.flatMap((e) => ('row' in e ? [e.row] : []));
  const above = rows.filter((r) => r.narration === '').length > rows.length / 2;
  let run: LooseLine[] = [];
  let previous: DraftRow | null = null;
  let lastRow: DraftRow | null = null;
  /** The last row of the page before, until this page's first row. */
  let carried: DraftRow | null = null;
  /** The bottom of this page's header. */
  let headerBottom = -Infinity;
  const overlaps = (line: TextLine, row: DraftRow) => row.narration !== '' && line.top < row.bottom && line.bottom > row.top;
  const flush = (next: DraftRow | null) => {
    const before = previous ?? carried;
    if (run.length > 0 && (before || next)) {
      let split: number;
      if (!previous && carried && !next) split = run.length;
      else if (!previous && carried && next) {
        // Under the repeated header. The gap under the header is a cells' border; a gap in the
        // run as wide as it is the border between the row split by the page break (above) and
        // the next row (below). Without one, the run is all one cell: the next row's.
        const height = run[0]!.line.bottom - run[0]!.line.top;
        const afterHeader = run[0]!.line.top - headerBottom;
        const tops = [...run.slice(1).map((l) => l.line.top), next.top];
        const gaps = tops.map((top, i) => ({ at: i + 1, gap: top - run[i]!.line.bottom }));
        const widest = gaps.reduce((w, g) => (g.gap > w.gap ? g : w));
        if (run.some((l) => overlaps(l.line, next))) split = run.length;
        else split = widest.gap >= afterHeader - height * 0.4 ? widest.at : 0;
      } else if (!previous) split = 0;
      else if (!next) split = run.length;
      else {
        // Lines overlapping the next row's narration are the previous row's, and the other way round.
        let lo = 0;
        let hi = run.length;
        run.forEach((loose, i) => {
          if (overlaps(loose.line, next)) lo = Math.max(lo, i + 1);
          if (overlaps(loose.line, previous!)) hi = Math.min(hi, i);
        });
        const tops = [...run.map((l) => l.line.top), next.top];
        const bottoms = [previous.bottom, ...run.map((l) => l.line.bottom)];
        const candidates = tops.map((top, i) => ({ at: i, gap: top - bottoms[i]! })).filter((c) => c.at >= lo && c.at <= hi);
        // The widest gap marks the cells' border only when it stands out by a good part of a line.
        const height = run[0]!.line.bottom - run[0]!.line.top;
        const widest = Math.max(...candidates.map((c) => c.gap));
        const atWidest = candidates.filter((c) => c.gap > widest - height * 0.4);
        if (lo > hi) split = above ? 0 : run.length;
        else if (atWidest.length === 1) split = atWidest[0]!.at;
        else split = above ? lo : hi;
      }
      run.forEach((loose, i) => {
        const row = i < split ? before : next;
        if (!row) return;
        if (loose.narration) (i < split ? row.below : row.above).push(loose.narration);
        if (loose.chq) row.chq = i < split ? `${row.chq ?? ''}${loose.chq}` : `${loose.chq}${row.chq ?? ''}`;
        // A row's box stays on its own page: lines carried over from a page break are not in it.
        if (row.page !== loose.line.page) return;
        const l = loose.line;
        row.bbox = [minX0(l, row.bbox[0]), Math.min(row.bbox[1], l.top), maxX1(l, row.bbox[2]), Math.max(row.bbox[3], l.bottom)];
      });
    }
    run = [];
  };
  for (const event of events) {
    if ('loose' in event) run.push(event.loose);
    else if ('row' in event) {
      flush(event.row);
      previous = lastRow = event.row;
      carried = null;
    } else if ('page' in event) {
      flush(null);
      previous = null;
      carried = lastRow;
    } else if ('header' in event) {
      // Lines above a header are not the table's.
      run = [];
      previous = null;
      headerBottom = event.header.bottom;
    } else {
      flush(null);
      previous = null;
      carried = null;
    }
  }
  flush(null);
  return rows;
}

/**
 * Decides each row's direction and checks its balance. A debit or credit column decides the
 * direction when it is filled; otherwise a Dr/Cr marker or sign does; otherwise the balance
 * change. Rows without a printed balance (a table without a balance column, or a bank that
 * prints the balance once a day) carry the running balance over to the next printed one.
 */
function reconcile(rows: DraftRow[], opening: number | null): Omit<TableReading, 'preamble' | 'header' | 'found' | 'monthFirst' | 'printedTotals'> {
  const transactions: PrintedTransaction[] = [];
  let firstBreak: BalanceBreak | null = null;
  let undirected = false;
  const anyBalance = rows.some((r) => r.balance !== null);
  // A signed amount column: debits carry a minus (or Dr), credits nothing.
  const signedAmounts = rows.some((r) => r.amount?.marker === 'dr') && !rows.some((r) => r.amount?.marker === 'cr');
  /** The running balance after the previous row: printed, or worked out from the last printed one. */
  let previous = opening;
  for (const [index, row] of rows.entries()) {
    const balance = row.balance ? signedBalance(row.balance) : null;
    let type: 'debit' | 'credit' | null = null;
    let amount: number;
    if (row.debit && !row.credit) {
      type = 'debit';
      amount = row.debit.paise;
    } else if (row.credit && !row.debit) {
      type = 'credit';
      amount = row.credit.paise;
    } else {
      const a = row.amount ?? row.debit ?? row.credit;
      amount = a?.paise ?? 0;
      const marker = row.drcr ?? a?.marker ?? null;
      if (marker) type = marker === 'dr' ? 'debit' : 'credit';
    }
    if (type === null && balance !== null) {
      if (previous !== null && previous - amount === balance) type = 'debit';
      else if (previous !== null && previous + amount === balance) type = 'credit';
      else if (previous === null && index + 1 < rows.length) type = 'debit';
      else type = balance >= (previous ?? 0) ? 'credit' : 'debit';
    }
    if (type === null && signedAmounts && row.amount) type = 'credit';
    if (type === null) {
      undirected = true;
      type = 'credit';
    }
    const signed = type === 'credit' ? amount : -amount;
    if (previous === null && balance !== null) previous = balance - signed;
    const expected = previous === null ? null : previous + signed;
    if (balance !== null && expected !== null && expected !== balance && !firstBreak) {
      firstBreak = { index, page: row.page, date: row.date, expectedBalancePaise: expected, printedBalancePaise: balance };
    }
    transactions.push({
      date: row.date,
      narration: joinWrapped([...row.above, ...(row.narration ? [row.narration] : []), ...row.below]),
      chqNum: row.chq,
      type,
      amountPaise: amount,
      balancePaise: balance,
      page: row.page,
      bbox: row.bbox.map((v) => Math.round(v * 100) / 100) as BoundingBox,
    });
    previous = balance ?? expected;
  }
  const firstBalanceAt = transactions.findIndex((t) => t.balancePaise !== null);
  let openingBalancePaise = opening;
  if (openingBalancePaise === null && firstBalanceAt >= 0) {
    // Worked back from the first printed balance through the rows before it.
    openingBalancePaise = transactions.slice(0, firstBalanceAt + 1).reduce((b, t) => b - (t.type === 'credit' ? t.amountPaise : -t.amountPaise), transactions[firstBalanceAt]!.balancePaise!);
  }
  const lastPrinted = transactions.findLast((t) => t.balancePaise !== null);
  return {
    transactions,
    openingBalancePaise: anyBalance ? openingBalancePaise : null,
    closingBalancePaise: anyBalance ? (lastPrinted?.balancePaise ?? openingBalancePaise) : null,
    reconciled: anyBalance ? firstBreak === null : null,
    firstBreak,
    undirected,
  };
}
/**
 * Joins a narration's wrapped lines. A PDF does not say whether a line broke at a space, so
 * lines ending in `/` or `-` (where banks break references) are joined without one.
 */
function joinWrapped(lines: string[]): string {
  return lines
    .reduce((text, line) => (text === '' ? line : /[/-]$/.test(text) ? `${text}${line}` : `${text} ${line}`), '')
    .replace(/\s+/g, ' ')
    .trim();
}

function minX0(line: TextLine, from: number): number {
  let v = from;
  for (const t of line.items) v = Math.min(v, t.x0);
  return v;
}

function maxX1(line: TextLine, from: number): number {
  let v = from;
  for (const t of line.items) v = Math.max(v, t.x1);
  return v;
}

/** A line's text in lower case without whitespace, for `mayStartHeader`. */
function squash(line: TextLine): string {
  return line.text.toLowerCase().replace(/\s+/g, '');
}

/** Words one of which every transaction-table header has besides its date (a balance may be missing or clipped). */
const HEADER_WORDS = ['balance', 'amount', 'debit', 'credit', 'withdrawal', 'deposit', 'narration', 'particulars', 'description', 'remarks', 'details'];

/** The lines of a page above its transaction table's header, or every line when it shows none. */
export function linesAboveTable(lines: TextLine[]): TextLine[] {
  const squashed = lines.map(squash);
  const at = squashed.findIndex((_, i) => mayStartHeader(squashed, i));
  return at < 0 ? lines : lines.slice(0, at);
}

/**
 * A cheap test before the full header check, which is the costliest step on long statements:
 * every header names a date column ("date" or "dt") and at least one of `HEADER_WORDS`, in the
 * line or in the two lines under it (a wrapped header). `squashed` holds each line's text
 * squashed (see `squash`), made once per page.
 */
function mayStartHeader(squashed: string[], i: number): boolean {
  const first = squashed[i]!;
  // A header's first line names a column itself (a line above a header is not one).
  if (!first.includes('date') && !first.includes('dt') && !HEADER_WORDS.some((w) => first.includes(w))) return false;
  const text = first + (squashed[i + 1] ?? '') + (squashed[i + 2] ?? '');
  return (text.includes('date') || text.includes('dt')) && HEADER_WORDS.some((w) => text.includes(w));
}

