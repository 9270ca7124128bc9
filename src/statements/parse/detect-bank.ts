/**
 * Which bank a statement is from: by its IFSC first, else by the bank's whole name or web
 * domain in the lines above its table. Null when nothing matches, or when two banks do (never a
 * guess).
 */
import type { BankCatalogue } from '../../banks/bank-catalogue.ts';
import { escapeRegExp } from '../../lib/text-patterns.ts';
import type { TextLine } from './text-lines.ts';

/** Words that may stand right before a bank's name without making it part of a longer name. */
const NAME_LEAD_INS = new Set(['statement', 'account', 'of', 'the', 'to', 'from', 'at', 'by', 'with', 'welcome', 'dear', 'your', 'in', 'for', 'on', 'and', 'a/c']);

interface BankPatterns {
  id: string;
  /** The name in lower case: a cheap test before the pattern. */
  lowerName: string;
  name: RegExp;
  domains: RegExp[];
}

/** Each bank's patterns, made once per catalogue: statements are many, banks few. */
const cache = new WeakMap<BankCatalogue, BankPatterns[]>();

function patterns(banks: BankCatalogue): BankPatterns[] {
  let list = cache.get(banks);
  if (!list) {
    list = banks.all().map((bank) => {
      const name = bank.full_name.replace(/\s*\(.*\)$/, '');
      return {
        id: bank.name,
        lowerName: name.toLowerCase(),
        name: new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu'),
        domains: (bank.web_domains ?? []).map((domain) => new RegExp(`(^|[^a-z0-9.-])(www\\.)?${escapeRegExp(domain)}(?![a-z0-9-])`)),
      };
    });
    cache.set(banks, list);
  }
  return list;
}

/** Whether `name` stands in `line` as a whole name: whole words, and not the tail of a longer name ("Smart Bank of India"). */
function namesBank(line: string, pattern: RegExp): boolean {
  for (const m of line.matchAll(pattern)) {
    const before = line.slice(0, m.index + m[1]!.length).trimEnd();
    const word = /([\p{L}][\p{L}/.&-]*)$/u.exec(before)?.[1];
    // A capitalised word right before the name makes it another name ("Smart Bank of India",
    // "Central Bank of India" for "Bank of India"), unless it is a lead-in ("Statement of").
    if (word && /^\p{Lu}/u.test(word) && !NAME_LEAD_INS.has(word.toLowerCase()) && before.endsWith(word)) continue;
    return true;
  }
  return false;
}

export function detectBank(banks: BankCatalogue, ifsc: string | null, preamble: TextLine[]): string | null {
  if (ifsc) {
    const bank = banks.byIfscPrefix(ifsc.slice(0, 4));
    if (bank) return bank.name;
  }
  const lines = preamble.map((l) => l.text);
  const lower = lines.join('\n').toLowerCase();
  const found = new Set<string>();
  for (const bank of patterns(banks)) {
    const byName = lower.includes(bank.lowerName) && lines.some((line) => namesBank(line, bank.name));
    if (byName || bank.domains.some((d) => d.test(lower))) found.add(bank.id);
  }
  return found.size === 1 ? [...found][0]! : null;
}
