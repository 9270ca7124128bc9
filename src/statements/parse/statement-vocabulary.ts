/**
 * The words the statement parser knows, from the bank profiles (src/banks/profiles/*.json) on
 * top of the generic ones in code: header labels, opening-balance lines, summary lines that are
 * not transactions, and footer phrases. A label that two banks use for different columns
 * ("Dr/Cr": Federal Bank's balance sign, elsewhere an entry's direction) counts only for the
 * bank whose statement it is; every other word counts for every statement, which is what lets
 * a bank without a profile parse when it uses another bank's words.
 */
import type { BankCatalogue } from '../../banks/bank-catalogue.ts';
import type { ProfileColumn } from '../../banks/bank-profile.ts';
import { phrasesSource } from '../../lib/text-patterns.ts';

export interface StatementVocabulary {
  /** The column a header label names (the label as `normalizeLabel` gives it), or undefined. */
  label(normalized: string): ProfileColumn | undefined;
  /** Whether a line's text is an opening-balance (or brought-forward) line. */
  isOpening(text: string): boolean;
  /** Whether a row's narration is a closing, total or carried-forward line. */
  isSummary(narration: string): boolean;
  /** Whether a line is a footer or disclaimer (never tested on transaction rows). */
  isFooter(text: string): boolean;
  /** The holder's name after any bank's name label ("Account Holders Name :"), in its group 1. */
  holderName: RegExp;
}

/**
 * A header label without its currency unit: "(INR )" (ICICI pads it), "(Rs.)", "in ₹", "(₹)",
 * and a rupee sign that the font maps to a box or to nothing printable ("Amount (□)"), and the
 * Hindi half of a bilingual label ("तारीख / Date"). Foreign
 * units go too, so that the table is found and then refused for its currency (statement-kind.ts).
 */
export function normalizeLabel(label: string): string {
  return normalizePhrase(
    label
      .toLowerCase()
      // Bilingual headers print the Hindi word with the English one ("तारीख / Date", "शेष Balance").
      .replace(/[^\p{Script=Latin}0-9\s./()&#-]/gu, ' ')
      .replace(/\(\s*(inr|rs\.?|dr|cr|dr\s*\/\s*cr|cr\s*\/\s*dr|usd|eur|gbp|aed|sgd|aud|cad|chf|jpy)?\s*\)/g, ' ')
      .replace(/\s+in\s+(inr|rs\.?)\s*$/, ' ')
      .replace(/\s+(in|inr|rs\.?)\s*$/, ' ')
      .replace(/^[\s/|-]+|[\s/|-]+$/g, ''),
  );
}

/** Lower case, one space between words, none around slashes, no trailing colon: how labels and phrases are compared. */
export function normalizePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .replace(/\s*[:.]+\s*$/, '')
    .trim();
}

const OPENING = '(opening\\s+balance|balance\\s+as\\s+on|b\\/f|brought\\s+forward|balance\\s+forward)';
/** Summary lines, matched against the whole narration so that "TOTAL ENERGIES" stays a row. */
const NOT_A_ROW = '(closing\\s+balance|balance\\s+c\\/f|c\\/f|carried\\s+forward|(grand\\s+|transaction\\s+|page\\s+)?totals?|statement\\s+summary)';
/** Labels before the holder's name that every bank may print. */
export const GENERIC_NAME_LABELS = ['account name', 'customer name', 'a/c name', 'name'];

/** The holder's name after one of `labels`, up to the line's end. */
export function holderNamePattern(labels: readonly string[]): RegExp {
  return new RegExp(`${phrasesSource(labels)}\\s*[:.-]\\s*(.+?)\\s*$`, 'i');
}

const cache = new WeakMap<BankCatalogue, Map<string | null, StatementVocabulary>>();

/** The vocabulary for a statement from `bank` (a catalogue id), or from a bank not yet known (null). */
export function vocabularyFor(banks: BankCatalogue, bank: string | null): StatementVocabulary {
  let byBank = cache.get(banks);
  if (!byBank) cache.set(banks, (byBank = new Map<string | null, StatementVocabulary>()));
  let vocabulary = byBank.get(bank);
  if (!vocabulary) byBank.set(bank, (vocabulary = build(banks, bank)));
  return vocabulary;
}

function build(banks: BankCatalogue, bank: string | null): StatementVocabulary {
  // Every bank's labels; a label with two meanings is kept only from this bank's own profile.
  const meanings = new Map<string, Set<ProfileColumn>>();
  for (const p of banks.profiles) {
    for (const [column, labels] of Object.entries(p.columns) as [ProfileColumn, string[]][]) {
      for (const label of labels) {
        const key = normalizeLabel(label);
        if (!meanings.has(key)) meanings.set(key, new Set());
        meanings.get(key)!.add(column);
      }
    }
  }
  const labels = new Map<string, ProfileColumn>();
  for (const [label, columns] of meanings) if (columns.size === 1) labels.set(label, [...columns][0]!);
  const own = banks.profiles.find((p) => p.bank === bank);
  for (const [column, list] of Object.entries(own?.columns ?? {}) as [ProfileColumn, string[]][]) {
    for (const label of list) labels.set(normalizeLabel(label), column);
  }

  const phrases = (field: 'opening_lines' | 'summary_lines' | 'footer_lines') => banks.profiles.flatMap((p) => p[field]);
  const either = (generic: string, source: string | null) => (source ? `${generic}|${source}` : generic);
  const opening = new RegExp(either(OPENING, phrasesSource(phrases('opening_lines'))), 'i');
  const summary = new RegExp(`^(?:${either(NOT_A_ROW, phrasesSource(phrases('summary_lines')))})\\s*[:.]*$`, 'i');
  // Short phrases ("HDFC BANK LIMITED") are also printed inside narrations; a footer phrase must
  // be long enough to be the footer's own words.
  const footerSource = phrasesSource(phrases('footer_lines').filter((f) => f.length >= 16));
  const footer = footerSource ? new RegExp(footerSource, 'i') : null;
  const holderName = holderNamePattern([...GENERIC_NAME_LABELS, ...banks.profiles.flatMap((p) => p.name_labels.map(normalizePhrase))]);
  return {
    label: (normalized) => labels.get(normalized),
    isOpening: (text) => opening.test(text),
    isSummary: (narration) => summary.test(narration.trim()),
    isFooter: (text) => footer !== null && footer.test(text),
    holderName,
  };
}
