/**
 * End-of-day balances: printed balances, the day's last row, carry-forward over days without
 * transactions and across month ends, the running sum without printed balances, and null
 * when there is nothing to start from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eodBalances } from '../../src/analysis/eod-balances.ts';
import { enriched } from './enriched-fixtures.ts';

test('the day\'s last printed balance, carried over days without transactions and across month and year ends', () => {
  const ts = enriched([
    { date: '2024-12-30', type: 'credit', rupees: 100, balanceRupees: 1100 },
    { date: '2024-12-30', type: 'debit', rupees: 50, balanceRupees: 1050 },
    { date: '2025-01-02', type: 'debit', rupees: 25, balanceRupees: 1025 },
    { date: '2025-03-01', type: 'credit', rupees: 5, balanceRupees: 1030 },
  ]);
  const eod = eodBalances(ts, 100_000);
  assert.ok(eod);
  assert.equal(eod.startingBalancePaise, 100_000);
  assert.equal(eod.days.length, 2 + 31 + 28 + 1);
  assert.deepEqual(eod.days.slice(0, 4), [
    { date: '2024-12-30', balancePaise: 105_000 },
    { date: '2024-12-31', balancePaise: 105_000 },
    { date: '2025-01-01', balancePaise: 105_000 },
    { date: '2025-01-02', balancePaise: 102_500 },
  ]);
  assert.deepEqual(eod.days.find((d) => d.date === '2025-02-28'), { date: '2025-02-28', balancePaise: 102_500 });
  assert.deepEqual(eod.days.at(-1), { date: '2025-03-01', balancePaise: 103_000 });
});

test('without printed balances the opening balance is run on by the amounts', () => {
  const ts = enriched([
    { date: '2025-05-31', type: 'credit', rupees: 200 },
    { date: '2025-06-01', type: 'debit', rupees: 50.5 },
    { date: '2025-06-03', type: 'debit', rupees: 10 },
  ]);
  const eod = eodBalances(ts, 1_000);
  assert.deepEqual(eod, {
    startingBalancePaise: 1_000,
    days: [
      { date: '2025-05-31', balancePaise: 21_000 },
      { date: '2025-06-01', balancePaise: 15_950 },
      { date: '2025-06-02', balancePaise: 15_950 },
      { date: '2025-06-03', balancePaise: 14_950 },
    ],
  });
});

test('a balance printed once a day: the rows before it are worked back to the starting balance', () => {
  const ts = enriched([
    { date: '2025-06-01', type: 'debit', rupees: 100 },
    { date: '2025-06-01', type: 'credit', rupees: 30, balanceRupees: 930 },
    { date: '2025-06-02', type: 'debit', rupees: 30 },
    { date: '2025-06-02', type: 'debit', rupees: 100, balanceRupees: 800 },
  ]);
  const eod = eodBalances(ts, null);
  assert.deepEqual(eod, {
    startingBalancePaise: 100_000,
    days: [
      { date: '2025-06-01', balancePaise: 93_000 },
      { date: '2025-06-02', balancePaise: 80_000 },
    ],
  });
});

test('null with neither printed balances nor an opening balance, and without transactions', () => {
  assert.equal(eodBalances(enriched([{ date: '2025-06-01', type: 'debit', rupees: 100 }]), null), null);
  assert.equal(eodBalances([], 5_000), null);
});
