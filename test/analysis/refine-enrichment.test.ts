/** Refining the enrichment: salary, lender and self-transfer labels on new objects, the originals untouched. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refineEnrichment } from '../../src/analysis/refine-enrichment.ts';
import { enriched } from './enriched-fixtures.ts';

test('found transactions are relabelled on copies; the rest keep their labels', () => {
  const ts = enriched([
    { date: '2025-01-01', type: 'credit', rupees: 50_000, channel: 'net_banking_transfer', category: 'Transfer from ACME', hash: 'sal' },
    { date: '2025-01-02', type: 'debit', rupees: 5_000, channel: 'auto_debit_payment', category: 'Others', hash: 'emi' },
    { date: '2025-01-03', type: 'credit', rupees: 90_000, channel: 'net_banking_transfer', category: 'Others', hash: 'disb' },
    { date: '2025-01-04', type: 'debit', rupees: 1_000, channel: 'upi', category: 'Transfer to RAHUL', hash: 'self' },
    { date: '2025-01-05', type: 'debit', rupees: 100, channel: 'upi', merchantCategory: 'food', category: 'Food', hash: 'food' },
    { date: '2025-01-06', type: 'credit', rupees: 100, channel: 'upi', category: 'Others', hash: 'both' },
  ]);
  const before = JSON.stringify(ts);
  const out = refineEnrichment(ts, {
    salaryHashes: new Set(['sal', 'both']),
    lenderHashes: new Set(['emi', 'disb', 'both']),
    selfAndSisterHashes: new Set(['self', 'both']),
  });
  assert.equal(JSON.stringify(ts), before);
  assert.equal(out.length, ts.length);
  out.forEach((t, i) => assert.notEqual(t, ts[i]));
  const label = (i: number): [string, string, string] => {
    const e = out[i]?.enrichment;
    return [e?.channel ?? '', e?.description ?? '', e?.category ?? ''];
  };
  assert.deepEqual(label(0), ['salary', '', 'Salary']);
  assert.deepEqual(label(1), ['auto_debit_payment', 'lender_transaction', 'Loan']);
  assert.deepEqual(label(2), ['net_banking_transfer', 'lender_transaction', 'Loan Disbursed']);
  assert.deepEqual(label(3), ['self_transfer', 'self_transfer', 'Self Transfer']);
  assert.deepEqual(label(4), ['upi', '', 'Food']);
  assert.deepEqual(label(5), ['salary', '', 'Salary']);
  assert.equal(out[4]?.enrichment.merchantCategory, 'food');
});
