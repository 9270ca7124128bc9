/**
 * A sample statement as its producers draw it, computed once so that every producer prints the
 * same text: the logical table (title, identity block, header labels, the rows with their
 * opening/total/closing lines), and the same table laid out on A4 pages as positioned text runs
 * (narrations and long header labels wrapped inside their column, the header repeated on every
 * page, a footer with page numbers). Wrapping is measured with pdfkit's Helvetica metrics, so
 * the pdfkit producer draws exactly what it drew before the producers were split out.
 */
import PDFDocument from 'pdfkit';
import type { CalendarDate } from '../lib/calendar-date.ts';
import { cellText, LAYOUTS, type ColumnKey, type LayoutColumn, type StatementLayout } from './statement-layouts.ts';
import type { SampleAccount, SampleTransaction } from './sample-transactions.ts';

export interface SampleStatement {
  layout: keyof typeof LAYOUTS;
  account: SampleAccount;
  from: CalendarDate;
  to: CalendarDate;
  openingBalancePaise: number;
  transactions: SampleTransaction[];
}

/** One line of the table: a transaction, or a line that is not one (opening, totals, closing) with its label in the narration column. */
export interface TableRow {
  kind: 'transaction' | 'summary';
  cells: Partial<Record<ColumnKey, string>>;
}

export interface StatementTable {
  layout: StatementLayout;
  title: string[];
  identity: string[];
  rows: TableRow[];
}

/** A piece of text at a fixed place on a page. Coordinates are PDF points from the page's top-left corner. */
export interface TextRun {
  text: string;
  /** Where the text starts; with `width`, the left edge of the box it is aligned in. */
  x: number;
  /** The top of the line, where pdfkit's `doc.text(text, x, y)` puts it. */
  y: number;
  /** The baseline (what most producers position by): `y` plus Helvetica's ascender. */
  baseline: number;
  /** The column's width when the text is aligned in it, else null (the text just starts at `x`). */
  width: number | null;
  align: 'left' | 'right';
  fontSize: number;
  bold: boolean;
}

export interface StatementPages {
  width: number;
  height: number;
  /** Each page's runs, in drawing order; the footer comes last. */
  pages: TextRun[][];
}

export const PAGE = { width: 595.28, height: 841.89, bottom: 790 };
const MARGIN = 30;
const FONT_SIZE = 7.5;
const TITLE_FONT_SIZE = 12;
const LINE = 10;
/** Helvetica's ascender (the AFM's 718/1000, the same in bold): pdfkit puts the baseline this far below `y`. */
const HELVETICA_ASCENDER = 0.718;

export function statementLayout(statement: SampleStatement): StatementLayout {
  return LAYOUTS[statement.layout] ?? LAYOUTS.generic!;
}

/** What the statement prints, before any producer decides where. */
export function statementTable(statement: SampleStatement): StatementTable {
  const layout = statementLayout(statement);
  const rows: TableRow[] = [];
  const summary = (label: string, amounts: Partial<Record<ColumnKey, string>>) => rows.push({ kind: 'summary', cells: { ...amounts, narration: label } });
  if (layout.openingRow) {
    const label = layout.openingRow === 'Balance as on' ? `Balance as on ${layout.date(statement.from)}` : layout.openingRow;
    summary(label, { balance: layout.balance(statement.openingBalancePaise) });
  }
  for (const [index, t] of statement.transactions.entries()) {
    rows.push({ kind: 'transaction', cells: Object.fromEntries(layout.columns.map((c) => [c.key, cellText(layout, c.key, t, index + 1)])) });
  }
  if (layout.totalRow) {
    const total = (type: SampleTransaction['type']) => statement.transactions.filter((t) => t.type === type).reduce((sum, t) => sum + t.amountPaise, 0);
    summary(layout.totalRow, { debit: layout.amount(total('debit')), credit: layout.amount(total('credit')) });
  }
  if (layout.closingRow) {
    summary(layout.closingRow, { balance: layout.balance(statement.transactions.at(-1)?.balancePaise ?? statement.openingBalancePaise) });
  }
  return { layout, title: layout.title(statement.account), identity: layout.identity(statement.account, statement.from, statement.to), rows };
}

