/**
 * Tables whose header labels do not say everything (clipped, a currency glyph, unknown words,
 * no balance column, one signed amount column) and narrations printed above or around the
 * date line: the rows are read, the columns confirmed by the balance chain, or the statement is
 * refused; never a guess, never a pass with nothing checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { readHeader } from '../../src/statements/parse/table-columns.ts';
import type { TextLine } from '../../src/statements/parse/text-lines.ts';
import { banks, pdfOf } from './statement-fixtures.ts';

/** A line of cells (one per header column, '' for none), drawn `dy` points under the previous one. */
interface Line {
  cells: string[];
  dy?: number;
}

/** A one-page statement: a preamble, a header of [label, x] and lines of cells under it. */
function table(header: [string, number][], lines: Line[], preamble = ['Statement of account', 'Period: 01/04/2026 to 30/04/2026']): Promise<Buffer> {
  return pdfOf((doc) => {
    doc.fontSize(8);
    preamble.forEach((text, i) => doc.text(text, 40, 40 + i * 12, { lineBreak: false }));
    header.forEach(([label, x]) => doc.text(label, x, 100, { lineBreak: false }));
    let y = 104;
    for (const line of lines) {
      y += line.dy ?? 12;
      line.cells.forEach((cell, i) => cell && doc.text(cell, header[i]![1], y, { lineBreak: false }));
    }
  });
}

const rowsOf = (parsed: Awaited<ReturnType<typeof parseStatement>>) => parsed.transactions.map((t) => [t.date, t.type, t.amountPaise, t.balancePaise, t.narration]);

const X5 = [40, 110, 330, 410, 490];
const header5 = (labels: string[]): [string, number][] => labels.map((l, i) => [l, X5[i]!]);
const THREE_ROWS: Line[] = [
  { cells: ['02/04/2026', 'UPI/grocer', '500.00', '', '9,500.00'] },
  { cells: ['03/04/2026', 'SALARY APRIL', '', '50,000.00', '59,500.00'] },
  { cells: ['05/04/2026', 'ATM WDL', '2,000.00', '', '57,500.00'] },
];
const THREE_EXPECTED = [
  ['2026-04-02', 'debit', 500_00, 9_500_00, 'UPI/grocer'],
  ['2026-04-03', 'credit', 50_000_00, 59_500_00, 'SALARY APRIL'],
  ['2026-04-05', 'debit', 2_000_00, 57_500_00, 'ATM WDL'],
];

