/**
 * The parser against generated ICICI, Axis and Kotak statements: every row, the balances, the
 * period, the account details and the detected bank must come back exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { readPdfText } from '../../src/pdf/read-pdf-text.ts';
import { assertRows, assertStatementRead, banks, statement, TO } from './statement-fixtures.ts';

for (const layout of ['icici', 'axis', 'kotak']) {
  test(`${layout}: a multi-page statement comes back row for row, reconciled, with the account details`, async () => {
    const s = statement(layout);
    assertStatementRead(layout, await parseStatement(await renderStatementPdf(s), banks), s);
  });
}

test('kotak: an overdrawn current account, balances printed with a (Dr) suffix', async () => {
  // Opens overdrawn by 3 lakh, so balances start below zero.
  const s = statement('kotak', { seed: 9, count: 80, opening: -3_00_000_00, overdraft: true, accountType: 'CURRENT', from: '2026-05-02' as CalendarDate });
  assert.ok(s.transactions.some((t) => t.balancePaise < 0), 'the sample goes below zero');
  const pdf = await renderStatementPdf(s);
  const printed = (await readPdfText(pdf)).pages.flatMap((p) => p.items.map((i) => i.text.trim()));
  assert.ok(printed.includes('3,00,000.00(Dr)'), 'the opening balance is printed with (Dr)');
  const parsed = await parseStatement(pdf, banks);
  assertRows('kotak', parsed, s.transactions);
  assert.equal(parsed.openingBalancePaise, -3_00_000_00);
  assert.equal(parsed.closingBalancePaise, s.transactions.at(-1)!.balancePaise);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
  assert.deepEqual(parsed.period, { from: '2026-05-02', to: TO });
  assert.equal(parsed.identity.accountType, 'CURRENT');
  assert.equal(parsed.detectedBank, 'kotak');
});

test('axis: a password-protected statement opens only with the right password', async () => {
  const s = statement('axis', { count: 20 });
  const pdf = await renderStatementPdf(s, { password: 'AYUS1234' });
  await assert.rejects(parseStatement(pdf, banks), { code: 'PASSWORD_INCORRECT' });
  await assert.rejects(parseStatement(pdf, banks, { password: 'ayus1234' }), { code: 'PASSWORD_INCORRECT' });
  const parsed = await parseStatement(pdf, banks, { password: 'AYUS1234' });
  assertRows('axis', parsed, s.transactions);
  assert.equal(parsed.detectedBank, 'axis');
  assert.equal(parsed.openingBalancePaise, s.openingBalancePaise);
  assert.equal(parsed.reconciliation.reconciled, true);
});
