/** Generated statements with known transactions, and an exact row-by-row comparison. */
import assert from 'node:assert/strict';
import PDFDocument from 'pdfkit';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import type { SampleStatement } from '../../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions, type SampleTransaction } from '../../src/samples/sample-transactions.ts';
import { LAYOUTS } from '../../src/samples/statement-layouts.ts';
import type { ParsedStatement } from '../../src/domain/statement.ts';

export const banks = loadBankCatalogue();
export const FROM = '2026-05-01' as CalendarDate;
export const TO = '2026-10-31' as CalendarDate;
/** The IFSC prefix each layout's sample accounts get (any 4 letters for the generic bank). */
export const IFSC_PREFIX: Record<string, string> = {
  hdfc: 'HDFC',
  sbi: 'SBIN',
  icici: 'ICIC',
  axis: 'UTIB',
  kotak: 'KKBK',
  pnbbnk: 'PUNB',
  baroda: 'BARB',
  canara: 'CNRB',
  ubi: 'UBIN',
  boi: 'BKID',
  idfc: 'IDFB',
  yesbnk: 'YESB',
  indusind: 'INDB',
  federal: 'FDRL',
  ausfbnk: 'AUBL',
  rbl: 'RATN',
  idbi: 'IBKL',
  indbnk: 'IDIB',
  central: 'CBIN',
  paytm: 'PYTM',
  generic: 'SAHY',
};

export function statement(layout: string, options: { seed?: number; count?: number; opening?: number; overdraft?: boolean; accountType?: 'SAVINGS' | 'CURRENT'; from?: CalendarDate } = {}): SampleStatement {
  const opening = options.opening ?? 25_000_00;
  const from = options.from ?? FROM;
  return {
    layout,
    account: sampleAccount(options.seed ?? 1, IFSC_PREFIX[layout]!, options.accountType),
    from,
    to: TO,
    openingBalancePaise: opening,
    transactions: sampleTransactions({ seed: options.seed ?? 1, from, to: TO, count: options.count ?? 150, openingBalancePaise: opening, allowOverdraft: options.overdraft ?? false }),
  };
}

export function assertRows(layout: string, parsed: ParsedStatement, expected: SampleTransaction[]): void {
  const hasChq = LAYOUTS[layout]!.columns.some((c) => c.key === 'chq');
  assert.equal(parsed.transactions.length, expected.length, 'row count');
  expected.forEach((want, i) => {
    const got = parsed.transactions[i]!;
    assert.deepEqual(
      { date: got.date, type: got.type, amount: got.amountPaise, balance: got.balancePaise, chq: got.chqNum },
      { date: want.date, type: want.type, amount: want.amountPaise, balance: want.balancePaise, chq: hasChq ? want.chqNum : null },
      `row ${i}`,
    );
    // A PDF does not record whether a wrapped line broke at a space.
    assert.equal(got.narration.replace(/\s/g, ''), want.narration.replace(/\s/g, ''), `row ${i} narration`);
  });
}


/**
 * The same PDF without its final %%EOF marker: pdfjs reads it as before, the lean text reader
 * (strict about the file's structure) leaves it to pdfjs. For tests of what happens when pdfjs
 * reads a statement: page sharing between workers, slow parses.
 */
export function leftToPdfjs(pdf: Buffer): Buffer {
  return pdf.subarray(0, pdf.lastIndexOf('%%EOF'));
}

/**
 * Everything a generated statement must come back with: every row, the bank, the balances, the
 * reconciliation, the period and the account details, rows from at least `minPages` pages,
 * and some rows taller than one line (wrapped narrations). `expected` is the sample's rows as
 * the layout prints them; `notPrinted` names identity fields the bank does not print.
 */
export function assertStatementRead(
  layout: string,
  parsed: ParsedStatement,
  s: SampleStatement,
  options: { expected?: SampleTransaction[]; minPages?: number; notPrinted?: ('micr' | 'accountType')[] } = {},
): void {
  const minPages = options.minPages ?? 4;
  assert.ok(parsed.pageCount >= minPages, `${parsed.pageCount} pages`);
  assertRows(layout, parsed, options.expected ?? s.transactions);
  assert.equal(parsed.detectedBank, layout);
  assert.equal(parsed.openingBalancePaise, s.openingBalancePaise);
  assert.equal(parsed.closingBalancePaise, s.transactions.at(-1)!.balancePaise);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
  assert.deepEqual(parsed.period, { from: s.from, to: s.to });
  assert.equal(parsed.identity.name, 'AYUSH PATIL');
  assert.equal(parsed.identity.accountNumber, s.account.accountNumber);
  assert.equal(parsed.identity.ifsc, s.account.ifsc);
  assert.equal(parsed.identity.micr, options.notPrinted?.includes('micr') ? null : s.account.micr);
  assert.equal(parsed.identity.accountType, options.notPrinted?.includes('accountType') ? null : 'SAVINGS');
  assert.equal(parsed.identity.address, 'FLAT 12, SUNRISE APARTMENTS, LINK ROAD, ANDHERI WEST, MUMBAI 400053');
  assert.ok(new Set(parsed.transactions.map((t) => t.page)).size >= minPages, 'rows come from every page');
  // Wrapped narrations make some rows taller than one line.
  assert.ok(parsed.transactions.some((t) => t.bbox[3] - t.bbox[1] > 12));
}

/** A one-off PDF drawn with pdfkit on A4. */
export function pdfOf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}
