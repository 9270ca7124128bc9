import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseMobileNumber, requestHash, requiredMonths } from '../../src/usecases/create-session.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';

const d = (s: string) => s as CalendarDate;

test('required months drop the to_date month only when to_date is in its first week', () => {
  assert.deepEqual(requiredMonths(d('2026-01-10'), d('2026-04-07')), ['2026-01', '2026-02', '2026-03']);
  assert.deepEqual(requiredMonths(d('2026-01-10'), d('2026-04-08')), ['2026-01', '2026-02', '2026-03', '2026-04']);
  assert.deepEqual(requiredMonths(d('2026-01-10'), d('2026-04-01')), ['2026-01', '2026-02', '2026-03']);
  assert.deepEqual(requiredMonths(d('2026-04-01'), d('2026-04-05')), ['2026-04']);
});

test('mobile numbers: Indian 10-digit numbers, prefixes and separators stripped', () => {
  const ok: [string, string][] = [
    ['9876543210', '9876543210'],
    ['6000000000', '6000000000'],
    ['+919876543210', '9876543210'],
    ['919876543210', '9876543210'],
    ['09876543210', '9876543210'],
    ['+91 98765 43210', '9876543210'],
    ['98765-43210', '9876543210'],
    ['9198765432', '9198765432'],
  ];
  for (const [input, want] of ok) assert.equal(normaliseMobileNumber(input), want, input);
  for (const bad of ['5876543210', '987654321', '98765432101', '+9209876543210', '+1 9876543210', 'abcdefghij', '', '0098765432']) {
    assert.equal(normaliseMobileNumber(bad), null, bad);
  }
});

test('the idempotency hash ignores key order and the api_key', () => {
  assert.equal(requestHash({ a: 1, b: { y: [1, 2], x: 'z' }, api_key: 'k1' }), requestHash({ b: { x: 'z', y: [1, 2] }, a: 1, api_key: 'k2' }));
  assert.notEqual(requestHash({ a: 1 }), requestHash({ a: 2 }));
  assert.notEqual(requestHash({ a: [1, 2] }), requestHash({ a: [2, 1] }));
});
