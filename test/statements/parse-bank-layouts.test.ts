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
import { assertStatementRead, banks, statement } from './statement-fixtures.ts';

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
    assertStatementRead(layout, parsed, s, { expected: asPrinted(layout, s.transactions), minPages: 2, notPrinted: expected.notPrinted });
  });
}

test('every narration the generator writes is one the banks reword (none falls back to the generator\'s wording)', () => {
  for (const seed of [1, 2, 3, 9]) {
    for (const t of statement('generic', { seed, count: 200, overdraft: seed === 9 }).transactions) {
      assert.notEqual(sampleNarration(t.narration), null, t.narration);
    }
  }
});
