import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DESCRIPTIONS, TRANSACTION_CHANNELS } from '../../src/domain/insights.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { enrichTransaction, enrichTransactions } from '../../src/enrichment/enrich-transaction.ts';
import { loadNarrationRules } from '../../src/enrichment/narration-rules.ts';
import { transactionHash } from '../../src/enrichment/transaction-hash.ts';
import { generateLabelled } from '../fixtures/narrations/generate-labelled.ts';
import { readLabelled, score } from '../fixtures/narrations/evaluate.ts';

const rules = loadNarrationRules();
const txn = (narration: string, type: 'debit' | 'credit' = 'debit', chqNum: string | null = null, seq = 0) => ({
  date: '2026-01-01' as CalendarDate, narration, chqNum, type, amountPaise: 100_00, balancePaise: null, page: 1, bbox: [0, 0, 0, 0] as [number, number, number, number], statementId: 'stmt-1', seq,
});
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

test('the labelled set: at least 1,600 narrations, 13 banks, every channel and description value', () => {
  const lines = readLabelled('labelled.jsonl');
  assert.ok(lines.length >= 1600, `${lines.length} lines`);
  assert.ok(new Set(lines.map((l) => l.bank)).size >= 13);
  const channels = new Set(lines.map((l) => l.channel));
  for (const c of TRANSACTION_CHANNELS) assert.ok(channels.has(c), c);
  const descriptions = new Set(lines.map((l) => l.description));
  for (const d of DESCRIPTIONS) assert.ok(descriptions.has(d), d);
  assert.ok(lines.some((l) => l.description.startsWith('Transfer to ')) && lines.some((l) => l.description.startsWith('Transfer from ')));
  assert.ok(readLabelled('holdout.jsonl').length >= 45);
});

test('the labelled set is what the seeded generator writes', () => {
  const written = readFileSync(new URL('../fixtures/narrations/labelled.jsonl', import.meta.url), 'utf8');
  assert.equal(written, `${generateLabelled().map((l) => JSON.stringify(l)).join('\n')}\n`);
});

test('accuracy on the labelled set: channel ≥ 97%, salary, EMI and bounce detection ≥ 95%', (t) => {
  const s = score(readLabelled('labelled.jsonl'), rules);
  t.diagnostic(`labelled: ${s.total} narrations, channel ${pct(s.channelAccuracy)}, description ${pct(s.descriptionAccuracy)}, salary recall ${pct(s.salary.recall)}, EMI recall ${pct(s.emi.recall)}, bounce recall ${pct(s.bounce.recall)}`);
  assert.ok(s.channelAccuracy >= 0.97, `channel accuracy ${pct(s.channelAccuracy)}`);
  for (const [name, d] of Object.entries({ salary: s.salary, emi: s.emi, bounce: s.bounce })) {
    assert.ok(d.recall >= 0.95, `${name} recall ${pct(d.recall)}`);
    assert.ok(d.precision >= 0.95, `${name} precision ${pct(d.precision)}`);
  }
});

test('accuracy on the hand-written holdout set (reported)', (t) => {
  const s = score(readLabelled('holdout.jsonl'), rules);
  t.diagnostic(`holdout: ${s.total} narrations, channel ${pct(s.channelAccuracy)}, description ${pct(s.descriptionAccuracy)}, salary recall ${pct(s.salary.recall)}, EMI recall ${pct(s.emi.recall)}, bounce recall ${pct(s.bounce.recall)}`);
  for (const m of s.misses) t.diagnostic(`holdout miss: ${m.type} "${m.narration}": expected ${m.expected}, got ${m.got}`);
  // A floor well below the labelled set's, so that a regression shows without the holdout becoming a target.
  assert.ok(s.channelAccuracy >= 0.85, `holdout channel accuracy ${pct(s.channelAccuracy)}`);
});