/** pdfkit's Helvetica metrics, for wrapping; one document serves every measurement. */
let measuringDoc: PDFKit.PDFDocument | undefined;
function widthOfString(text: string, bold: boolean): number {
  measuringDoc ??= new PDFDocument({ size: 'A4', margin: MARGIN });
  return measuringDoc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(FONT_SIZE).widthOfString(text);
}

/** Breaks after spaces, slashes and hyphens, as narrations in real statements break. */
function wrap(text: string, width: number, bold: boolean): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=[\s/-])/)) {
    if (current && widthOfString(current + word, bold) > width) {
      lines.push(current.trimEnd());
      current = '';
    }
    current += word;
  }
  if (current.trim()) lines.push(current.trimEnd());
  return lines;
}

/** The statement on A4 pages, each text run where every producer that draws it puts it. */
export function layOutStatement(statement: SampleStatement): StatementPages {
  const table = statementTable(statement);
  const { layout } = table;
  const pages: TextRun[][] = [[]];
  let y = MARGIN;
  const run = (text: string, x: number, options: { width?: number; align?: 'left' | 'right'; fontSize?: number; bold?: boolean } = {}) => {
    const fontSize = options.fontSize ?? FONT_SIZE;
    pages.at(-1)!.push({ text, x, y, baseline: y + HELVETICA_ASCENDER * fontSize, width: options.width ?? null, align: options.align ?? 'left', fontSize, bold: options.bold ?? false });
  };

  for (const line of table.title) {
    run(line, MARGIN, { fontSize: TITLE_FONT_SIZE, bold: true });
    y += 16;
  }
  y += 4;
  for (const line of table.identity) {
    run(line, MARGIN);
    y += LINE;
  }
  y += 8;

  // Labels too long for their column wrap onto further lines, top-aligned, as banks print them.
  const header = () => {
    const labels = layout.columns.map((c) => ({ c, lines: wrap(c.label, c.width, true) }));
    const top = y;
    for (const { c, lines } of labels) {
      lines.forEach((text, i) => {
        y = top + i * LINE;
        run(text, c.x, { width: c.width, align: c.align, bold: true });
      });
    }
    y = top + Math.max(...labels.map((l) => l.lines.length)) * LINE + 4;
  };
  const newPageIfFull = (height: number) => {
    if (y + height > PAGE.bottom) {
      pages.push([]);
      y = MARGIN;
      header();
    }
  };
  const narrationColumn: LayoutColumn = layout.columns.find((c) => c.key === 'narration')!;

  header();
  for (const row of table.rows) {
    if (row.kind === 'summary') {
      newPageIfFull(LINE + 2);
      run(row.cells.narration!, narrationColumn.x);
      for (const c of layout.columns) {
        const text = c.key === 'narration' ? undefined : row.cells[c.key];
        if (text) run(text, c.x, { width: c.width, align: 'right' });
      }
      y += LINE + 2;
      continue;
    }
    const cells = layout.columns.map((c) => {
      const text = row.cells[c.key] ?? '';
      return { c, lines: c.key === 'narration' ? wrap(text, c.width, false) : [text] };
    });
    const height = Math.max(...cells.map((x) => x.lines.length)) * LINE + 2;
    newPageIfFull(height);
    const top = y;
    for (const { c, lines } of cells) {
      lines.forEach((text, i) => {
        y = top + i * LINE;
        if (text) run(text, c.x, { width: c.width, align: c.align });
      });
    }
    y = top + height;
  }

  y = PAGE.bottom + 20;
  pages.forEach((page, i) => page.push({ text: layout.footer(i + 1, pages.length), x: MARGIN, y, baseline: y + HELVETICA_ASCENDER * FONT_SIZE, width: null, align: 'left', fontSize: FONT_SIZE, bold: false }));
  return { width: PAGE.width, height: PAGE.height, pages };
}