test('a last label clipped at the page edge ("Closing B"): the balance column is told by its numbers', async () => {
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Withdrawal Amt.', 'Deposit Amt.', 'Closing B']), THREE_ROWS), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  assert.equal(parsed.openingBalancePaise, 10_000_00);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});

test('debit and credit columns under words no bank list has are told apart by the balance chain', async () => {
  // Money out stands left of money in here; the chain, not the order, decides.
  for (const labels of [
    ['Date', 'Narration', 'Paid out', 'Paid in', 'Balance'],
    ['Date', 'Narration', 'Col A', 'Col B', 'Balance'],
  ]) {
    const parsed = await parseStatement(await table(header5(labels), THREE_ROWS), banks);
    assert.deepEqual(rowsOf(parsed), THREE_EXPECTED, labels.join('|'));
  }
  // The same columns the other way round.
  const swapped = THREE_ROWS.map((l) => ({ cells: [l.cells[0]!, l.cells[1]!, l.cells[3]!, l.cells[2]!, l.cells[4]!] }));
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Col A', 'Col B', 'Balance']), swapped), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
});

test('unknown amount columns whose numbers do not follow a balance chain are not guessed', async () => {
  const broken: Line[] = [
    { cells: ['02/04/2026', 'UPI/grocer', '500.00', '', '9,500.00'] },
    { cells: ['03/04/2026', 'SALARY APRIL', '', '50,000.00', '1,234.00'] },
    { cells: ['05/04/2026', 'ATM WDL', '2,000.00', '', '99.00'] },
  ];
  await assert.rejects(parseStatement(await table(header5(['Date', 'Narration', 'Col A', 'Col B', 'Balance']), broken), banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT' });
});

test('currency glyphs in the labels, or a rupee sign the font turns into a box, do not hide a column', () => {
  const line = (labels: string[]): TextLine => ({
    page: 1,
    top: 100,
    bottom: 108,
    items: labels.map((text, i) => ({ text, x0: X5[i]!, x1: X5[i]! + 50, top: 100, bottom: 108 })),
    text: labels.join(' '),
  });
  for (const unit of ['(₹)', '(□)', '(\uFFFD)', '(¹)', '(`)', 'in ₹', '(Rs.)', '(INR )', '₹']) {
    const labels = ['Date', 'Narration', `Debit ${unit}`, `Credit ${unit}`, `Balance ${unit}`];
    assert.deepEqual(readHeader([line(labels)])?.map((c) => c.key), ['date', 'narration', 'debit', 'credit', 'balance'], unit);
  }
  assert.deepEqual(readHeader([line(['Date', 'Description', 'Amount (₹)', 'Type', 'Balance (₹)'])])?.map((c) => c.key), ['date', 'narration', 'amount', 'drcr', 'balance']);
});

test('one signed amount column: a minus (leading or trailing) is a debit, no sign a credit', async () => {
  const header: [string, number][] = [['Date', 40], ['Description', 110], ['Amount', 380], ['Balance', 480]];
  const lines = [
    { cells: ['02/04/2026', 'UPI/grocer', '-500.00', '9,500.00'] },
    { cells: ['03/04/2026', 'SALARY APRIL', '50,000.00', '59,500.00'] },
    { cells: ['05/04/2026', 'ATM WDL', '2,000.00-', '57,500.00'] },
  ];
  const parsed = await parseStatement(await table(header, lines), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  assert.equal(parsed.reconciliation.reconciled, true);
});

test('no balance column: the rows are read and reconciliation is reported as not possible, never passed', async () => {
  const withoutBalance = THREE_ROWS.map((l) => ({ cells: l.cells.slice(0, 4) }));
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit']), withoutBalance), banks);
  assert.deepEqual(
    rowsOf(parsed),
    THREE_EXPECTED.map(([d, t, a, , n]) => [d, t, a, null, n]),
  );
  assert.deepEqual(parsed.reconciliation, { reconciled: null, firstBreak: null });
  assert.equal(parsed.openingBalancePaise, null);
  assert.equal(parsed.closingBalancePaise, null);

  // One signed amount column and no balance: the sign alone gives the direction.
  const signed = await parseStatement(
    await table(
      [['Date', 40], ['Description', 110], ['Amount', 400]],
      [{ cells: ['02/04/2026', 'UPI/grocer', '-500.00'] }, { cells: ['03/04/2026', 'SALARY APRIL', '50,000.00'] }],
    ),
    banks,
  );
  assert.deepEqual(signed.transactions.map((t) => [t.type, t.amountPaise, t.balancePaise]), [['debit', 500_00, null], ['credit', 50_000_00, null]]);
  assert.equal(signed.reconciliation.reconciled, null);
});

test('one unsigned amount column and no balance: debits cannot be told from credits, so the statement is refused', async () => {
  const pdf = await table(
    [['Date', 40], ['Description', 110], ['Amount', 400]],
    [{ cells: ['02/04/2026', 'UPI/grocer', '500.00'] }, { cells: ['03/04/2026', 'SALARY APRIL', '50,000.00'] }],
  );
  await assert.rejects(parseStatement(pdf, banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT', message: /Debits cannot be told from credits/ });
});

test('a balance printed once a day: the rows between are carried over and checked at the next printed balance', async () => {
  const lines = [
    { cells: ['02/04/2026', 'UPI/grocer', '500.00', '', ''] },
    { cells: ['02/04/2026', 'UPI/chemist', '250.00', '', '9,250.00'] },
    { cells: ['03/04/2026', 'SALARY APRIL', '', '50,000.00', '59,250.00'] },
  ];
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines, ['Opening Balance 10,000.00']), banks);
  assert.deepEqual(
    parsed.transactions.map((t) => [t.type, t.amountPaise, t.balancePaise]),
    [['debit', 500_00, null], ['debit', 250_00, 9_250_00], ['credit', 50_000_00, 59_250_00]],
  );
  assert.equal(parsed.openingBalancePaise, 10_000_00);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});

test('narrations printed on the line above their date are given to that row', async () => {
  // Every row: the narration on one line, the date and amounts on the next, then a gap.
  const lines: Line[] = [];
  for (const row of THREE_ROWS) {
    lines.push({ cells: ['', row.cells[1]!, '', '', ''], dy: 16 });
    lines.push({ cells: [row.cells[0]!, '', row.cells[2]!, row.cells[3]!, row.cells[4]!], dy: 10 });
  }
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  // Each row's box takes in its narration line above the date.
  for (const t of parsed.transactions) assert.ok(t.bbox[3] - t.bbox[1] > 15, JSON.stringify(t.bbox));
});

test('narrations centred on their date line, above and below it, are split where one row ends and the next begins', async () => {
  // A table with padded cells: the narration's lines are centred on the row, so the first
  // line stands above the date line and the last below it; rows are further apart than lines.
  const lines: Line[] = [
    { cells: ['', 'NEFT CR-HDFC0000001-', '', '', ''], dy: 18 },
    { cells: ['02/04/2026', 'ACME LTD-', '', '50,000.00', '60,000.00'], dy: 10 },
    { cells: ['', 'SALARY APRIL', '', '', ''], dy: 10 },
    { cells: ['', 'UPI/123456/', '', '', ''], dy: 18 },
    { cells: ['03/04/2026', 'grocer@okicici', '500.00', '', '59,500.00'], dy: 10 },
    { cells: ['', 'PAYMENT', '', '', ''], dy: 10 },
  ];
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines), banks);
  assert.deepEqual(
    parsed.transactions.map((t) => t.narration),
    ['NEFT CR-HDFC0000001-ACME LTD-SALARY APRIL', 'UPI/123456/grocer@okicici PAYMENT'],
  );
});

test('narrations wrapped under their date line stay with that row when the lines are evenly spaced', async () => {
  const lines: Line[] = [
    { cells: ['02/04/2026', 'UPI/123456/grocer', '500.00', '', '9,500.00'] },
    { cells: ['', 'PAYMENT FOR MILK', '', '', ''], dy: 10 },
    { cells: ['03/04/2026', 'SALARY APRIL', '', '50,000.00', '59,500.00'], dy: 10 },
    { cells: ['', 'ACME LTD', '', '', ''], dy: 10 },
  ];
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines), banks);
  assert.deepEqual(
    parsed.transactions.map((t) => t.narration),
    ['UPI/123456/grocer PAYMENT FOR MILK', 'SALARY APRIL ACME LTD'],
  );
});

test('whole-number amounts, currency prefixes, ISO dates and month names in capitals are read from the page', async () => {
  const lines: Line[] = [
    { cells: ['2026-04-02', 'UPI/grocer', '₹500', '', 'Rs. 9,500'] },
    { cells: ['03 APRIL 2026', 'SALARY APRIL', '', 'INR 50,000', '59,500'] },
    { cells: ['05-APR-2026', 'ATM WDL', 'Rs.2,000.00', '', '₹ 57,500.00'] },
  ];
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});

test('a Dr/Cr column right after the balance is the balance\'s sign, whatever the bank', async () => {
  const header: [string, number][] = [['Date', 40], ['Narration', 100], ['Debit', 300], ['Credit', 370], ['Balance', 440], ['Dr/Cr', 520]];
  const lines: Line[] = [
    { cells: ['02/04/2026', 'UPI/grocer', '500.00', '', '300.00', 'Cr'] },
    { cells: ['03/04/2026', 'RENT', '1,000.00', '', '700.00', 'Dr'] },
    { cells: ['05/04/2026', 'SALARY APRIL', '', '50,000.00', '49,300.00', 'Cr'] },
  ];
  const parsed = await parseStatement(await table(header, lines), banks);
  assert.deepEqual(
    parsed.transactions.map((t) => [t.type, t.amountPaise, t.balancePaise]),
    [['debit', 500_00, 300_00], ['debit', 1_000_00, -700_00], ['credit', 50_000_00, 49_300_00]],
  );
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});

test('rows printed newest first are read oldest first, their balances following from the row below', async () => {
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), [...THREE_ROWS].reverse()), banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  assert.equal(parsed.openingBalancePaise, 10_000_00);
  assert.equal(parsed.closingBalancePaise, 57_500_00);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});

