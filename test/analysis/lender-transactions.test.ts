/** Lender transactions: the enrichment's lender labels and automatic-debit EMIs to lenders found in recurring sets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLenderTransactions } from '../../src/analysis/lender-transactions.ts';
import { findRecurring } from '../../src/analysis/recurring.ts';
import { byDate, enriched, type TxnSpec } from './enriched-fixtures.ts';

const mandate = (cleanNote: string, prefix: string, rupees: number, extra: Partial<TxnSpec> = {}): TxnSpec[] =>
  ['2025-01-05', '2025-02-05', '2025-03-05', '2025-04-05'].map((date, i) => ({
    date,
    type: 'debit',
    rupees,
    channel: 'auto_debit_payment',
    cleanNote,
    narration: `ACH D- ${cleanNote}-${i}`,
    hash: `${prefix}${i}`,
    ...extra,
  }));

test('labelled loans and EMIs by NACH to a lender word are found, oldest first; other mandates are not', () => {
  const specs: TxnSpec[] = [
    ...mandate('XYZ FINSERV', 'emi', 4_500),
    ...mandate('NETFLIX ENTERTAINMENT', 'ott', 649),
    ...mandate('SBI CREDIT CARD', 'cc', 12_000),
    // The same lender words by UPI, not a mandate.
    ...mandate('QUICK LOAN APP', 'upi', 1_000, { channel: 'upi' }),
    { date: '2025-01-02', type: 'credit', rupees: 200_000, category: 'Loan Disbursed', narration: 'NEFT-MUTHOOT FINANCE', hash: 'disb' },
    { date: '2025-02-20', type: 'debit', rupees: 3_000, description: 'lender_transaction', narration: 'UPI/KREDITBEE', hash: 'kb' },
    { date: '2025-03-20', type: 'debit', rupees: 3_000, category: 'Loan', narration: 'LOAN REPAYMENT 1234', hash: 'loan' },
    // The lender list labels a returned EMI's reversal a disbursal; it is a return, not a loan.
    { date: '2025-03-05', type: 'credit', rupees: 4_500, channel: 'auto_debit_payment_bounce', description: 'lender_transaction', category: 'Loan Disbursed', narration: 'ACH D- RETURN-XYZ FINSERV', hash: 'ret' },
    { date: '2025-03-07', type: 'debit', rupees: 590, channel: 'bank_charge', description: 'ach_bounce_charge', category: 'Loan', narration: 'ACH RTN CHRG XYZ FINSERV', hash: 'chg' },
  ];
  const ts = enriched(byDate(specs));
  assert.deepEqual(findLenderTransactions(ts, findRecurring(ts)), ['disb', 'emi0', 'emi1', 'kb', 'emi2', 'loan', 'emi3']);
});

test('one or two NACH debits to a lender make no recurring set and are found only by their labels', () => {
  const ts = enriched(mandate('ABC CAPITAL', 'x', 5_000).slice(0, 2));
  assert.deepEqual(findLenderTransactions(ts, findRecurring(ts)), []);
});
