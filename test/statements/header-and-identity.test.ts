/**
 * The rules for headers whose labels wrap over lines, periods printed in brackets, and
 * addresses printed under a labelled name, on hand-made text lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readIdentity, readPeriod } from '../../src/statements/parse/statement-identity.ts';
import { findHeader, readHeader } from '../../src/statements/parse/table-columns.ts';
import type { TextLine } from '../../src/statements/parse/text-lines.ts';

const HEIGHT = 7.5;

/** A line whose top is at `top`, with items as [text, x0, x1]. */
function line(top: number, items: [string, number, number][]): TextLine {
  return {
    page: 1,
    top,
    bottom: top + HEIGHT,
    items: items.map(([text, x0, x1]) => ({ text, x0, x1, top, bottom: top + HEIGHT })),
    text: items.map(([text]) => text).join(' '),
  };
}

const keys = (found: ReturnType<typeof findHeader>) => found?.columns.map((c) => c.key);

test('a header whose long labels wrap onto a second line is read as one header', () => {
  const lines = [
    line(100, [['S No.', 30, 49], ['Value Date', 54, 92], ['Transaction', 100, 142], ['Cheque', 146, 174], ['Transaction Remarks', 186, 262], ['Withdrawal', 382, 422], ['Deposit Amount', 427, 488], ['Balance (INR)', 516, 565]]),
    line(110, [['Date', 100, 117], ['Number', 146, 178], ['Amount (INR)', 374, 422], ['(INR)', 468, 488]]),
    line(124, [['1', 30, 34], ['01/05/2026', 54, 91], ['01/05/2026', 100, 137], ['NEFT CR-SALARY', 186, 250], ['89,622.00', 455, 488], ['1,14,622.00', 525, 565]]),
  ];
  assert.equal(readHeader([lines[0]!]), null, 'the first line alone names no transaction date');
  const header = findHeader(lines, 0);
  assert.equal(header?.lineCount, 2);
  assert.deepEqual(keys(header), ['serial', 'valueDate', 'date', 'chq', 'narration', 'debit', 'credit', 'balance']);
  const debit = header.columns.find((c) => c.key === 'debit')!;
  assert.ok(debit.left < 374 && debit.right > 422, 'the column spans both lines of its label');
});

test('units in brackets may be padded inside, as ICICI prints them', () => {
  const header = readHeader([
    line(100, [['Transaction Date', 30, 90], ['Transaction Remarks', 100, 180], ['Withdrawal Amount (INR )', 300, 390], ['Deposit Amount (INR )', 400, 480], ['Balance (INR )', 500, 560]]),
  ]);
  assert.deepEqual(header?.map((c) => c.key), ['date', 'narration', 'debit', 'credit', 'balance']);
});

test('a label printed only on the lower line of a wrapped header is a column of its own', () => {
  const lines = [
    line(100, [['Withdrawal', 300, 340], ['Deposit', 360, 390]]),
    line(110, [['Date', 30, 47], ['Narration', 80, 115], ['Amount', 310, 340], ['Amount', 364, 390], ['Balance', 430, 460]]),
  ];
  // The lower line alone reads as a header too, but with one amount column instead of two.
  assert.deepEqual(keys(findHeader(lines, 0)), ['date', 'narration', 'debit', 'credit', 'balance']);
});

test('a line printed right above a one-line header is not taken into it', () => {
  const lines = [
    line(90, [['Statement of account for the quarter', 80, 220]]),
    line(100, [['Date', 30, 47], ['Narration', 80, 115], ['Withdrawal', 300, 340], ['Deposit', 360, 390], ['Balance', 430, 460]]),
  ];
  assert.equal(findHeader(lines, 0), null);
  const header = findHeader(lines, 1);
  assert.equal(header?.lineCount, 1);
  assert.deepEqual(keys(header), ['date', 'narration', 'debit', 'credit', 'balance']);
});

test('lines with a blank line between them are not one header', () => {
  const lines = [
    line(100, [['Transaction', 30, 72], ['Remarks', 80, 110], ['Withdrawal', 300, 340], ['Deposit', 360, 390], ['Balance', 430, 460]]),
    line(120, [['Date', 30, 47]]),
  ];
  assert.equal(findHeader(lines, 0), null);
});