test('a row whose date and amounts stand on two lines (cells aligned differently) is one row', async () => {
  // The amounts top-aligned, the date centred on a three-line narration; and the other way round.
  const lines: Line[] = [
    { cells: ['', 'ATM WDL/CASH', '500.00', '', '9,500.00'], dy: 16 },
    { cells: ['02/04/2026', 'WITHDRAWAL/631251', '', '', ''], dy: 9 },
    { cells: ['', 'MUMBAI EAST', '', '', ''], dy: 9 },
    { cells: ['03/04/2026', 'SALARY APRIL', '', '', ''], dy: 16 },
    { cells: ['', 'ACME LTD', '', '50,000.00', '59,500.00'], dy: 9 },
  ];
  const parsed = await parseStatement(await table(header5(['Date', 'Narration', 'Debit', 'Credit', 'Balance']), lines), banks);
  assert.deepEqual(rowsOf(parsed), [
    ['2026-04-02', 'debit', 500_00, 9_500_00, 'ATM WDL/CASH WITHDRAWAL/631251 MUMBAI EAST'],
    ['2026-04-03', 'credit', 50_000_00, 59_500_00, 'SALARY APRIL ACME LTD'],
  ]);
  assert.equal(parsed.reconciliation.reconciled, true);
});

test('a watermark laid over the table, straight or rotated, does not join its lines', async () => {
  const pdf = await pdfOf((doc) => {
    doc.fontSize(8);
    doc.text('Period: 01/04/2026 to 30/04/2026', 40, 40, { lineBreak: false });
    ['Date', 'Narration', 'Debit', 'Credit', 'Balance'].forEach((h, i) => doc.text(h, X5[i], 100, { lineBreak: false }));
    THREE_ROWS.forEach((row, r) => row.cells.forEach((cell, i) => cell && doc.text(cell, X5[i], 116 + r * 12, { lineBreak: false })));
    doc.fontSize(40).fillColor('#dddddd').text('SAMPLE', 200, 110, { lineBreak: false });
    doc.save().rotate(-35, { origin: [300, 130] }).fontSize(60).text('CONFIDENTIAL', 100, 100, { lineBreak: false }).restore();
  });
  const parsed = await parseStatement(pdf, banks);
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
});

