import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, formatDayMonthYear, monthsBetween, parseDayMonthYear, parseIsoDate, startOfDay, today, type CalendarDate } from '../../src/lib/calendar-date.ts';

const d = (s: string) => s as CalendarDate;

test('DD/MM/YYYY parses only real calendar dates', () => {
  assert.equal(parseDayMonthYear('29/02/2024'), '2024-02-29');
  assert.equal(parseDayMonthYear('01/12/2026'), '2026-12-01');
  for (const bad of ['29/02/2023', '31/04/2026', '00/01/2026', '01/13/2026', '1/1/2026', '2026-01-01', '01/01/26', ' 01/01/2026', '01-01-2026', '']) {
    assert.equal(parseDayMonthYear(bad), null, bad);
  }
  assert.equal(formatDayMonthYear(d('2026-03-05')), '05/03/2026');
});

test('month arithmetic clamps the day and crosses years', () => {
  assert.equal(addMonths(d('2026-08-31'), -6), '2026-02-28');
  assert.equal(addMonths(d('2024-08-31'), -6), '2024-02-29');
  assert.equal(addMonths(d('2026-01-15'), -14), '2024-11-15');
  assert.equal(addMonths(d('2026-11-30'), 3), '2027-02-28');
  assert.deepEqual(monthsBetween(d('2025-11-20'), d('2026-02-01')), ['2025-11', '2025-12', '2026-01', '2026-02']);
  assert.deepEqual(monthsBetween(d('2026-02-01'), d('2026-02-27')), ['2026-02']);
});

test('today follows the configured zone', () => {
  const lateUtc = new Date('2026-11-21T20:00:00Z'); // already 22 November in India
  assert.equal(today(lateUtc, 'Asia/Kolkata'), '2026-11-22');
  assert.equal(today(lateUtc, 'UTC'), '2026-11-21');
});

test('startOfDay: the instant a date begins in a zone, across offsets and a DST switch; parseIsoDate refuses impossible dates', () => {
  assert.equal(startOfDay('2026-11-01' as CalendarDate, 'Asia/Kolkata').toISOString(), '2026-10-31T18:30:00.000Z');
  assert.equal(startOfDay('2026-11-01' as CalendarDate, 'UTC').toISOString(), '2026-11-01T00:00:00.000Z');
  // New York: EDT (UTC−4) until 1 Nov 2026 02:00, EST (UTC−5) after.
  assert.equal(startOfDay('2026-11-01' as CalendarDate, 'America/New_York').toISOString(), '2026-11-01T04:00:00.000Z');
  assert.equal(startOfDay('2026-11-02' as CalendarDate, 'America/New_York').toISOString(), '2026-11-02T05:00:00.000Z');
  assert.equal(parseIsoDate('2026-02-29'), null);
  assert.equal(parseIsoDate('2028-02-29'), '2028-02-29');
  assert.equal(parseIsoDate('29/02/2028'), null);
});