test('a period in brackets at the end of a sentence', () => {
  const period = readPeriod([line(0, [['Statement of Account No : 912010012345678 for the period (From : 01-05-2026 To : 31-10-2026)', 30, 400]])]);
  assert.deepEqual(period, { from: '2026-05-01', to: '2026-10-31' });
  assert.deepEqual(readPeriod([line(0, [['Period: 01 May 2026 - 31 Oct 2026', 30, 200]])]), { from: '2026-05-01', to: '2026-10-31' });
});

test('the unlabelled lines under a labelled name are the address', () => {
  const lines = (texts: string[]) => texts.map((text, i) => line(i * 10, [[text, 30, 200]]));
  const labelled = readIdentity(lines(['Customer Name : AYUSH PATIL', 'FLAT 12, SUNRISE APARTMENTS', 'MUMBAI 400053', 'Joint Holder : --', 'IFSC Code : UTIB0001234']));
  assert.equal(labelled.name, 'AYUSH PATIL');
  assert.equal(labelled.address, 'FLAT 12, SUNRISE APARTMENTS, MUMBAI 400053');
  // An address label wins; a labelled line right under the name means no address is printed.
  assert.equal(readIdentity(lines(['Account Name : AYUSH PATIL', 'Address : LINK ROAD, MUMBAI', 'NOT AN ADDRESS'])).address, 'LINK ROAD, MUMBAI');
  assert.equal(readIdentity(lines(['Name: AYUSH PATIL', 'A/c No: 1234567890'])).address, null);
});

test('two labels printed closer than a word gap, or overlapping, are split where the second starts', () => {
  // Unkerned bold "Transaction" ends 3.49 pt before "Cheque"; in a wider font it runs past it.
  for (const end of [142.6, 149]) {
    const lines = [
      line(100, [['S No.', 30, 49], ['Value Date', 54, 92], ['Transaction', 100, end], ['Cheque', 146, 174], ['Transaction Remarks', 186, 262], ['Withdrawal', 382, 422], ['Deposit Amount', 427, 488], ['Balance (INR)', 516, 565]]),
      line(110, [['Date', 100, 117], ['Number', 146, 178], ['Amount (INR)', 374, 422], ['(INR)', 468, 488]]),
    ];
    const header = findHeader(lines, 0);
    assert.deepEqual(keys(header), ['serial', 'valueDate', 'date', 'chq', 'narration', 'debit', 'credit', 'balance'], `"Transaction" ends at ${end}`);
    const date = header!.columns.find((c) => c.key === 'date')!;
    assert.ok(date.right <= 146, 'the date column ends where the cheque label starts');
  }
});

test('the usual variants of each label', () => {
  const cells = (labels: string[]) => line(100, labels.map((l, i): [string, number, number] => [l, 30 + i * 70, 90 + i * 70]));
  const cases: [string[], string[]][] = [
    [['Sl. No.', 'Book Date', 'Transaction Particulars', 'Instrument No', 'Debit', 'Credit', 'Ledger Balance'], ['serial', 'date', 'narration', 'chq', 'debit', 'credit', 'balance']],
    [['#', 'Date of Transaction', 'Description/Narration', 'Withdrawals', 'Deposits', 'Book Balance'], ['serial', 'date', 'narration', 'debit', 'credit', 'balance']],
    [['Srl', 'Txn Posted Date', 'Narrative', 'Dr Amount', 'Cr Amount', 'Balance'], ['serial', 'date', 'narration', 'debit', 'credit', 'balance']],
  ];
  for (const [labels, want] of cases) assert.deepEqual(readHeader([cells(labels)])?.map((c) => c.key), want, labels.join('|'));
});

test('bilingual labels: the Hindi word beside the English one names nothing more', () => {
  const labels = ['तारीख / Date', 'विवरण Particulars', 'चेक संख्या Chq No', 'नामे/Debit', 'जमा/Credit', 'शेष Balance'];
  const header = readHeader([line(100, labels.map((l, i): [string, number, number] => [l, 30 + i * 80, 100 + i * 80]))]);
  assert.deepEqual(header?.map((c) => c.key), ['date', 'narration', 'chq', 'debit', 'credit', 'balance']);
});
