/** Which bank a statement is from: IFSC first, then whole names and web domains; null rather than a guess. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import { detectBank } from '../../src/statements/parse/detect-bank.ts';
import type { TextLine } from '../../src/statements/parse/text-lines.ts';

const banks = loadBankCatalogue();
const header = (...texts: string[]): TextLine[] => texts.map((text, i) => ({ page: 1, top: i * 12, bottom: i * 12 + 10, items: [], text }));
const detect = (ifsc: string | null, ...texts: string[]) => detectBank(banks, ifsc, header(...texts));

test('the IFSC decides, whatever names the header prints', () => {
  assert.equal(detect('SBIN0001234', 'HDFC Bank Ltd', 'Statement of account'), 'sbi');
  assert.equal(detect('UTIB0000123'), 'axis');
});

test('a bank name counts only as a whole name, never as the tail of a longer one', () => {
  assert.equal(detect(null, 'Smart Bank of India', 'Statement of Account'), null, 'a fictional bank is not Bank of India');
  assert.equal(detect(null, 'SMART BANK OF INDIA'), null);
  assert.equal(detect(null, 'Central Bank of India', 'Branch: Fort'), 'central');
  assert.equal(detect(null, 'Statement of Account - Bank of India'), 'boi');
  assert.equal(detect(null, 'Welcome to Bank of Baroda'), 'baroda');
  assert.equal(detect(null, 'STATE BANK OF INDIA'), 'sbi');
  assert.equal(detect(null, 'ICICI Bank Limited'), 'icici');
  assert.equal(detect(null, 'ICICIBank'), null, 'not a whole word');
});

test('a web domain names the bank when its name is not printed whole', () => {
  assert.equal(detect(null, 'Axis', 'Account statement', 'www.axisbank.com | 1860 419 5555'), 'axis');
  assert.equal(detect(null, 'Visit https://www.hdfcbank.com for help'), 'hdfc');
  assert.equal(detect(null, 'notaxisbank.com'), null);
});

test('two banks named, or none: null rather than a guess', () => {
  assert.equal(detect(null, 'Bank of Baroda', 'Transfers to State Bank of India'), null);
  assert.equal(detect(null, 'Savings account statement'), null);
});
