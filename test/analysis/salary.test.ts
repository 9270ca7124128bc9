/**
 * Salary: found by the session's employer names (whole words), by salary labels, and by the
 * company pattern; the month each credit pays for; the confidence; and irregular or personal
 * credits that are not salary. Delays and changes of a found salary.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSalary, salaryEvents, salaryMonthOf } from '../../src/analysis/salary.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { byDate, enriched, type TxnSpec } from './enriched-fixtures.ts';

const neft = (date: string, rupees: number, name: string, hash: string, extra: Partial<TxnSpec> = {}): TxnSpec => ({
  date,
  type: 'credit',
  rupees,
  hash,
  channel: 'net_banking_transfer',
  narration: `NEFT-CITIN25${hash}-${name}-HDFC0000001`,
  cleanNote: name,
  counterparty: { name },
  ...extra,
});

test('the salary month: credits on the 1st–15th pay for the month before, from the 16th for their own', () => {
  assert.equal(salaryMonthOf('2025-08-14' as CalendarDate), '2025-07');
  assert.equal(salaryMonthOf('2025-08-15' as CalendarDate), '2025-07');
  assert.equal(salaryMonthOf('2025-08-16' as CalendarDate), '2025-08');
  assert.equal(salaryMonthOf('2025-01-01' as CalendarDate), '2024-12');
  assert.equal(salaryMonthOf('2025-01-31' as CalendarDate), '2025-01');
});

test('with employer names: credits naming the employer as whole words, any case, in the name or narration', () => {
  const ts = enriched(
    byDate([
      neft('2025-05-30', 52_000, 'ACME TECHNOLOGIES PVT LTD', 'a1'),
      neft('2025-07-01', 52_000, 'ACME TECHNOLOGIES PVT LTD', 'a2'),
      { date: '2025-07-20', type: 'credit', rupees: 3_000, narration: 'IMPS/P2A/5120/acme technologies/REIMB', hash: 'a3', channel: 'net_banking_transfer' },
      // Not whole words: ACMETECHNOLOGIES.
      { date: '2025-06-10', type: 'credit', rupees: 52_000, narration: 'NEFT-ACMETECHNOLOGIES', hash: 'x1', channel: 'net_banking_transfer' },
      // A refund from the employer is not salary.
      { date: '2025-06-12', type: 'credit', rupees: 500, narration: 'REFUND ACME TECHNOLOGIES', hash: 'x2', channel: 'refund' },
      { date: '2025-06-13', type: 'debit', rupees: 500, narration: 'ACME TECHNOLOGIES CANTEEN', hash: 'x3' },
    ]),
  );
  assert.deepEqual(findSalary(ts, { employerNames: ['  Acme Technologies '] }), {
    credits: [
      { hash: 'a1', employerName: 'Acme Technologies', salaryMonth: '2025-05' },
      { hash: 'a2', employerName: 'Acme Technologies', salaryMonth: '2025-06' },
      { hash: 'a3', employerName: 'Acme Technologies', salaryMonth: '2025-07' },
    ],
    confidence: 1,
  });
});

test('without employer names: a company paying one similar amount a month by NEFT, in 4 months, confidence 0.65', () => {
  const specs: TxnSpec[] = [
    neft('2025-01-31', 85_000, 'GLOBEX SOLUTIONS PVT LTD', 'g1'),
    neft('2025-03-03', 85_000, 'GLOBEX SOLUTIONS PVT LTD', 'g2'),
    neft('2025-03-31', 92_000, 'GLOBEX SOLUTIONS PVT LTD', 'g3'),
    neft('2025-04-30', 85_000, 'GLOBEX SOLUTIONS PVT LTD', 'g4'),
    // A bonus in the same month as g4, far from the median: not one of the monthly credits.
    neft('2025-04-15', 200_000, 'GLOBEX SOLUTIONS PVT LTD', 'gb'),
    // A person sending the same amount monthly is not an employer.
    neft('2025-01-05', 10_000, 'MEENA IYER', 'p1'),
    neft('2025-02-05', 10_000, 'MEENA IYER', 'p2'),
    neft('2025-03-05', 10_000, 'MEENA IYER', 'p3'),
    // A company paying irregularly (gaps 11 and 60 days) is not salary.
    neft('2025-01-10', 40_000, 'INITECH SERVICES LLP', 'i1'),
    neft('2025-01-21', 40_000, 'INITECH SERVICES LLP', 'i2'),
    neft('2025-03-22', 40_000, 'INITECH SERVICES LLP', 'i3'),
    // A company paying monthly by UPI is not a payroll.
    ...['2025-01-25', '2025-02-25', '2025-03-25'].map((date, i) => neft(date, 7_000, 'HOOLI TECHNOLOGIES LTD', `u${i}`, { channel: 'upi', narration: 'UPI/HOOLI TECHNOLOGIES LTD' })),
  ];
  const found = findSalary(enriched(byDate(specs)), { employerNames: [] });
  assert.deepEqual(found.credits, [
    { hash: 'g1', employerName: 'GLOBEX SOLUTIONS PVT LTD', salaryMonth: '2025-01' },
    { hash: 'g2', employerName: 'GLOBEX SOLUTIONS PVT LTD', salaryMonth: '2025-02' },
    { hash: 'g3', employerName: 'GLOBEX SOLUTIONS PVT LTD', salaryMonth: '2025-03' },
    { hash: 'g4', employerName: 'GLOBEX SOLUTIONS PVT LTD', salaryMonth: '2025-04' },
  ]);
  assert.equal(found.confidence, 0.65);
});

test('employer names not found: the patterns decide; salary labels give 0.9', () => {
  const ts = enriched([
    { date: '2025-02-01', type: 'credit', rupees: 30_000, narration: 'SALARY FOR JAN 2025', hash: 's1' },
    { date: '2025-03-01', type: 'credit', rupees: 30_000, narration: 'BY TRANSFER', channel: 'salary', counterparty: { name: 'WAYNE ENTERPRISES' }, hash: 's2' },
    { date: '2025-03-09', type: 'credit', rupees: 1_000, narration: 'UPI/SALE PROCEEDS', channel: 'upi', hash: 'n1' },
  ]);
  assert.deepEqual(findSalary(ts, { employerNames: ['Stark Industries'] }), {
    credits: [
      { hash: 's1', employerName: null, salaryMonth: '2025-01' },
      { hash: 's2', employerName: 'WAYNE ENTERPRISES', salaryMonth: '2025-02' },
    ],
    confidence: 0.9,
  });
});

test('no salary: irregular and personal credits give no credits and a null confidence', () => {
  const ts = enriched([
    { date: '2025-01-03', type: 'credit', rupees: 25_000, narration: 'IMPS/P2A/RAVI', channel: 'net_banking_transfer', cleanNote: 'RAVI', hash: 'c1' },
    { date: '2025-02-19', type: 'credit', rupees: 25_000, narration: 'IMPS/P2A/RAVI', channel: 'net_banking_transfer', cleanNote: 'RAVI', hash: 'c2' },
    { date: '2025-04-02', type: 'credit', rupees: 25_000, narration: 'IMPS/P2A/RAVI', channel: 'net_banking_transfer', cleanNote: 'RAVI', hash: 'c3' },
    { date: '2025-04-30', type: 'credit', rupees: 112, narration: 'INT.PD', channel: 'bank_interest', hash: 'c4' },
  ]);
  assert.deepEqual(findSalary(ts, { employerNames: [] }), { credits: [], confidence: null });
});

test('salary events: a credit later than the usual day, and a month paid more than 5% differently', () => {
  const ts = enriched([
    neft('2025-01-30', 50_000, 'ACME LTD', 'e1'),
    neft('2025-02-28', 50_000, 'ACME LTD', 'e2'),
    neft('2025-04-03', 50_000, 'ACME LTD', 'e3'),
    neft('2025-04-30', 56_000, 'ACME LTD', 'e4'),
    neft('2025-05-30', 57_000, 'ACME LTD', 'e5'),
  ]);
  const found = findSalary(ts, { employerNames: ['Acme'] });
  assert.deepEqual(
    found.credits.map((c) => c.salaryMonth),
    ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05'],
  );
  assert.deepEqual(salaryEvents(found.credits, ts), {
    delays: [{ hash: 'e3', daysLate: 4 }],
    changes: [{ salaryMonth: '2025-04', hash: 'e4', previousPaise: 5_000_000, amountPaise: 5_600_000, changePercent: 12 }],
  });
});

test('the salary month follows each employer\'s usual day: a late or early credit keeps its month', () => {
  const ts = enriched([
    // Acme pays on the 30th: one early on the 27th, one late on 3 March (still February's).
    neft('2025-01-30', 60_000, 'ACME LTD', 'a1'),
    neft('2025-03-03', 60_000, 'ACME LTD', 'a2'),
    neft('2025-03-27', 60_000, 'ACME LTD', 'a3'),
    // Then Globex, due on the 5th (the previous month's pay): 3 May, 12 June (late), 5 July.
    neft('2025-05-03', 70_000, 'GLOBEX LTD', 'g1'),
    neft('2025-06-12', 70_000, 'GLOBEX LTD', 'g2'),
    neft('2025-07-05', 70_000, 'GLOBEX LTD', 'g3'),
  ]);
  assert.deepEqual(
    findSalary(ts, { employerNames: ['Acme', 'Globex'] }).credits.map((c) => [c.hash, c.employerName, c.salaryMonth]),
    [
      ['a1', 'Acme', '2025-01'],
      ['a2', 'Acme', '2025-02'],
      ['a3', 'Acme', '2025-03'],
      ['g1', 'Globex', '2025-04'],
      ['g2', 'Globex', '2025-05'],
      ['g3', 'Globex', '2025-06'],
    ],
  );
});
