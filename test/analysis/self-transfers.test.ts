/**
 * Self and sister transfers: the holder's name on the other side in any order and with
 * initials, a sister company named in the narration, the enrichment's self_transfer label; a
 * one-off transfer to another person and cash naming the holder are not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSelfAndSisterTransfers, sameName } from '../../src/analysis/self-transfers.ts';
import { enriched } from './enriched-fixtures.ts';

test('names match whatever the order, with initials, but not another first name', () => {
  assert.equal(sameName('RAHUL K SHARMA', 'SHARMA RAHUL'), true);
  assert.equal(sameName('Mr. Rahul Kumar Sharma', 'R K SHARMA'), true);
  assert.equal(sameName('RAHUL K SHARMA', 'R SHARMA'), true);
  assert.equal(sameName('RAHUL K SHARMA', 'ROHIT SHARMA'), false);
  assert.equal(sameName('RAHUL K SHARMA', 'SHARMA'), false);
  assert.equal(sameName('RAHUL K SHARMA', 'R S'), false);
  assert.equal(sameName('RAHUL SHARMA', 'RAHUL SHARMA TRADERS'), true);
});

test('transfers to and from the holder and sister companies are found, oldest first; others are not', () => {
  const ts = enriched([
    { date: '2025-03-01', type: 'debit', rupees: 10_000, channel: 'upi', narration: 'UPI/DR/5123/SHARMA RAHUL/ICIC/rahul@okicici', counterparty: { name: 'SHARMA RAHUL' }, hash: 'self1' },
    { date: '2025-03-02', type: 'debit', rupees: 500, channel: 'upi', narration: 'UPI/DR/5124/PRIYA VERMA/HDFC', counterparty: { name: 'PRIYA VERMA' }, hash: 'other1' },
    { date: '2025-03-03', type: 'credit', rupees: 7_000, channel: 'net_banking_transfer', narration: 'IMPS/P2A/512566/RAHUL KUMAR SHARMA/SBIN', hash: 'self2' },
    { date: '2025-03-04', type: 'debit', rupees: 2_000, channel: 'cash_withdrawl', narration: 'ATM WDL RAHUL K SHARMA MG ROAD', hash: 'cash' },
    { date: '2025-03-05', type: 'credit', rupees: 90_000, channel: 'net_banking_transfer', narration: 'NEFT-N0512-SHARMA TRADING CO PVT LTD-UTIB', counterparty: { name: 'SHARMA TRADING CO PVT LTD' }, hash: 'sister' },
    { date: '2025-03-06', type: 'debit', rupees: 300, channel: 'Others', description: 'self_transfer', narration: 'TRF TO OWN A/C 1234', hash: 'label' },
    { date: '2025-03-07', type: 'debit', rupees: 800, channel: 'upi', narration: 'UPI/DR/5125/ROHIT SHARMA/HDFC', counterparty: { name: 'ROHIT SHARMA' }, hash: 'other2' },
    { date: '2025-03-08', type: 'debit', rupees: 800, channel: 'upi', narration: 'UPI/DR/5126/SHARMA TRADING/HDFC', counterparty: { name: 'SHARMA TRADING' }, hash: 'other3' },
  ]);
  assert.deepEqual(findSelfAndSisterTransfers(ts, { holderNames: ['RAHUL K SHARMA'], companies: ['Sharma Trading Co Pvt Ltd'] }), ['self1', 'self2', 'sister', 'label']);
});

test('without names, only the self_transfer labels count', () => {
  const ts = enriched([
    { date: '2025-03-01', type: 'debit', rupees: 10, channel: 'self_transfer', hash: 'a' },
    { date: '2025-03-02', type: 'debit', rupees: 10, channel: 'upi', counterparty: { name: 'SOMEONE ELSE' }, hash: 'b' },
  ]);
  assert.deepEqual(findSelfAndSisterTransfers(ts, { holderNames: [], companies: [] }), ['a']);
  assert.deepEqual(findSelfAndSisterTransfers(ts, { holderNames: ['X'], companies: [' '] }), ['a']);
});
