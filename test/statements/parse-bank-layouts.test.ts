/**
 * The parser against generated statements of fifteen more Indian banks, each laid out like the
 * bank's real savings-account statement (src/samples/layouts/): every row, the balances, the
 * period, the account details and the detected bank must come back exactly. Layouts the parser
 * cannot read yet are marked `todo` with the reason; bank-formats.json describes each format.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { sampleNarration } from '../../src/samples/layouts/formats.ts';
import { cellText, LAYOUTS } from '../../src/samples/statement-layouts.ts';
import type { SampleTransaction } from '../../src/samples/sample-transactions.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { assertRows, banks, FROM, statement, TO } from './statement-fixtures.ts';

interface BankExpectation {
  /** Why the parser does not read this layout yet (node:test reports the test as TODO). */
  todo?: string;
  /** Identity fields the bank does not print, so the parser must answer null for them. */
  notPrinted?: ('micr' | 'accountType')[];
}

const BANKS: Record<string, BankExpectation> = {
  pnbbnk: {
    todo:
      'cheque numbers are under "Instrument ID", which names no column, so they are dropped; ' +
      'the name and address are read from "Branch Name:" and "Branch Address:", which PNB prints before "Customer Name:" and "Customer Address:"',
    notPrinted: ['accountType'],
  },
  baroda: { todo: 'the period "Statement of account for the period of 01-05-2026 to 31-10-2026" is not read (the word "of" after "period")' },
  canara: { todo: 'header label "WITHDRAWS" (debit column) is not known, and with "BRANCH" that is two unknown labels: STATEMENT_UNSUPPORTED_FORMAT' },
  ubi: {},
  boi: { todo: 'cheque numbers are under "Instrument Id", which names no column, so they are dropped' },
  idfc: {},
  yesbnk: {},
  indusind: { todo: 'header label "WithDrawl" (the bank\'s spelling, debit column) is not known: no debit column, STATEMENT_UNSUPPORTED_FORMAT' },
  federal: {
    todo:
      'header labels "Tran Type" and "Tran ID" are not known (two unknown labels): STATEMENT_UNSUPPORTED_FORMAT; ' +
      'the "Dr/Cr" column after "Balance" is the balance\'s sign, not the entry\'s direction',
  },
  ausfbnk: {},
  rbl: {},
  idbi: { todo: 'header labels "Srl" (serial) and "CCY" (currency) are not known (two unknown labels): STATEMENT_UNSUPPORTED_FORMAT' },
  indbnk: { todo: 'dates printed month first with the month\'s name ("May 01 2026") are not read: no rows, STATEMENT_UNSUPPORTED_FORMAT' },
  central: { todo: 'header labels "Branch Code" and "Account Description" (narration) are not known (two unknown labels): STATEMENT_UNSUPPORTED_FORMAT' },
  paytm: {
    todo:
      'header labels "DATE & TIME" and "AVAILABLE BALANCE" are not known (no date, no balance column): STATEMENT_UNSUPPORTED_FORMAT; ' +
      'then dates with a 12-hour time ("01 May 2026 09:37 AM") and amounts signed before the currency ("- Rs.3,980.45") are not read',
    notPrinted: ['micr'],
  },
};

/** The sample's transactions with their narrations worded as the bank prints them. */
function asPrinted(layout: string, transactions: SampleTransaction[]): SampleTransaction[] {
  return transactions.map((t, i) => ({ ...t, narration: cellText(LAYOUTS[layout]!, 'narration', t, i + 1) }));
}

for (const [layout, expected] of Object.entries(BANKS)) {
  test(`${layout}: a multi-page statement comes back row for row, reconciled, with the account details`, { todo: expected.todo }, async () => {
    const s = statement(layout, { count: 60 });
    const parsed = await parseStatement(await renderStatementPdf(s), banks);
    assert.ok(parsed.pageCount >= 2, `${parsed.pageCount} pages`);
    assertRows(layout, parsed, asPrinted(layout, s.transactions));
    assert.equal(parsed.detectedBank, layout);
    assert.equal(parsed.openingBalancePaise, s.openingBalancePaise);
    assert.equal(parsed.closingBalancePaise, s.transactions.at(-1)!.balancePaise);
    assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
    assert.deepEqual(parsed.period, { from: FROM, to: TO });
    assert.equal(parsed.identity.name, 'AYUSH PATIL');
    assert.equal(parsed.identity.accountNumber, s.account.accountNumber);
    assert.equal(parsed.identity.ifsc, s.account.ifsc);
    assert.equal(parsed.identity.micr, expected.notPrinted?.includes('micr') ? null : s.account.micr);
    assert.equal(parsed.identity.accountType, expected.notPrinted?.includes('accountType') ? null : 'SAVINGS');
    assert.equal(parsed.identity.address, 'FLAT 12, SUNRISE APARTMENTS, LINK ROAD, ANDHERI WEST, MUMBAI 400053');
    assert.ok(new Set(parsed.transactions.map((t) => t.page)).size >= 2, 'rows come from every page');
    // Wrapped narrations make some rows taller than one line.
    assert.ok(parsed.transactions.some((t) => t.bbox[3] - t.bbox[1] > 12));
  });
}

test('every narration the generator writes is one the banks reword (none falls back to the generator\'s wording)', () => {
  for (const seed of [1, 2, 3, 9]) {
    for (const t of statement('generic', { seed, count: 200, overdraft: seed === 9 }).transactions) {
      assert.notEqual(sampleNarration(t.narration), null, t.narration);
    }
  }
});
