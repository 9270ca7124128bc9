/**
 * How the hosted journey offers the catalogue's banks to a person: the most used banks first,
 * a short badge for each (the catalogue has no real logos, only drawn monograms), and the
 * names and abbreviations people actually type ("sbi", "state bank", "bob", "pnb"). Internal
 * identifiers (`apgvbnk`, `pnbbnk`) are never shown or searched: they mean nothing to a person.
 */
import type { Bank } from './bank-catalogue.ts';

/** Most used first (by retail accounts); every other bank follows in alphabetical order. */
export const POPULAR_BANKS = [
  'sbi', 'hdfc', 'icici', 'axis', 'kotak', 'pnbbnk', 'baroda', 'canara', 'ubi', 'boi',
  'indusind', 'idfc', 'yesbnk', 'indbnk', 'central', 'iob', 'idbi', 'federal', 'uco', 'mahabk',
] as const;

/** What people call a bank besides its full name: abbreviations, short and former names. */
export const BANK_ALIASES: Readonly<Record<string, readonly string[]>> = {
  sbi: ['SBI', 'State Bank', 'SBI Bank'],
  hdfc: ['HDFC'],
  icici: ['ICICI'],
  axis: ['Axis', 'UTI Bank'],
  kotak: ['Kotak', 'KMB', 'Kotak Bank'],
  pnbbnk: ['PNB', 'Punjab National'],
  baroda: ['BOB', 'Baroda', 'BoB Bank'],
  canara: ['Canara'],
  ubi: ['UBI', 'Union Bank'],
  boi: ['BOI'],
  indusind: ['IndusInd', 'IIB'],
  idfc: ['IDFC', 'IDFC First', 'IDFC Bank'],
  yesbnk: ['Yes'],
  central: ['CBI', 'Central Bank'],
  iob: ['IOB'],
  idbi: ['IDBI'],
  uco: ['UCO'],
  mahabk: ['BOM', 'Maharashtra Bank', 'Mahabank'],
  ausfbnk: ['AU Bank', 'AU SFB'],
  citi: ['Citi'],
  stanchar: ['SCB', 'StanChart', 'Standard Chartered'],
  sib: ['SIB'],
  karur: ['KVB'],
  tamil_mercantile: ['TMB'],
  city_union: ['CUB'],
  jnkbnk: ['J&K Bank', 'JK Bank', 'JKB'],
  csbbnk: ['CSB'],
  dbsbnk: ['DBS', 'digibank'],
  dcbbnk: ['DCB'],
  rbl: ['RBL', 'Ratnakar Bank'],
  punjab_sind: ['PSB', 'Punjab and Sind'],
  india_post: ['IPPB', 'India Post'],
  paytm: ['Paytm'],
  airtel: ['Airtel'],
  obc: ['OBC'],
  vilas: ['LVB'],
  tjsb_sahakari: ['TJSB'],
  nkgsbbnk: ['NKGSB'],
  svcbnk: ['SVC'],
  shgbnk: ['SHGB'],
  apgvbnk: ['APGVB'],
  sbmbank: ['SBM'],
  kerala_gramin: ['KGB'],
};

/** Badges where the rule below would mislead (Shinhan Bank India is not SBI) or an abbreviation is better known. */
const BADGES: Readonly<Record<string, string>> = { shinhan: 'SHB', united: 'UNI', indusind: 'IIB' };

/**
 * Search text as the page compares it: lower case; `-`, `.` and `'` dropped ("co-operative"
 * is "cooperative"); any other run of non-alphanumerics one space. journey.js does the same
 * to what the user types.
 */
export function searchText(text: string): string {
  return text.toLowerCase().replace(/[-.'’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The badge text: the bank's own acronym when its name has one (HDFC, ICICI, IDBI), else the
 * initials of its words without "of"/"and" (SBI, PNB, KMB), "Bank of X" as BOX (BOB, BOI).
 */
export function bankInitials(fullName: string): string {
  const words = fullName.replace(/\(.*?\)/g, '').split(/\s+/).filter(Boolean);
  const acronym = words.find((w) => /^[A-Z][A-Z&]+$/.test(w));
  if (acronym) return acronym.replace('&', '').slice(0, 5);
  const letters = words.filter((w) => !/^(of|and|the|&)$/i.test(w)).map((w) => w[0]!.toUpperCase());
  if (/^Bank of /.test(fullName)) letters.splice(1, 0, 'O');
  return letters.length > 1 ? letters.join('').slice(0, 4) : words[0]!.slice(0, 4);
}

export interface BankChoice {
  bank: Bank;
  popular: boolean;
  initials: string;
  /** Everything a search may match, in `searchText` form: the full name first, then the aliases. */
  terms: string[];
}

/** The catalogue's banks as the journey lists them: popular first, then by full name. */
export function bankChoices(banks: readonly Bank[]): BankChoice[] {
  const rank = (b: Bank) => {
    const i = (POPULAR_BANKS as readonly string[]).indexOf(b.name);
    return i < 0 ? POPULAR_BANKS.length : i;
  };
  return [...banks]
    .sort((a, b) => rank(a) - rank(b) || a.full_name.localeCompare(b.full_name, 'en'))
    .map((bank) => ({
      bank,
      popular: rank(bank) < POPULAR_BANKS.length,
      initials: BADGES[bank.name] ?? bankInitials(bank.full_name),
      // The name without its bracketed part too: "CSB Bank (Catholic Syrian Bank)" is also "csb bank".
      terms: [...new Set([bank.full_name, bank.full_name.replace(/\s*\(.*?\)/g, ''), ...(BANK_ALIASES[bank.name] ?? [])].map(searchText))],
    }));
}
