/**
 * Recurring sets: a monthly rent and a weekly credit planted among noise are found exactly;
 * irregular, too few, too different and off-rhythm transactions make no set.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRecurring } from '../../src/analysis/recurring.ts';
import { byDate, enriched, type TxnSpec } from './enriched-fixtures.ts';

const rent = (date: string, rupees: number, hash: string): TxnSpec => ({
  date,
  type: 'debit',
  rupees,
  hash,
  channel: 'upi',
  cleanNote: 'SURESH LANDLORD',
  narration: `UPI/${hash}/SURESH LANDLORD/rent`,
});

test('a monthly debit (± a few days, one amount off within 20%) and a weekly credit are found, members oldest first', () => {
  const specs: TxnSpec[] = [
    rent('2025-01-05', 15_000, 'r1'),
    rent('2025-02-03', 15_000, 'r2'),
    rent('2025-03-08', 16_500, 'r3'),
    rent('2025-04-05', 15_000, 'r4'),
    rent('2025-05-06', 15_000, 'r5'),
    // A one-off payment to the same landlord far off the amount: not a member.
    rent('2025-03-20', 40_000, 'rx'),
    // Noise: a one-off and irregular UPI spends to a shop.
    { date: '2025-02-14', type: 'debit', rupees: 900, channel: 'upi', cleanNote: 'FLOWER SHOP', hash: 'n1' },
    { date: '2025-01-10', type: 'debit', rupees: 300, channel: 'upi', cleanNote: 'KIRANA STORE', hash: 'k1' },
    { date: '2025-01-20', type: 'debit', rupees: 310, channel: 'upi', cleanNote: 'KIRANA STORE', hash: 'k2' },
    { date: '2025-03-05', type: 'debit', rupees: 305, channel: 'upi', cleanNote: 'KIRANA STORE', hash: 'k3' },
    { date: '2025-03-07', type: 'debit', rupees: 300, channel: 'upi', cleanNote: 'KIRANA STORE', hash: 'k4' },
  ];
  for (let week = 0; week < 10; week++) {
    const day = new Date(Date.UTC(2025, 0, 3 + week * 7)).toISOString().slice(0, 10);
    specs.push({ date: day, type: 'credit', rupees: 2_000, channel: 'net_banking_transfer', cleanNote: 'WEEKLY PAYOUT', hash: `w${week}` });
  }
  const found = findRecurring(enriched(byDate(specs)));
  assert.deepEqual(found.debit, [
    {
      type: 'debit',
      channel: 'upi',
      cleanNote: 'SURESH LANDLORD',
      medianPaise: 1_500_000,
      startDate: '2025-01-05',
      endDate: '2025-05-06',
      hashes: ['r1', 'r2', 'r3', 'r4', 'r5'],
    },
  ]);
  assert.deepEqual(found.credit, [
    {
      type: 'credit',
      channel: 'net_banking_transfer',
      cleanNote: 'WEEKLY PAYOUT',
      medianPaise: 200_000,
      startDate: '2025-01-03',
      endDate: '2025-03-07',
      hashes: ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'],
    },
  ]);
});

test('irregular transfers, two months only, amounts apart and different channels make no set', () => {
  const note = (cleanNote: string, channel: TxnSpec['channel'], rows: [string, number][]): TxnSpec[] =>
    rows.map(([date, rupees]) => ({ date, type: 'debit', rupees, channel, cleanNote }));
  const specs = [
    // Gaps of 12, 47 and 9 days.
    ...note('RAMESH KUMAR', 'upi', [['2025-01-01', 5_000], ['2025-01-13', 5_000], ['2025-03-01', 5_000], ['2025-03-10', 5_000]]),
    // Monthly but only in two months.
    ...note('GYM MEMBERSHIP', 'upi', [['2025-01-15', 1_500], ['2025-02-15', 1_500]]),
    // Monthly dates, but every amount more than 20% from the median.
    ...note('ELECTRICITY', 'bill_payment', [['2025-01-10', 500], ['2025-02-10', 1_500], ['2025-03-10', 3_000], ['2025-04-10', 6_000]]),
    // Monthly in total, but split across two channels.
    ...note('NETFLIX', 'upi', [['2025-01-02', 649], ['2025-03-02', 649]]),
    ...note('NETFLIX', 'debit_card', [['2025-02-02', 649]]),
  ];
  assert.deepEqual(findRecurring(enriched(byDate(specs))), { debit: [], credit: [] });
});

test('a missed month ends a run: two runs of three make two sets, sorted by start date', () => {
  const months = ['2024-01', '2024-02', '2024-03', '2024-06', '2024-07', '2024-08'];
  const specs: TxnSpec[] = months.map((m, i) => ({ date: `${m}-10`, type: 'debit', rupees: 2_000, channel: 'auto_debit_payment', cleanNote: 'ACH SIP FUND', hash: `s${i}` }));
  specs.push(
    ...['2024-02-20', '2024-03-20', '2024-04-21'].map((date, i): TxnSpec => ({ date, type: 'debit', rupees: 99, channel: 'upi', cleanNote: 'MUSIC APP', hash: `m${i}` })),
  );
  const { debit } = findRecurring(enriched(byDate(specs)));
  assert.deepEqual(
    debit.map((s) => [s.cleanNote, s.startDate, s.hashes]),
    [
      ['ACH SIP FUND', '2024-01-10', ['s0', 's1', 's2']],
      ['MUSIC APP', '2024-02-20', ['m0', 'm1', 'm2']],
      ['ACH SIP FUND', '2024-06-10', ['s3', 's4', 's5']],
    ],
  );
});

test('one payment a week late (or early) stays in its monthly set; two off-rhythm payments in a row end it', () => {
  const salary = (date: string, hash: string): TxnSpec => ({ date, type: 'credit', rupees: 84_350, channel: 'salary', cleanNote: 'ZENITH SOFTWARE SOLUTIONS PVT LTD SAL', hash });
  // Due on the 3rd; June's lands on the 10th: gaps 31, 39, 25, 31.
  const late = findRecurring(enriched([salary('2026-04-01', 'a'), salary('2026-05-02', 'b'), salary('2026-06-10', 'c'), salary('2026-07-05', 'd'), salary('2026-08-05', 'e')]));
  assert.deepEqual(late.credit.map((s) => s.hashes), [['a', 'b', 'c', 'd', 'e']]);
  // Due on the 28th; June's lands on 5 July: gaps 32, 36, 21, 32.
  const acrossMonthEnd = findRecurring(enriched([salary('2026-04-28', 'a'), salary('2026-05-30', 'b'), salary('2026-07-05', 'c'), salary('2026-07-26', 'd'), salary('2026-08-27', 'e')]));
  assert.deepEqual(acrossMonthEnd.credit.map((s) => [s.cleanNote, s.hashes]), [['ZENITH SOFTWARE SOLUTIONS PVT LTD SAL', ['a', 'b', 'c', 'd', 'e']]]);
  // Gaps 31, 45, 45, 31: no pair of gaps adds up to two months.
  const drifting = findRecurring(enriched([salary('2026-01-01', 'a'), salary('2026-02-01', 'b'), salary('2026-03-18', 'c'), salary('2026-05-02', 'd'), salary('2026-06-02', 'e')]));
  assert.deepEqual(drifting.credit, []);
});

test('notes that differ only by month names and numbers are one counterparty; cash is never a set', () => {
  const specs: TxnSpec[] = ['JAN', 'FEB', 'MAR'].map((m, i) => ({ date: `2025-0${i + 1}-05`, type: 'debit', rupees: 22_000, channel: 'upi', cleanNote: `SURESH MENON HDFC RENT ${m}`, hash: `r${i}` }));
  specs.push(...['2025-01-10', '2025-02-10', '2025-03-10'].map((date, i): TxnSpec => ({ date, type: 'debit', rupees: 5_000, channel: 'cash_withdrawl', cleanNote: 'MUMBAI ANDHERI EAST', hash: `atm${i}` })));
  const { debit } = findRecurring(enriched(byDate(specs)));
  assert.deepEqual(debit.map((s) => [s.cleanNote, s.hashes]), [['SURESH MENON HDFC RENT', ['r0', 'r1', 'r2']]]);
});
