/** How the journey lists banks: most used first, badges, and the names people type (src/banks/bank-choice.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import { BANK_ALIASES, bankChoices, bankInitials, POPULAR_BANKS, searchText } from '../../src/banks/bank-choice.ts';

const catalogue = loadBankCatalogue();
const choices = bankChoices(catalogue.all());

test('the most used banks come first, in that order; every other bank follows by name', () => {
  assert.equal(choices.length, catalogue.all().length, 'every bank is offered');
  assert.deepEqual(choices.slice(0, 9).map((c) => c.bank.full_name), [
    'State Bank of India', 'HDFC Bank', 'ICICI Bank', 'Axis Bank', 'Kotak Mahindra Bank', 'Punjab National Bank', 'Bank of Baroda', 'Canara Bank', 'Union Bank of India',
  ]);
  const popular = choices.filter((c) => c.popular);
  assert.deepEqual(popular.map((c) => c.bank.name), [...POPULAR_BANKS], 'every popular id names a catalogue bank');
  assert.ok(choices.slice(0, popular.length).every((c) => c.popular), 'popular banks form the head of the list');
  const rest = choices.slice(popular.length).map((c) => c.bank.full_name);
  assert.deepEqual(rest, [...rest].sort((a, b) => a.localeCompare(b, 'en')));
  assert.equal(rest[0], 'Abhyudaya Co-operative Bank');
});

test('badges: the bank’s own acronym, or the initials people use', () => {
  const badge = Object.fromEntries(choices.map((c) => [c.bank.name, c.initials]));
  assert.deepEqual(
    ['sbi', 'hdfc', 'icici', 'kotak', 'pnbbnk', 'baroda', 'ubi', 'boi', 'mahabk', 'central', 'idfc', 'jnkbnk', 'punjab_sind', 'shinhan'].map((n) => badge[n]),
    ['SBI', 'HDFC', 'ICICI', 'KMB', 'PNB', 'BOB', 'UBI', 'BOI', 'BOM', 'CBI', 'IDFC', 'JKB', 'PSB', 'SHB'],
  );
  assert.equal(bankInitials('Citibank'), 'Citi', 'one word: its start, not one letter');
  assert.equal(bankInitials('CSB Bank (Catholic Syrian Bank)'), 'CSB');
  for (const c of choices) assert.match(c.initials, /^[A-Za-z]{2,5}$/, c.bank.full_name);
  assert.equal(choices.filter((c) => c.initials === 'SBI').length, 1, 'only State Bank of India is SBI');
});

test('search terms: names and abbreviations, never internal ids', () => {
  assert.equal(searchText('  Punjab & Sind  Bank '), 'punjab sind bank');
  assert.equal(searchText('Co-operative J&K'), 'cooperative j k');
  for (const name of Object.keys(BANK_ALIASES)) assert.ok(catalogue.find(name), `aliases for ${name}, which is no catalogue bank`);
  for (const c of choices) {
    assert.equal(c.terms[0], searchText(c.bank.full_name));
    // An id is a term only where people use it as a name too (sbi, hdfc, icici).
    if (c.terms.includes(c.bank.name)) assert.ok(BANK_ALIASES[c.bank.name]?.some((a) => searchText(a) === c.bank.name), c.bank.name);
  }
  for (const id of ['pnbbnk', 'apgvbnk', 'yesbnk', 'mahabk', 'indbnk']) {
    assert.ok(choices.every((c) => c.terms.every((t) => !t.includes(id))), `${id} is searchable`);
  }
});

/**
 * The page (journey.js) ranks a bank by its best term: one that starts with the typed text, then
 * one with a word that does, then anywhere; ties keep this list's order. So the page's first hit
 * for a query is the first bank here with a term starting with it, if any bank has one.
 */
test('what people type finds their bank first', () => {
  const firstHit = (query: string) => choices.find((c) => c.terms.some((t) => t.startsWith(searchText(query))))?.bank.name;
  const expected: [string, string][] = [
    ['sbi', 'sbi'], ['SBI', 'sbi'], ['state bank', 'sbi'], ['State Bank of India', 'sbi'], ['hdfc', 'hdfc'], ['icici', 'icici'],
    ['axis', 'axis'], ['kotak', 'kotak'], ['bob', 'baroda'], ['baroda', 'baroda'], ['pnb', 'pnbbnk'], ['punjab national', 'pnbbnk'],
    ['canara', 'canara'], ['union', 'ubi'], ['boi', 'boi'], ['bank of india', 'boi'], ['idfc', 'idfc'], ['yes', 'yesbnk'],
    ['indusind', 'indusind'], ['j&k', 'jnkbnk'], ['au bank', 'ausfbnk'], ['paytm', 'paytm'], ['citi', 'citi'],
  ];
  for (const [query, bank] of expected) assert.equal(firstHit(query), bank, query);
  assert.equal(firstHit('apgvbnk'), undefined, 'an internal id finds nothing');
});