test('a header of many unknown numeric columns is refused quickly, not tried every way', async () => {
  // Eleven columns of numbers under labels nobody uses: at most four are named from their numbers.
  const x = Array.from({ length: 14 }, (_, i) => 30 + i * 40);
  const header: [string, number][] = [['Date', x[0]!], ['Narration', x[1]!], ...Array.from({ length: 11 }, (_, i): [string, number] => [`C${i}`, x[i + 2]!]), ['Balance', x[13]!]];
  const lines: Line[] = Array.from({ length: 30 }, (_, r) => ({ cells: [`${String(r + 1).padStart(2, '0')}/04/2026`, 'X', ...Array.from({ length: 12 }, (_, i) => `${(r * 13 + i * 7) % 97}.00`)] }));
  await assert.rejects(parseStatement(await table(header, lines), banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT' });
});

test('two cells run together into one text item (no gap between cells) are split where their words stand', async () => {
  // A producer that leaves no padding writes "Balance Init. Br" and "1,04,415.00 0999" as one
  // item each; the profile of the bank (Axis: "Init. Br" is a branch code) names the second half.
  const header: [string, number][] = [['Tran Date', 40], ['Particulars', 110], ['Debit', 330], ['Credit', 400], ['Balance Init. Br', 470]];
  const rows: Line[] = [
    { cells: ['02-04-2026', 'UPI/grocer', '500.00', '', '9,500.00 0999'] },
    { cells: ['03-04-2026', 'SALARY APRIL', '', '50,000.00', '59,500.00 0248'] },
    { cells: ['05-04-2026', 'ATM WDL', '2,000.00', '', '57,500.00 0999'] },
  ];
  const parsed = await parseStatement(await table(header, rows, ['Axis Bank', 'IFSC Code : UTIB0000123', 'Period: 01-04-2026 to 30-04-2026']), banks);
  assert.equal(parsed.detectedBank, 'axis');
  assert.deepEqual(rowsOf(parsed), THREE_EXPECTED);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});
