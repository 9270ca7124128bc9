/**
 * Renders a sample statement to PDF with pdfkit: title and identity block, the transaction
 * table with its header repeated on every page, narrations (and long header labels) wrapped
 * inside their column, opening/total/closing lines where the bank prints them, and a footer
 * with page numbers. Optionally encrypted (AES-256 by default, or RC4 or AES-128).
 */
import PDFDocument from 'pdfkit';
import type { CalendarDate } from '../lib/calendar-date.ts';
import { cellText, LAYOUTS, type ColumnKey, type StatementLayout } from './statement-layouts.ts';
import type { SampleAccount, SampleTransaction } from './sample-transactions.ts';

export interface SampleStatement {
  layout: keyof typeof LAYOUTS;
  account: SampleAccount;
  from: CalendarDate;
  to: CalendarDate;
  openingBalancePaise: number;
  transactions: SampleTransaction[];
}

export interface RenderOptions {
  password?: string;
  /** The owner password (default `${password}-owner`). With it and no `password`, the file opens without a password. */
  ownerPassword?: string;
  /** The encryption: PDF 1.3 is RC4 40-bit, 1.4 RC4 128-bit, 1.7 AES-128, 1.7ext3 AES-256 (the default). */
  pdfVersion?: '1.3' | '1.4' | '1.7' | '1.7ext3';
}

const PAGE = { width: 595.28, height: 841.89, bottom: 790 };
const FONT_SIZE = 7.5;
const LINE = 10;

export function renderStatementPdf(statement: SampleStatement, options: RenderOptions = {}): Promise<Buffer> {
  const layout: StatementLayout = LAYOUTS[statement.layout] ?? LAYOUTS.generic!;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 30,
    bufferPages: true,
    info: { Title: 'Statement of Account', Producer: 'Passbook sample generator', CreationDate: new Date(Date.UTC(2026, 0, 1)) },
    ...(options.password || options.ownerPassword
      ? { userPassword: options.password, ownerPassword: options.ownerPassword ?? `${options.password}-owner`, pdfVersion: options.pdfVersion ?? ('1.7ext3' as const) }
      : {}),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font('Helvetica').fontSize(FONT_SIZE);
  let y = 30;
  doc.font('Helvetica-Bold').fontSize(12);
  for (const line of layout.title(statement.account)) {
    doc.text(line, 30, y, { lineBreak: false });
    y += 16;
  }
  doc.font('Helvetica').fontSize(FONT_SIZE);
  y += 4;
  for (const line of layout.identity(statement.account, statement.from, statement.to)) {
    doc.text(line, 30, y, { lineBreak: false });
    y += LINE;
  }
  y += 8;

  const wrap = (text: string, width: number): string[] => {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/(?<=[\s/-])/)) {
      if (current && doc.widthOfString(current + word) > width) {
        lines.push(current.trimEnd());
        current = '';
      }
      current += word;
    }
    if (current.trim()) lines.push(current.trimEnd());
    return lines;
  };
  // Labels too long for their column wrap onto further lines, top-aligned, as banks print them.
  const header = () => {
    doc.font('Helvetica-Bold');
    const labels = layout.columns.map((c) => ({ c, lines: wrap(c.label, c.width) }));
    for (const { c, lines } of labels) {
      lines.forEach((text, i) => doc.text(text, c.x, y + i * LINE, { width: c.width, align: c.align, lineBreak: false }));
    }
    doc.font('Helvetica');
    y += Math.max(...labels.map((l) => l.lines.length)) * LINE + 4;
  };
  const newPageIfFull = (height: number) => {
    if (y + height > PAGE.bottom) {
      doc.addPage();
      y = 30;
      header();
    }
  };
  /** A line that is not a transaction: a label in the narration column and some amounts. */
  const summaryRow = (label: string, amounts: Partial<Record<ColumnKey, string>>) => {
    newPageIfFull(LINE + 2);
    const narration = layout.columns.find((c) => c.key === 'narration')!;
    doc.text(label, narration.x, y, { lineBreak: false });
    for (const c of layout.columns) {
      const text = amounts[c.key];
      if (text) doc.text(text, c.x, y, { width: c.width, align: 'right', lineBreak: false });
    }
    y += LINE + 2;
  };

  header();
  if (layout.openingRow) {
    const label = layout.openingRow === 'Balance as on' ? `Balance as on ${layout.date(statement.from)}` : layout.openingRow;
    summaryRow(label, { balance: layout.balance(statement.openingBalancePaise) });
  }
  for (const [index, t] of statement.transactions.entries()) {
    const cells = layout.columns.map((c) => {
      const text = cellText(layout, c.key, t, index + 1);
      return { c, lines: c.key === 'narration' ? wrap(text, c.width) : [text] };
    });
    const height = Math.max(...cells.map((x) => x.lines.length)) * LINE + 2;
    newPageIfFull(height);
    for (const { c, lines } of cells) {
      lines.forEach((text, i) => {
        if (text) doc.text(text, c.x, y + i * LINE, { width: c.width, align: c.align, lineBreak: false });
      });
    }
    y += height;
  }
  if (layout.totalRow) {
    const total = (type: SampleTransaction['type']) => statement.transactions.filter((t) => t.type === type).reduce((sum, t) => sum + t.amountPaise, 0);
    summaryRow(layout.totalRow, { debit: layout.amount(total('debit')), credit: layout.amount(total('credit')) });
  }
  if (layout.closingRow) {
    summaryRow(layout.closingRow, { balance: layout.balance(statement.transactions.at(-1)?.balancePaise ?? statement.openingBalancePaise) });
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.text(layout.footer(i + 1, range.count), 30, PAGE.bottom + 20, { lineBreak: false });
  }
  doc.end();
  return done;
}
