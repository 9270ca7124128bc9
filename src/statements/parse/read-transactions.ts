/**
 * Reads the transaction rows of a statement table, page by page: a line with a date in the
 * date column starts a row; lines under it with only narration text continue it (wrapped
 * narrations); opening-balance, carried-forward and total lines are not transactions; page
 * headers and footers are skipped. Then every row is reconciled against its printed balance.
 */
import type { CalendarDate } from '../../lib/calendar-date.ts';
import { parseAmount, signedBalance, type ParsedAmount } from '../../domain/money.ts';
import { parseStatementDate, parseYearlessDate } from './statement-dates.ts';
import { readPeriod } from './statement-identity.ts';
import type { BalanceBreak, BoundingBox, StatementTransaction } from '../../domain/statement.ts';
import { cellsOf, findHeader, type Column } from './table-columns.ts';
import type { TextLine } from './text-lines.ts';

const OPENING = /(opening\s+balance|balance\s+as\s+on|b\/f|brought\s+forward|balance\s+forward)/i;
/** Summary lines, matched against the whole narration so that "TOTAL ENERGIES" stays a row. */
const NOT_A_ROW = /^(closing\s+balance|balance\s+c\/f|c\/f|carried\s+forward|(grand\s+|transaction\s+|page\s+)?totals?|statement\s+summary)\s*:?$/i;
const FOOTER = /(page\s*(no\.?)?\s*[:.]?\s*\d+(\s*of\s*\d+)?|computer\s+generated|^\d+\s*\/\s*\d+$|end\s+of\s+statement)/i;

interface DraftRow {
  date: CalendarDate;
  narration: string[];
  chq: string | null;
  debit: ParsedAmount | null;
  credit: ParsedAmount | null;
  amount: ParsedAmount | null;
  drcr: 'dr' | 'cr' | null;
  balance: ParsedAmount;
  page: number;
  bbox: BoundingBox;
  lastBottom: number;
}

export interface TableReading {
  transactions: StatementTransaction[];
  openingBalancePaise: number | null;
  firstBreak: BalanceBreak | null;
  /** Lines above the first header on the first page that has one (identity, period). */
  preamble: TextLine[];
  /** Whether any header was found. */
  found: boolean;
}

function amountOf(text: string | undefined): ParsedAmount | null {
  return text ? parseAmount(text) : null;
}

/** Whether a debit, credit or amount cell moves money: empty, a dash or zero does not. */
function movesMoney(text: string | undefined): boolean {
  if (!text || /^[\s\-–—]*$/.test(text)) return false;
  return (parseAmount(text)?.paise ?? 1) !== 0;
}

