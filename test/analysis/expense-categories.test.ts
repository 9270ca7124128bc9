/** Expense categories: integer percentages of debits that always sum to 100. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expenseCategories } from '../../src/analysis/expense-categories.ts';
import { enriched, inputOf } from './enriched-fixtures.ts';

test('an even three-way split rounds to 34 + 33 + 33', () => {
  const ts = enriched([
    { date: '2025-07-01', type: 'debit', rupees: 100, merchantCategory: 'food', category: 'Food' },
    { date: '2025-07-02', type: 'debit', rupees: 100, merchantCategory: 'groceries' },
    { date: '2025-07-03', type: 'debit', rupees: 100, category: 'Transfer to ANITA' },
    { date: '2025-07-04', type: 'credit', rupees: 10_000, category: 'Salary' },
  ]);
  const result = expenseCategories(inputOf(ts));
  assert.equal(result.reduce((s, c) => s + c.percentage, 0), 100);
  assert.deepEqual(result.map((c) => c.percentage), [34, 33, 33]);
  assert.deepEqual(new Set(result.map((c) => c.category)), new Set(['Food', 'Groceries', 'Transfers']));
});

test('awkward splits always sum to exactly 100, largest first; transfers to people count as Transfers', () => {
  const ts = enriched([
    { date: '2025-07-01', type: 'debit', rupees: 6_666.67, category: 'Transfer to RAVI' },
    { date: '2025-07-01', type: 'debit', rupees: 1_000, category: 'Transfer to SITA' },
    { date: '2025-07-02', type: 'debit', rupees: 2_000, category: 'Cash' },
    { date: '2025-07-03', type: 'debit', rupees: 333.33, merchantCategory: 'ewallet' },
    { date: '2025-07-04', type: 'debit', rupees: 0.5, category: '' },
    { date: '2025-07-05', type: 'debit', rupees: 0.01, category: 'Utilities' },
  ]);
  const result = expenseCategories(inputOf(ts));
  assert.equal(result.reduce((s, c) => s + c.percentage, 0), 100);
  assert.deepEqual(result, [
    { category: 'Transfers', percentage: 77 },
    { category: 'Cash', percentage: 20 },
    { category: 'Ewallet', percentage: 3 },
    { category: 'Others', percentage: 0 },
    { category: 'Utilities', percentage: 0 },
  ]);
  for (const split of [[1, 1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6], [99.99, 0.01, 0.01], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]]) {
    const many = enriched(split.map((rupees, i) => ({ date: '2025-07-01', type: 'debit' as const, rupees, category: `C${i}` })));
    assert.equal(expenseCategories(inputOf(many)).reduce((s, c) => s + c.percentage, 0), 100, String(split));
  }
});

test('no debits, no categories', () => {
  assert.deepEqual(expenseCategories(inputOf(enriched([{ date: '2025-07-04', type: 'credit', rupees: 10, category: 'Salary' }]))), []);
});