test('EMIs, disbursals, salary and person transfers', () => {
  const emi = enrichTransaction(txn('ACH D- BAJAJ FINANCE LTD-P400PLN0123456'), rules);
  assert.deepEqual([emi.channel, emi.description, emi.merchantCategory, emi.category, emi.counterparty.name], ['auto_debit_payment', 'lender_transaction', 'loans', 'Loan', 'BAJAJ FINANCE']);
  const disbursal = enrichTransaction(txn('NEFT CR-HDFC0001234-TATA CAPITAL FINANCIAL-LOAN DISBURSAL', 'credit'), rules);
  assert.deepEqual([disbursal.channel, disbursal.description, disbursal.category], ['net_banking_transfer', 'lender_transaction', 'Loan Disbursed']);
  // The holder's own bank disbursing: no lender named, the narration says so.
  const ownBank = enrichTransaction(txn('LOAN A/C 123456 DISB', 'credit'), rules);
  assert.deepEqual([ownBank.channel, ownBank.description, ownBank.category], ['net_banking_transfer', 'lender_transaction', 'Loan Disbursed']);
  // A friend's money back is not a disbursal.
  assert.notEqual(enrichTransaction(txn('IMPS-612345678901-ANIL KUMAR-HDFC-XXXXXXX4321-LOAN', 'credit'), rules).description, 'lender_transaction');
  const salary = enrichTransaction(txn('NEFT CR-HDFC0001234-ACME TECHNOLOGIES-SALARY JAN 2026', 'credit'), rules);
  assert.deepEqual([salary.channel, salary.category, salary.ruleId], ['salary', 'Salary', 'salary']);
  const toPerson = enrichTransaction(txn('IMPS-612345678901-PRIYA NAIR-HDFC-XXXXXXX4321-RENT'), rules);
  assert.deepEqual([toPerson.channel, toPerson.description, toPerson.category], ['net_banking_transfer', 'Transfer to PRIYA NAIR', 'Transfer to PRIYA NAIR']);
  const fromPerson = enrichTransaction(txn('UPI/P2A/268652272235/ANANDA P /UPI/INDIAN OVERSEAS BANK', 'credit'), rules);
  assert.equal(fromPerson.description, 'Transfer from ANANDA P');
  // A bank's name in a UPI payment is not a loan.
  assert.equal(enrichTransaction(txn('UPI/DR/123456789012/RAHUL SHARMA/HDFC BANK/rahul@okhdfcbank'), rules).description, 'Transfer to RAHUL SHARMA');
});

test('merchants, bills, bounces and the catch-all', () => {
  const food = enrichTransaction(txn('UPI/DR/123456789012/SWIGGY LIMITED/YESB/swiggy@ybl/Payment from Phone'), rules);
  assert.deepEqual([food.channel, food.description, food.merchantCategory, food.category], ['upi', '', 'food', 'Food']);
  // "@paytm" is the payer's app, not an e-wallet merchant.
  assert.equal(enrichTransaction(txn('UPI OUT/133801793611/8289188637@paytm/VIKRAM SINGH'), rules).description, 'Transfer to VIKRAM SINGH');
  assert.equal(enrichTransaction(txn('BIL/ONL/000123456/BESCOM/1234567890'), rules).description, 'electric_bill');
  const bounce = enrichTransaction(txn('NACH RTN CHRG 500+GST'), rules);
  assert.deepEqual([bounce.channel, bounce.description, bounce.counterparty.name], ['bank_charge', 'ach_bounce_charge', null]);
  assert.equal(enrichTransaction(txn('I/W CHQ RET-000123-INSUFFICIENT FUNDS', 'credit'), rules).channel, 'inward_cheque_bounce');
  const other = enrichTransaction(txn('ADJUSTMENT ENTRY 0001'), rules);
  assert.deepEqual([other.channel, other.description, other.category, other.ruleId], ['Others', '', 'Others', null]);
  // A row with a cheque number that no rule knows is a cheque.
  const cheque = enrichTransaction(txn('SHARMA AND SONS', 'debit', '004411'), rules);
  assert.deepEqual([cheque.channel, cheque.counterparty.chequeNumber], ['chq', '004411']);
});

test('enrichTransactions keeps order and hashes each row by statement and place', () => {
  const ts = [txn('ATM WDL/123456/PUNE', 'debit', null, 0), txn('CREDIT INTEREST', 'credit', null, 1)];
  const out = enrichTransactions(ts, rules);
  assert.deepEqual(out.map((e) => e.enrichment.channel), ['cash_withdrawl', 'bank_interest']);
  assert.equal(out[1]!.hash, transactionHash('stmt-1', 1));
  assert.match(out[0]!.hash, /^[0-9a-f]{32}$/);
  assert.equal(out[0]!.narration, 'ATM WDL/123456/PUNE');
  assert.deepEqual(enrichTransactions(ts, rules), out, 'the same input gives the same output');
});
