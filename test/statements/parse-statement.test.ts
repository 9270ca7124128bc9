/**
 * The parser against generated statements whose every transaction is known: every row's date,
 * direction, amount, balance, cheque number and narration must come back exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { assertRows, banks, FROM, pdfOf, statement, TO } from './statement-fixtures.ts';

for (const layout of ['hdfc', 'sbi', 'generic']) {
  test(`${layout}: a multi-page statement comes back row for row, reconciled, with provenance`, async () => {
    const s = statement(layout);
    const parsed = await parseStatement(await renderStatementPdf(s), banks);
    assert.ok(parsed.pageCount >= 4, `${parsed.pageCount} pages`);
    assertRows(layout, parsed, s.transactions);
    assert.equal(parsed.detectedBank, layout === 'generic' ? null : layout);
    assert.equal(parsed.openingBalancePaise, s.openingBalancePaise);
    assert.equal(parsed.closingBalancePaise, s.transactions.at(-1)!.balancePaise);
    assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
    assert.deepEqual(parsed.period, { from: FROM, to: TO });
    assert.equal(parsed.identity.name, 'AYUSH PATIL');
    assert.equal(parsed.identity.accountNumber, s.account.accountNumber);
    if (layout !== 'generic') {
      assert.equal(parsed.identity.ifsc, s.account.ifsc);
      assert.equal(parsed.identity.micr, s.account.micr);
      assert.equal(parsed.identity.accountType, 'SAVINGS');
      assert.match(parsed.identity.address ?? '', /SUNRISE APARTMENTS.*MUMBAI 400053/);
    }
    const pages = new Set(parsed.transactions.map((t) => t.page));
    assert.ok(pages.size >= 4, 'rows come from every page');
    for (const t of parsed.transactions) {
      const [x0, top, x1, bottom] = t.bbox;
      assert.ok(x0 >= 0 && x1 <= 596 && top >= 0 && bottom <= 842 && x0 < x1 && top < bottom, JSON.stringify(t.bbox));
    }
    // Wrapped narrations make some rows taller than one line.
    assert.ok(parsed.transactions.some((t) => t.bbox[3] - t.bbox[1] > 12));
  });
}

test('password-protected statements: missing or wrong password refused, right one opens', async () => {
  const s = statement('hdfc', { count: 20 });
  const pdf = await renderStatementPdf(s, { password: 'AYUS1234' });
  await assert.rejects(parseStatement(pdf, banks), { code: 'PASSWORD_INCORRECT' });
  await assert.rejects(parseStatement(pdf, banks, { password: 'ayus1234' }), { code: 'PASSWORD_INCORRECT', message: 'The provided password is incorrect' });
  const parsed = await parseStatement(pdf, banks, { password: 'AYUS1234' });
  assertRows('hdfc', parsed, s.transactions);
});

test('overdrawn accounts: negative balances with a minus sign or a Dr suffix', async () => {
  for (const layout of ['hdfc', 'generic']) {
    // Opens overdrawn by 3 lakh, so balances start below zero and cross it.
    const s = statement(layout, { seed: 9, count: 80, opening: -3_00_000_00, overdraft: true, accountType: 'CURRENT', from: '2026-05-02' as CalendarDate });
    assert.ok(s.transactions.some((t) => t.balancePaise < 0), 'the sample goes below zero');
    const parsed = await parseStatement(await renderStatementPdf(s), banks);
    assertRows(layout, parsed, s.transactions);
    assert.equal(parsed.reconciliation.reconciled, true);
  }
});

test('a changed balance is reported at the first row that does not add up', async () => {
  const s = statement('sbi', { count: 40 });
  s.transactions[17] = { ...s.transactions[17]!, balancePaise: s.transactions[17]!.balancePaise + 1_000_00 };
  const parsed = await parseStatement(await renderStatementPdf(s), banks);
  assert.equal(parsed.reconciliation.reconciled, false);
  assert.equal(parsed.reconciliation.firstBreak?.index, 17);
  assert.equal(parsed.reconciliation.firstBreak?.date, s.transactions[17].date);
  assert.equal(parsed.reconciliation.firstBreak?.printedBalancePaise, s.transactions[17].balancePaise);
  assert.equal(parsed.reconciliation.firstBreak?.expectedBalancePaise, s.transactions[17].balancePaise - 1_000_00);
});

test('a transaction whose narration starts like a summary line is still a transaction', async () => {
  const s = statement('hdfc', { count: 12 });
  s.transactions[3] = { ...s.transactions[3]!, narration: 'TOTAL ENERGIES FUEL STATION POS 4821' };
  s.transactions[5] = { ...s.transactions[5]!, narration: 'CLOSING BALANCE TRANSFER TO RD A/C' };
  const parsed = await parseStatement(await renderStatementPdf(s), banks);
  assertRows('hdfc', parsed, s.transactions);
});

test('a statement whose table has no rows is refused, never an empty success', async () => {
  for (const layout of ['sbi', 'hdfc']) {
    const s = { ...statement(layout), transactions: [] };
    await assert.rejects(parseStatement(await renderStatementPdf(s), banks), {
      code: 'STATEMENT_UNSUPPORTED_FORMAT',
      message: 'No transactions could be read from the statement',
    });
  }
});

test('files that are not text statements get the documented codes', async () => {
  const image = await pdfOf((doc) => doc.rect(50, 50, 400, 300).fill('#336699'));
  await assert.rejects(parseStatement(image, banks), { code: 'PDF_IS_IMAGE' });
  const invoice = await pdfOf((doc) => doc.text('TAX INVOICE No. 42 — Amount payable 1,200.00 by 01/12/2026'));
  await assert.rejects(parseStatement(invoice, banks), { code: 'STATEMENT_UNSUPPORTED_FORMAT' });
  const good = await renderStatementPdf(statement('hdfc', { count: 10 }));
  await assert.rejects(parseStatement(good.subarray(0, good.length / 3), banks), { code: 'INVALID_FILE_OBJECT' });
  await assert.rejects(parseStatement(Buffer.from('this is not a pdf at all'), banks), { code: 'INVALID_FILE_OBJECT' });
  await assert.rejects(parseStatement(new Uint8Array(), banks), { code: 'EMPTY_FILE' });
  await assert.rejects(parseStatement(await renderStatementPdf(statement('hdfc')), banks, { maxPages: 2 }), { code: 'STATEMENT_TOO_MANY_PAGES' });
});

/** A one-page statement drawn cell by cell: `rows` under the header Date | Narration | Debit | Credit | Balance. */
function tablePdf(rows: string[][], preamble = ['Account Statement']): Promise<Buffer> {
  const x = [40, 110, 330, 410, 490];
  return pdfOf((doc) => {
    doc.fontSize(9);
    preamble.forEach((line, i) => doc.text(line, 40, 40 + i * 14, { lineBreak: false }));
    ['Date', 'Narration', 'Debit', 'Credit', 'Balance'].forEach((h, i) => doc.text(h, x[i], 100, { lineBreak: false }));
    rows.forEach((row, r) => row.forEach((cell, i) => cell && doc.text(cell, x[i], 120 + r * 14, { lineBreak: false })));
  });
}

