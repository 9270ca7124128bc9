import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIndian, parseAmount, signedBalance, toRupees } from '../../src/domain/money.ts';
import { parseStatementDate, parseYearlessDate } from '../../src/statements/parse/statement-dates.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';

test('amounts: Indian grouping, Dr/Cr markers, negatives, currency prefixes', () => {
  const cases: [string, number, 'dr' | 'cr' | null][] = [
    ['1,09,550.00', 10955000, null],
    ['109,550.00', 10955000, null],
    ['109550', 10955000, null],
    ['0.5', 50, null],
    ['12,34,56,789.05', 12345678905, null],
    ['1,200.00 Cr', 120000, 'cr'],
    ['1,200.00Dr', 120000, 'dr'],
    ['1,200.00(Cr)', 120000, 'cr'],
    ['1,200.00 (Dr.)', 120000, 'dr'],
    ['-2,500.75', 250075, 'dr'],
    ['(2,500.75)', 250075, 'dr'],
    ['₹ 45.00', 4500, null],
    ['Rs. 45.00', 4500, null],
    ['INR 45', 4500, null],
    // Signed amount columns: a trailing minus, a sign before the currency, a plus for credits.
    ['2,500.75-', 250075, 'dr'],
    ['- Rs.3,980.45', 398045, 'dr'],
    ['+ Rs.100.00', 10000, 'cr'],
    ['+1,000', 100000, 'cr'],
    // A rupee sign a font prints as another glyph.
    ['¹500', 50000, null],
    ['`1,200.00', 120000, null],
  ];
  for (const [text, paise, marker] of cases) assert.deepEqual(parseAmount(text), { paise, marker }, text);
  for (const bad of ['', 'abc', '1,2', '12.345', '1.000,00', '01/02/2024', 'Dr', '1,00,0.00', '--5', '-', '+', '5-5']) {
    assert.equal(parseAmount(bad), null, bad);
  }
  assert.equal(signedBalance(parseAmount('5,000.00 Dr')!), -500000);
  assert.equal(signedBalance(parseAmount('5,000.00')!), 500000);
  assert.equal(toRupees(10955050), 109550.5);
  assert.equal(toRupees(-1), -0.01);
  assert.equal(formatIndian(10955000), '1,09,550.00');
  assert.equal(formatIndian(12345678905), '12,34,56,789.05');
  assert.equal(formatIndian(5), '0.05');
  assert.equal(formatIndian(-250075), '-2,500.75');
});

test('statement dates: the day-first forms Indian banks print, and ISO', () => {
  const cases: [string, string][] = [
    ['01/02/24', '2024-02-01'],
    ['1/2/2024', '2024-02-01'],
    ['31-12-2023', '2023-12-31'],
    ['31.12.2023', '2023-12-31'],
    ['5 Jan 2024', '2024-01-05'],
    ['05-Jan-24', '2024-01-05'],
    ['05-JAN-2024', '2024-01-05'],
    ['29 Feb, 2024', '2024-02-29'],
    ['15 Sept 2025', '2025-09-15'],
    ['01/02/2024 10:15:00', '2024-02-01'],
    ['2024-01-05', '2024-01-05'],
    ['2024-01-05 14:02', '2024-01-05'],
    ['05 APRIL 2026', '2026-04-05'],
    ['5-april-26', '2026-04-05'],
    ['30 September 2025', '2025-09-30'],
    // The month's name first is never ambiguous (Indian Bank prints it so).
    ['Jan 5 2024', '2024-01-05'],
    ['May 01, 2026', '2026-05-01'],
    // A time of day after the date, 12-hour too (Paytm Payments Bank).
    ['01 May 2026 09:37 AM', '2026-05-01'],
    ['May 01 2026 9:37 PM', '2026-05-01'],
  ];
  for (const [text, want] of cases) assert.equal(parseStatementDate(text), want, text);
  for (const bad of ['29/02/2023', '32/01/2024', '01/13/2024', '2024-13-05', '2024-1-5', 'Foo 5 2024', '5 Foo 2024', '5 Janu 2024', '5 Septembers 2024', '', '1,200.00']) {
    assert.equal(parseStatementDate(bad), null, bad);
  }
});

test('dates without a year: the year that puts them inside the statement period, else null', () => {
  const period = { from: '2025-11-15' as CalendarDate, to: '2026-02-10' as CalendarDate };
  assert.equal(parseYearlessDate('20/11', period), '2025-11-20');
  assert.equal(parseYearlessDate('05 Jan', period), '2026-01-05');
  assert.equal(parseYearlessDate('05-JAN', period), '2026-01-05');
  assert.equal(parseYearlessDate('10 FEBRUARY', period), '2026-02-10');
  assert.equal(parseYearlessDate('11/02', period), null, 'after the period');
  assert.equal(parseYearlessDate('01/11', period), null, 'before the period');
  assert.equal(parseYearlessDate('29/02', { from: '2025-01-01' as CalendarDate, to: '2025-12-31' as CalendarDate }), null, 'no 29 Feb in 2025');
  assert.equal(parseYearlessDate('20/11', null), null, 'no period, no guess');
  assert.equal(parseYearlessDate('20/11/2025', period), null, 'dates with a year are parseStatementDate\'s');
});
