/** Top credits and debits: five per side per month, largest first, ties in date order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topCreditsDebits } from '../../src/analysis/top-credits-debits.ts';
import { enriched, inputOf, type TxnSpec } from './enriched-fixtures.ts';

test('the five largest debits and credits of each month present, ties earlier first', () => {
  const specs: TxnSpec[] = [
    { date: '2025-07-01', type: 'debit', rupees: 10, hash: 'd1' },
    { date: '2025-07-02', type: 'debit', rupees: 700, hash: 'd2' },
    { date: '2025-07-03', type: 'debit', rupees: 300, hash: 'd3' },
    { date: '2025-07-04', type: 'debit', rupees: 300, hash: 'd4' },
    { date: '2025-07-05', type: 'debit', rupees: 50, hash: 'd5' },
    { date: '2025-07-06', type: 'debit', rupees: 900, hash: 'd6' },
    { date: '2025-07-07', type: 'debit', rupees: 40, hash: 'd7' },
    { date: '2025-07-08', type: 'credit', rupees: 5, hash: 'c1' },
    { date: '2025-09-08', type: 'credit', rupees: 5, hash: 'c2' },
    { date: '2025-09-09', type: 'credit', rupees: 6, hash: 'c3' },
  ];
  assert.deepEqual(topCreditsDebits(inputOf(enriched(specs))), [
    { month: '2025-07', debits: ['d6', 'd2', 'd3', 'd4', 'd5'], credits: ['c1'] },
    { month: '2025-09', debits: [], credits: ['c3', 'c2'] },
  ]);
});

test('no transactions, no months', () => {
  assert.deepEqual(topCreditsDebits(inputOf([])), []);
});
