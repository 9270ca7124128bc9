/**
 * The parser against generated statements of fifteen more Indian banks, each laid out like the
 * bank's real savings-account statement (src/samples/layouts/): every row, the balances, the
 * period, the account details and the detected bank must come back exactly. Layouts the parser
 * cannot read yet would be marked `todo` with the reason; src/banks/profiles/ holds each format
 * as the parser uses it, docs/bank-formats.json the research behind it.
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
  pnbbnk: { notPrinted: ['accountType'] },
  baroda: {},
  canara: {},
  ubi: {},
  boi: {},
  idfc: {},
  yesbnk: {},
  indusind: {},
  federal: {},
  ausfbnk: {},
  rbl: {},
  idbi: {},
  indbnk: {},
  central: {},
  paytm: { notPrinted: ['micr'] },
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
