/**
 * Bounces: cheque and NACH returns and their charges are found, each return linked to the item
 * that bounced and to its charge; ordinary charges are not bounces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBounces } from '../../src/analysis/bounces.ts';
import { enriched } from './enriched-fixtures.ts';

test('returns and charges are found and linked to the bounced item and the charge', () => {
  const ts = enriched([
    // Outward cheque 000123 issued, returned two days later (same cheque number), charged.
    { date: '2025-09-01', type: 'debit', rupees: 50_000, chqNum: '000123', channel: 'chq', narration: 'CHQ PAID 000123 ABC TRADERS', cleanNote: 'ABC TRADERS', hash: 'chq' },
    { date: '2025-09-02', type: 'debit', rupees: 50_000, channel: 'upi', cleanNote: 'SOMEONE', narration: 'UPI/SOMEONE', hash: 'same-amount-other-party' },
    { date: '2025-09-03', type: 'credit', rupees: 50_000, chqNum: '123', channel: 'outward_cheque_bounce', description: 'chq_bounce_insuff_funds', narration: 'CHQ RET 123 INSUFFICIENT FUNDS', hash: 'chq-ret' },
    { date: '2025-09-03', type: 'debit', rupees: 590, channel: 'bank_charge', narration: 'CHQ RET CHGS 123 INCL GST', hash: 'chq-chg' },
    { date: '2025-09-05', type: 'debit', rupees: 59, channel: 'bank_charge', narration: 'SMS ALERT CHARGES', hash: 'sms' },
    // NACH EMI debited then returned the next day (same counterparty words), charged two days later.
    { date: '2025-10-05', type: 'debit', rupees: 12_000, channel: 'auto_debit_payment', narration: 'NACH DR XYZ FINSERV 1234', cleanNote: 'XYZ FINSERV', hash: 'emi' },
    { date: '2025-10-06', type: 'credit', rupees: 12_000, channel: 'auto_debit_payment_bounce', narration: 'NACH RTN XYZ FINSERV 1234', cleanNote: 'XYZ FINSERV', hash: 'emi-ret' },
    { date: '2025-10-08', type: 'debit', rupees: 500, channel: 'bank_charge', description: 'ach_bounce_charge', narration: 'ACH DEBIT RETURN CHARGES', hash: 'emi-chg' },
    // An ECS return with nothing before it (the debit never posted) and a charge 5 days later (too late to link).
    { date: '2025-11-10', type: 'debit', rupees: 3_000, channel: 'auto_debit_payment_bounce', narration: 'ECS RTN INSURANCE', cleanNote: 'INSURANCE', hash: 'ecs-ret' },
    { date: '2025-11-15', type: 'debit', rupees: 295, channel: 'bank_charge', narration: 'ECS RETURN CHARGES', hash: 'ecs-chg' },
    { date: '2025-11-20', type: 'debit', rupees: 250, description: 'penalty_charge', narration: 'MIN BAL CHARGES', hash: 'minbal' },
  ]);
  const found = findBounces(ts);
  assert.deepEqual(found.hashes, ['chq-ret', 'chq-chg', 'emi-ret', 'emi-chg', 'ecs-ret', 'ecs-chg', 'minbal']);
  assert.deepEqual(found.links, [
    { bounceHash: 'chq-ret', bouncedHash: 'chq', chargeHash: 'chq-chg' },
    { bounceHash: 'emi-ret', bouncedHash: 'emi', chargeHash: 'emi-chg' },
    { bounceHash: 'ecs-ret', bouncedHash: null, chargeHash: null },
  ]);
});

test('an inward cheque returned more than 7 days after its deposit is not linked; ordinary debits are not bounces', () => {
  const ts = enriched([
    { date: '2025-09-01', type: 'credit', rupees: 8_000, chqNum: '555', channel: 'chq', narration: 'CLG CHQ 555', hash: 'dep' },
    { date: '2025-09-12', type: 'debit', rupees: 8_000, chqNum: '555', channel: 'inward_cheque_bounce', narration: 'CHQ RETURN 555', hash: 'ret' },
    { date: '2025-09-13', type: 'debit', rupees: 100, channel: 'upi', narration: 'UPI/RETURN GIFT SHOP', hash: 'shop' },
  ]);
  assert.deepEqual(findBounces(ts), { hashes: ['ret'], links: [{ bounceHash: 'ret', bouncedHash: null, chargeHash: null }] });
});
