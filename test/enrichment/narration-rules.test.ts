import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TRANSACTION_CHANNELS } from '../../src/domain/insights.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { enrichTransaction } from '../../src/enrichment/enrich-transaction.ts';
import { enrichmentVersion, loadNarrationRules } from '../../src/enrichment/narration-rules.ts';

const dir = mkdtempSync(join(tmpdir(), 'passbook-rules-'));
function overrideFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const rule = (extra: Record<string, unknown>) => ({ id: 'r1', pattern: 'FOO', flags: 'i', side: 'any', channel: 'upi', ...extra });
const txn = (narration: string, type: 'debit' | 'credit' = 'debit') => ({
  date: '2026-01-01' as CalendarDate, narration, chqNum: null, type, amountPaise: 100, balancePaise: null, page: 1, bbox: [0, 0, 0, 0] as [number, number, number, number], statementId: 's', seq: 0,
});

test('the bundled rules load, are versioned, and name only published channels', () => {
  const rules = loadNarrationRules();
  const bundled = JSON.parse(readFileSync(new URL('../../src/enrichment/narration-rules.json', import.meta.url), 'utf8'));
  assert.equal(rules.version, bundled.version);
  assert.equal(enrichmentVersion(rules), bundled.version);
  assert.equal(rules.overrideDigest, null);
  assert.equal(enrichmentVersion(loadNarrationRules('')), bundled.version, 'an empty setting is no override');
  assert.ok(rules.rules.length >= 30);
  for (const r of rules.rules) assert.ok((TRANSACTION_CHANNELS as readonly string[]).includes(r.channel), r.id);
  assert.equal(new Set(rules.rules.map((r) => r.id)).size, rules.rules.length, 'rule ids are unique');
  assert.ok(rules.lenders.lenderOf.size >= 50);
});

test('an override file is tried first and changes the version', () => {
  const content = { version: 'acme-1', rules: [{ id: 'acme-emi', pattern: '\\bACME LOANS\\b', flags: 'i', side: 'debit', channel: 'auto_debit_payment', description: 'lender_transaction', merchant_category: 'loans', category: 'Loan' }, { id: 'upi-is-other', pattern: 'UPI/DR/', side: 'debit', channel: 'Others' }] };
  const file = overrideFile('override.json', content);
  const rules = loadNarrationRules(file);
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 8);
  assert.equal(enrichmentVersion(rules), `${rules.version}+${digest}`);
  assert.match(enrichmentVersion(rules), /^\d{4}\.\d+\.\d+\+[0-9a-f]{8}$/);
  assert.equal(rules.rules[0]!.id, 'acme-emi');
  assert.equal(rules.rules[0]!.source, 'override');
  const emi = enrichTransaction(txn('NEFT TO ACME LOANS 1234'), rules);
  assert.equal(emi.ruleId, 'acme-emi');
  assert.equal(emi.channel, 'auto_debit_payment');
  assert.equal(emi.description, 'lender_transaction');
  assert.equal(emi.category, 'Loan');
  // The override wins over the bundled UPI rule; credits still follow the bundled rules.
  assert.equal(enrichTransaction(txn('UPI/DR/123456789012/SWIGGY/YESB/swiggy@ybl'), rules).channel, 'Others');
  assert.equal(enrichTransaction(txn('UPI/CR/123456789012/RAHUL/YESB/rahul@ybl', 'credit'), rules).channel, 'upi');
  // Without the override, the bundled rules decide.
  assert.equal(enrichTransaction(txn('UPI/DR/123456789012/SWIGGY/YESB/swiggy@ybl'), loadNarrationRules()).channel, 'upi');
});

test('a bad override file is rejected with the file and the rule named', () => {
  const cases: [string, unknown, RegExp][] = [
    ['bad-regex.json', { version: '1', rules: [rule({ id: 'broken', pattern: '(UPI' })] }, /bad-regex\.json, rule "broken": pattern is not a valid regular expression/],
    ['bad-channel.json', { version: '1', rules: [rule({ id: 'wrong-channel', channel: 'crypto' })] }, /bad-channel\.json, rule "wrong-channel": channel "crypto" is not a transaction_channel/],
    ['bad-description.json', { version: '1', rules: [rule({ description: 'rent' })] }, /bad-description\.json, rule "r1": description "rent" is not a description value/],
    ['bad-merchant.json', { version: '1', rules: [rule({ merchant_category: 'pets' })] }, /bad-merchant\.json, rule "r1": merchant_category "pets" is not a merchant_category value/],
    ['bad-side.json', { version: '1', rules: [rule({ side: 'both' })] }, /bad-side\.json, rule "r1": side "both"/],
    ['no-id.json', { version: '1', rules: [{ pattern: 'X', side: 'any', channel: 'upi' }] }, /no-id\.json, rule #1: no "id"/],
    ['twice.json', { version: '1', rules: [rule({}), rule({})] }, /twice\.json, rule "r1": the id is used twice/],
    ['no-version.json', { rules: [] }, /no-version\.json has no "version"/],
    ['not-json.json', '{ rules: ', /not-json\.json is not JSON/],
  ];
  for (const [name, content, message] of cases) {
    assert.throws(() => loadNarrationRules(overrideFile(name, content)), message, name);
  }
  assert.throws(() => loadNarrationRules(join(dir, 'missing.json')), /missing\.json cannot be read/);
});