test('opening-balance lines set the opening balance and are never transactions, dated or with zero amounts', async () => {
  for (const opening of [
    ['', 'Opening Balance', '', '', '10,000.00'],
    ['01/04/2026', 'BALANCE B/F', '0.00', '0.00', '10,000.00'],
    ['01/04/2026', 'Brought forward', '-', '-', '10,000.00'],
  ]) {
    const parsed = await parseStatement(
      await tablePdf([opening, ['02/04/2026', 'UPI/grocer', '500.00', '', '9,500.00'], ['03/04/2026', 'SALARY APRIL', '', '50,000.00', '59,500.00']]),
      banks,
    );
    assert.equal(parsed.openingBalancePaise, 10_000_00, opening[1]);
    assert.deepEqual(
      parsed.transactions.map((t) => [t.date, t.type, t.amountPaise, t.balancePaise]),
      [
        ['2026-04-02', 'debit', 500_00, 9_500_00],
        ['2026-04-03', 'credit', 50_000_00, 59_500_00],
      ],
      opening[1],
    );
    assert.equal(parsed.reconciliation.reconciled, true);
  }
});

test('dates printed without a year take it from the statement period, across a new year', async () => {
  const parsed = await parseStatement(
    await tablePdf(
      [
        ['', 'Opening Balance', '', '', '1,000.00'],
        ['30/12', 'UPI/books', '100.00', '', '900.00'],
        ['02 Jan', 'NEFT/refund', '', '50.00', '950.00'],
      ],
      ['Account Statement', 'Statement period: 01/12/2025 to 31/01/2026'],
    ),
    banks,
  );
  assert.deepEqual(parsed.period, { from: '2025-12-01', to: '2026-01-31' });
  assert.deepEqual(parsed.transactions.map((t) => t.date), ['2025-12-30', '2026-01-02']);
  assert.equal(parsed.reconciliation.reconciled, true);
});
