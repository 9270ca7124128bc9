/**
 * Self and sister transfers: money moved between the holder's own accounts, or to and from the
 * companies the lender names as the holder's (metadata.companies_for_self_transfer). Found by
 * the holder's name on the other side, by a company's name, or by the enrichment's
 * `self_transfer` label.
 *
 * A name matches the holder's whatever the order of its words and with initials for words: of
 * the two names, every word of the one with fewer words (at least two) pairs with its own word
 * of the other, equal or an initial of it either way (`RAHUL K SHARMA` ~ `SHARMA RAHUL` ~
 * `R SHARMA` ~ `R K SHARMA`), and one pair is an equal word of 3 letters or more. In a narration with no parsed counterparty, every
 * whole word of the holder's name (of two or more) must appear in it.
 */
import type { EnrichedTransaction, TransactionChannel } from '../domain/insights.ts';

/** Channels that are not transfers between accounts, whatever names they carry. */
const NOT_TRANSFERS: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>([
  'cash_withdrawl',
  'cash_deposit',
  'bank_charge',
  'bank_interest',
  'salary',
  'inward_cheque_bounce',
  'outward_cheque_bounce',
  'auto_debit_payment_bounce',
]);
/** Honorifics printed before names. */
const HONORIFICS = new Set(['MR', 'MRS', 'MS', 'MISS', 'DR', 'SHRI', 'SRI', 'SMT', 'KUMARI', 'MESSRS']);

function words(text: string | null): string[] {
  return (text ?? '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim().split(' ').filter((w) => w !== '');
}

/** A name's words: letters only, without leading honorifics (`MR`, `M/S`…). */
function nameWords(name: string): string[] {
  const all = words(name.replace(/\bM\/S\b/gi, ' ')).filter((w) => /^[A-Z]+$/.test(w));
  while (all.length > 0 && HONORIFICS.has(all[0] ?? '')) all.shift();
  return all;
}

/** Whether two person names are the same name, tolerant of order and initials (see the header). */
export function sameName(a: string, b: string): boolean {
  return sameNameWords(nameWords(a), nameWords(b));
}

function sameNameWords(wa: string[], wb: string[]): boolean {
  const [shorter, longer] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  if (shorter.length < 2) return false;
  const free = [...longer];
  const unpaired: string[] = [];
  let wholeMatches = 0;
  // Equal words first, so an initial never takes the word another whole word needs.
  for (const w of shorter) {
    const at = free.indexOf(w);
    if (at < 0) {
      unpaired.push(w);
      continue;
    }
    free.splice(at, 1);
    if (w.length >= 3) wholeMatches++;
  }
  // Then initials, on either side: `R` pairs with `RAHUL`, `RAHUL` with `R`.
  for (const w of unpaired) {
    const at = free.findIndex((f) => (w.length === 1 ? f.startsWith(w) : f.length === 1 && w.startsWith(f)));
    if (at < 0) return false;
    free.splice(at, 1);
  }
  return wholeMatches >= 1;
}

interface Holder {
  words: string[];
  /** Its words of two letters or more, all of which a narration must have when no name was parsed. */
  whole: string[];
}

function namesHolder(t: EnrichedTransaction, holders: Holder[], narrationWords: string[]): boolean {
  const counterparty = t.enrichment.counterparty.name;
  const counterpartyWords = counterparty ? nameWords(counterparty) : [];
  if (counterpartyWords.length >= 2) return holders.some((h) => sameNameWords(h.words, counterpartyWords));
  const narration = new Set(narrationWords);
  return holders.some((h) => h.whole.length >= 2 && h.whole.every((w) => narration.has(w)));
}

/** `ts` oldest first. Hashes oldest first. */
export function findSelfAndSisterTransfers(ts: EnrichedTransaction[], hints: { holderNames: string[]; companies: string[] }): string[] {
  const holders: Holder[] = hints.holderNames
    .map((n) => nameWords(n))
    .filter((w) => w.length >= 2)
    .map((w) => ({ words: w, whole: w.filter((x) => x.length > 1) }));
  const companies = hints.companies.map((c) => ` ${words(c).join(' ')} `).filter((c) => c.trim() !== '');
  if (holders.length === 0 && companies.length === 0) {
    return ts.filter((t) => t.enrichment.channel === 'self_transfer' || t.enrichment.description === 'self_transfer').map((t) => t.hash);
  }
  return ts
    .filter((t) => {
      if (t.enrichment.channel === 'self_transfer' || t.enrichment.description === 'self_transfer') return true;
      if (NOT_TRANSFERS.has(t.enrichment.channel)) return false;
      const narrationWords = words(t.narration);
      if (holders.length > 0 && namesHolder(t, holders, narrationWords)) return true;
      if (companies.length === 0) return false;
      const hay = ` ${words(t.enrichment.counterparty.name).join(' ')} ${narrationWords.join(' ')} `;
      return companies.some((c) => hay.includes(c));
    })
    .map((t) => t.hash);
}
