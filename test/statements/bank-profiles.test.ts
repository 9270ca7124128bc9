/**
 * Banks as data: every profile in src/banks/profiles/ is well-formed and names a catalogue bank,
 * its words reach the parser, and a word two banks use differently counts only for its own
 * bank's statements.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { checkProfile, loadBankProfiles } from '../../src/banks/bank-profile.ts';
import { parseStatementDate } from '../../src/statements/parse/statement-dates.ts';
import { normalizeLabel, vocabularyFor } from '../../src/statements/parse/statement-vocabulary.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { parseStatement } from '../../src/statements/parse/parse-statement.ts';
import { LAYOUTS } from '../../src/samples/statement-layouts.ts';
import { assertRows, banks, statement } from './statement-fixtures.ts';

test('there is a profile for each of the 20 banks with a generated layout, and for no bank outside the catalogue', () => {
  const profiled = banks.profiles.map((p) => p.bank).sort();
  const laidOut = Object.values(LAYOUTS).map((l) => l.id).filter((id) => id !== 'generic').sort();
  assert.deepEqual(profiled, laidOut);
  assert.ok(profiled.length >= 20, `${profiled.length} profiles`);
  for (const p of banks.profiles) assert.ok(banks.find(p.bank), p.bank);
});

test('every label a layout prints in its header names the column the profile says', () => {
  for (const layout of Object.values(LAYOUTS)) {
    const profile = banks.profiles.find((p) => p.bank === layout.id);
    if (!profile) continue;
    const vocabulary = vocabularyFor(banks, layout.id);
    for (const column of layout.columns) {
      const said = vocabulary.label(normalizeLabel(column.label));
      if (said) assert.ok(said === column.key || said === 'ignore' || (said === 'balanceSign' && column.key === 'balanceDrCr'), `${layout.id}: ${column.label} → ${said}, printed as ${column.key}`);
    }
  }
});

test('each profile\'s date examples are read by the one date reader', () => {
  // The profiles write formats for people (Java-style patterns); each must be one the reader knows.
  const sample: Record<string, string> = { 'dd/MM/yyyy': '05/06/2026', 'dd-MM-yyyy': '05-06-2026', 'dd/MM/yy': '05/06/26', 'dd MMM yyyy': '05 Jun 2026', 'd MMM yyyy': '5 Jun 2026', 'dd-MMM-yyyy': '05-Jun-2026', 'dd-MMM-yy': '05-Jun-26', 'MMM dd yyyy': 'Jun 05 2026', 'yyyy-MM-dd': '2026-06-05', 'dd-MM-yyyy HH:mm:ss': '05-06-2026 10:15:00', 'dd MMM yyyy hh:mm AM/PM': '05 Jun 2026 10:15 AM' };
  for (const p of banks.profiles) {
    for (const format of p.date_formats) {
      const pattern = format.replace(/\s*\(.*$/, '').trim();
      assert.ok(sample[pattern], `${p.bank}: no sample for "${pattern}"`);
      assert.equal(parseStatementDate(sample[pattern]), '2026-06-05', `${p.bank}: ${pattern}`);
    }
  }
});

test('a profile with a wrong field is refused at start-up, naming the file and the field', () => {
  const good = { bank: 'hdfc', evidence: 'test', columns: { date: ['Date'] }, date_formats: [], amount_examples: [], name_labels: [], opening_lines: [], summary_lines: [], footer_lines: [], producers: [] };
  assert.equal(checkProfile(good, 'hdfc.json'), good);
  assert.throws(() => checkProfile({ ...good, colums: {} }, 'x.json'), /x\.json: unknown field "colums"/);
  assert.throws(() => checkProfile({ ...good, columns: { debt: ['Debit'] } }, 'x.json'), /unknown column "debt"/);
  assert.throws(() => checkProfile({ ...good, footer_lines: [''] }, 'x.json'), /"footer_lines" must be a list of strings/);
  const dir = mkdtempSync(path.join(tmpdir(), 'profiles-'));
  writeFileSync(path.join(dir, 'sbi.json'), JSON.stringify(good));
  assert.throws(() => loadBankProfiles(pathToFileURL(`${dir}/`)), /sbi\.json: "bank" is hdfc/);
});

test('a word two banks use differently counts only for its own bank: Federal Bank\'s "Dr/Cr" is the balance\'s sign', async () => {
  assert.equal(vocabularyFor(banks, 'federal').label(normalizeLabel('Dr/Cr')), 'balanceSign');
  assert.equal(vocabularyFor(banks, null).label(normalizeLabel('Dr/Cr')), undefined, 'not for a statement whose bank is not known');
  assert.equal(vocabularyFor(banks, 'kotak').label(normalizeLabel('Dr / Cr')), 'drcr', 'Kotak prints it for the entry');
  // A Federal Bank account that goes overdrawn: balances printed without a sign, "Dr" in the
  // column after them.
  const s = statement('federal', { seed: 4, count: 50, opening: 2_000_00, overdraft: true, accountType: 'CURRENT' });
  assert.ok(s.transactions.some((t) => t.balancePaise < 0));
  const parsed = await parseStatement(await renderStatementPdf(s), banks);
  assertRows('federal', parsed, s.transactions.map((t, i) => ({ ...t, narration: parsed.transactions[i]?.narration ?? t.narration })));
  assert.equal(parsed.openingBalancePaise, 2_000_00);
  assert.deepEqual(parsed.reconciliation, { reconciled: true, firstBreak: null });
});
