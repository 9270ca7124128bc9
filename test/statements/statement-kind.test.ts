/**
 * Credit-card statements and statements in another currency are refused with a one-line reason
 * (STATEMENT_UNSUPPORTED_FORMAT, exit 3 from `passbook parse`), never read as a rupee bank
 * account: their tables look enough like one to be read wrong.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { banks, pdfOf, statement } from './statement-fixtures.ts';

/** A one-page statement: `preamble` lines, then a table with `header` and `rows` at the given x positions. */
function page(preamble: string[], header: string[], rows: string[][], x = [40, 110, 330, 410, 490]): Promise<Buffer> {
  return pdfOf((doc) => {
    doc.fontSize(8);
    preamble.forEach((line, i) => doc.text(line, 40, 40 + i * 12, { lineBreak: false }));
    const top = 60 + preamble.length * 12;
    header.forEach((h, i) => doc.text(h, x[i], top, { lineBreak: false }));
    rows.forEach((row, r) => row.forEach((cell, i) => cell && doc.text(cell, x[i], top + 16 + r * 12, { lineBreak: false })));
  });
}

test('a credit-card statement is refused as one, however bank-like its table', async () => {
  const pdf = await page(
    ['HDFC Bank Credit Card Statement', 'Card No: 4375 XXXX XXXX 1234', 'Payment Due Date: 15/05/2026', 'Total Amount Due: 12,450.00', 'Minimum Amount Due: 620.00'],
    ['Date', 'Transaction Description', 'Amount (in Rs.)'],
    [
      ['02/04/2026', 'AMAZON PAY INDIA', '1,200.00'],
      ['05/04/2026', 'PAYMENT RECEIVED - THANK YOU', '5,000.00 Cr'],
    ],
    [40, 110, 400],
  );
  await assert.rejects(parseStatement(pdf, banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT', message: 'Credit card statements are not supported: Passbook reads bank account statements' });
});

test('statements in another currency are refused, naming it', async () => {
  const rows = [
    ['02/04/2026', 'CARD PURCHASE', '50.00', '', '950.00'],
    ['03/04/2026', 'SALARY', '', '3,000.00', '3,950.00'],
  ];
  const cases: [string[], string[], RegExp][] = [
    [['Account Statement', 'Account currency: USD'], ['Date', 'Description', 'Debit', 'Credit', 'Balance'], /\(USD\)/],
    [['Account Statement', 'IBAN GB29 NWBK 6016 1331 9268 19'], ['Date', 'Description', 'Paid out', 'Paid in', 'Balance'], /currency other than Indian rupees are not supported/],
    [['Account Statement'], ['Date', 'Description', 'Withdrawals ($)', 'Deposits ($)', 'Balance ($)'], /\(USD\)/],
    [['Account Statement'], ['Date', 'Description', 'Debit (EUR)', 'Credit (EUR)', 'Balance (EUR)'], /\(EUR\)/],
    [['Account Statement'], ['Date', 'Description', 'Money out £', 'Money in £', 'Balance £'], /\(GBP\)/],
    [['Account Statement', 'Member FDIC'], ['Date', 'Description', 'Debit', 'Credit', 'Balance'], /currency other than Indian rupees/],
  ];
  for (const [preamble, header, reason] of cases) {
    await assert.rejects(parseStatement(await page(preamble, header, rows), banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT', message: reason }, header.join('|'));
  }
  // Amounts printed with a pound sign on every row.
  const pounds = await page(['Account Statement'], ['Date', 'Description', 'Debit', 'Credit', 'Balance'], [
    ['02/04/2026', 'CARD PURCHASE', '£50.00', '', '£950.00'],
    ['03/04/2026', 'SALARY', '', '£3,000.00', '£3,950.00'],
    ['04/04/2026', 'RENT', '£900.00', '', '£3,050.00'],
  ]);
  await assert.rejects(parseStatement(pounds, banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT', message: /\(GBP\)/ });
});

test('a rupee account statement that mentions cards and foreign spends is still read', async () => {
  // Narrations such as "CREDIT CARD PAYMENT" or a forex spend in USD do not make a card or foreign statement.
  const s = statement('hdfc', { count: 30 });
  s.transactions[3] = { ...s.transactions[3]!, narration: 'POS 4375XXXXXXXX1234 AMAZON USD 45.00 CREDIT CARD PAYMENT' };
  const parsed = await parseStatement(await renderStatementPdf(s), banks);
  assert.equal(parsed.transactions.length, s.transactions.length);
  assert.equal(parsed.transactions[3]!.narration.replace(/\s/g, ''), s.transactions[3].narration.replace(/\s/g, ''));
});

test('a statement whose dates are printed month first is refused, not read with days and months swapped', async () => {
  const pdf = await page(['Account Statement'], ['Date', 'Description', 'Debit', 'Credit', 'Balance'], [
    ['12/05/2026', 'CARD PURCHASE', '50.00', '', '950.00'],
    ['12/15/2026', 'SALARY', '', '3,000.00', '3,950.00'],
  ]);
  await assert.rejects(parseStatement(pdf, banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT', message: /month first/ });
});