export function readTransactions(pages: TextLine[][]): TableReading {
  let columns: Column[] | null = null;
  let preamble: TextLine[] = [];
  let opening: number | null = null;
  /** The statement's period from the preamble: the year of dates printed without one. */
  let period: ReturnType<typeof readPeriod> = null;
  const rows: DraftRow[] = [];

  for (const lines of pages) {
    let current: DraftRow | null = null;
    let inTable = columns !== null;
    const squashed = lines.map(squash);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const header = mayStartHeader(squashed, i) ? findHeader(lines, i) : null;
      if (header) {
        if (!columns) {
          preamble = lines.slice(0, i);
          period = readPeriod(preamble);
        }
        columns = header.columns;
        inTable = true;
        current = null;
        i += header.lineCount - 1;
        continue;
      }
      if (!inTable || !columns || FOOTER.test(line.text)) continue;
      const cells = cellsOf(line, columns);
      const balance = amountOf(cells.balance);
      const date = cells.date ? (parseStatementDate(cells.date) ?? parseYearlessDate(cells.date, period)) : null;
      const narration = cells.narration ?? '';

      // "Opening Balance", "BALANCE B/F", "Brought forward": the opening balance (or a page's
      // carried balance), never a transaction, even dated and with zeros in the amount columns.
      if (OPENING.test(line.text) && balance && !movesMoney(cells.debit) && !movesMoney(cells.credit) && !movesMoney(cells.amount)) {
        if (rows.length === 0) opening = signedBalance(balance);
        current = null;
        continue;
      }
      if (NOT_A_ROW.test(narration.trim())) {
        current = null;
        continue;
      }
      if (date && balance) {
        const amountText = cells.amount;
        const marker = cells.drcr?.toLowerCase().startsWith('d') ? 'dr' : cells.drcr?.toLowerCase().startsWith('c') ? 'cr' : null;
        current = {
          date,
          narration: narration ? [narration] : [],
          chq: cells.chq ?? null,
          debit: amountOf(cells.debit),
          credit: amountOf(cells.credit),
          amount: amountOf(amountText),
          drcr: marker,
          balance,
          page: line.page,
          bbox: [minX0(line, Infinity), line.top, maxX1(line, -Infinity), line.bottom],
          lastBottom: line.bottom,
        };
        rows.push(current);
        continue;
      }
      // A wrapped narration line: no date, no amounts, right under the row it belongs to.
      const height = line.bottom - line.top;
      if (current && !date && !balance && !cells.debit && !cells.credit && !cells.amount && line.top - current.lastBottom < height * 1.2) {
        if (cells.narration) current.narration.push(cells.narration);
        if (cells.chq) current.chq = current.chq ? `${current.chq}${cells.chq}` : cells.chq;
        current.bbox = [minX0(line, current.bbox[0]), current.bbox[1], maxX1(line, current.bbox[2]), line.bottom];
        current.lastBottom = line.bottom;
        continue;
      }
      current = null;
    }
  }
  return { ...reconcile(rows, opening), preamble, found: columns !== null };
}

/**
 * Decides each row's direction and checks its balance. A debit or credit column decides the
 * direction when it is filled; otherwise a Dr/Cr marker does; otherwise the balance change.
 */
function reconcile(rows: DraftRow[], opening: number | null): Omit<TableReading, 'preamble' | 'found'> {
  const transactions: StatementTransaction[] = [];
  let firstBreak: BalanceBreak | null = null;
  let previous = opening;
  for (const [index, row] of rows.entries()) {
    const balance = signedBalance(row.balance);
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
    if (type === null) {
      if (previous !== null && previous - amount === balance) type = 'debit';
      else if (previous !== null && previous + amount === balance) type = 'credit';
      else if (previous === null && index + 1 < rows.length) type = 'debit';
      else type = balance >= (previous ?? 0) ? 'credit' : 'debit';
    }
    const signed = type === 'credit' ? amount : -amount;
    if (previous === null) previous = balance - signed;
    if (previous + signed !== balance && !firstBreak) {
      firstBreak = { index, page: row.page, date: row.date, expectedBalancePaise: previous + signed, printedBalancePaise: balance };
    }
    transactions.push({
      date: row.date,
      narration: joinWrapped(row.narration),
      chqNum: row.chq,
      type,
      amountPaise: amount,
      balancePaise: balance,
      page: row.page,
      bbox: row.bbox.map((v) => Math.round(v * 100) / 100) as BoundingBox,
    });
    previous = balance;
  }
  const openingBalancePaise =
    opening ?? (transactions[0] ? transactions[0].balancePaise - (transactions[0].type === 'credit' ? 1 : -1) * transactions[0].amountPaise : null);
  return { transactions, openingBalancePaise, firstBreak };
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

/**
 * A cheap test before the full header check, which is the costliest step on long statements:
 * every header names a date and a balance column, so the words "date" (or "dt") and "balance"
 * appear in the line or in the two lines under it (a wrapped header). `squashed` holds each
 * line's text squashed (see `squash`), made once per page.
 */
function mayStartHeader(squashed: string[], i: number): boolean {
  const text = squashed[i]! + (squashed[i + 1] ?? '') + (squashed[i + 2] ?? '');
  return text.includes('balance') && (text.includes('date') || text.includes('dt'));
}
