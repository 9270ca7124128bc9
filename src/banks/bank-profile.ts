/**
 * A bank's statement format as data (`profiles/<bank>.json`, one file per bank): the words its
 * table header uses for each column, the lines it prints that are not transactions, and notes
 * on its dates, amounts and PDF producers. The statement parser is one engine for every bank;
 * profiles only widen its vocabulary (see statement-vocabulary.ts). Adding a bank is one
 * profile plus one generated layout to test it (docs/statements.md, "Adding a bank").
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The columns a header label can name. `balanceSign` is a Dr/Cr column printed for the balance
 * (not the entry); `ignore` marks labels of columns that hold no money or narration (branch
 * codes, transaction ids, currency), so that they do not count as unknown.
 */
export const PROFILE_COLUMNS = ['date', 'valueDate', 'narration', 'chq', 'debit', 'credit', 'amount', 'drcr', 'balance', 'serial', 'balanceSign', 'ignore'] as const;
export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];

export interface BankProfile {
  /** Catalogue id. */
  bank: string;
  /** What the profile rests on: the bank's published samples, third-party parsers, or memory. */
  evidence: string;
  /** Header labels per column, as the bank prints them. */
  columns: Partial<Record<ProfileColumn, string[]>>;
  /** How its dates are printed (for people: the parser reads every day-first form). */
  date_formats: string[];
  /** Amounts as printed, e.g. "1,234.00 Cr". */
  amount_examples: string[];
  /** Labels that introduce the account holder's name ("Account Holders Name"). */
  name_labels: string[];
  /** Lines that carry the opening balance ("BALANCE B/F"). */
  opening_lines: string[];
  /** Closing, total and carried-forward lines: not transactions. */
  summary_lines: string[];
  /** Phrases of its page footers and disclaimers, skipped wherever they appear outside a row. */
  footer_lines: string[];
  /** Software seen producing its PDFs (e.g. "iText", "JasperReports"); empty when not known. */
  producers: string[];
}

const LIST_FIELDS = ['date_formats', 'amount_examples', 'name_labels', 'opening_lines', 'summary_lines', 'footer_lines', 'producers'] as const;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '');

/** Checks one profile's shape; throws naming the file and the field that is wrong. */
export function checkProfile(value: unknown, file: string): BankProfile {
  const fail = (what: string): never => {
    throw new Error(`Bank profile ${file}: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const p = value as Record<string, unknown>;
  const known = new Set(['bank', 'evidence', 'columns', ...LIST_FIELDS]);
  for (const key of Object.keys(p)) if (!known.has(key)) fail(`unknown field "${key}"`);
  if (typeof p.bank !== 'string' || !/^[a-z0-9_]+$/.test(p.bank)) fail('"bank" must be a catalogue id');
  if (typeof p.evidence !== 'string') fail('"evidence" must say what the profile rests on');
  if (typeof p.columns !== 'object' || p.columns === null) return fail('"columns" must be an object');
  for (const [column, labels] of Object.entries(p.columns)) {
    if (!(PROFILE_COLUMNS as readonly string[]).includes(column)) fail(`unknown column "${column}"`);
    if (!isStrings(labels)) fail(`"columns.${column}" must be a list of labels`);
  }
  for (const field of LIST_FIELDS) if (!isStrings(p[field]) && !(Array.isArray(p[field]) && p[field].length === 0)) fail(`"${field}" must be a list of strings`);
  return value as BankProfile;
}

/** Every profile in `dir`, each checked; the file name must be the bank id. */
export function loadBankProfiles(dir = new URL('./profiles/', import.meta.url)): BankProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const profile = checkProfile(JSON.parse(readFileSync(new URL(f, dir), 'utf8')), f);
      if (`${profile.bank}.json` !== f) throw new Error(`Bank profile ${f}: "bank" is ${profile.bank}, the file must be named ${profile.bank}.json`);
      return profile;
    });
}
