/**
 * The narration rules: data, not code. `narration-rules.json` lists rules tried in order (the
 * first whose pattern matches a narration on the transaction's side decides its channel,
 * description, merchant category and category); `merchants.json` maps merchant words to a
 * merchant category; `lenders.json` lists known banks and NBFCs that lend. A lender may supply an
 * override file of the same format as narration-rules.json whose rules are tried first.
 *
 * Everything is validated and compiled once here, so that enriching a transaction only runs
 * precompiled regular expressions.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DESCRIPTIONS, MERCHANT_CATEGORIES, TRANSACTION_CHANNELS } from '../domain/insights.ts';
import type { KnownDescription, MerchantCategory, TransactionChannel } from '../domain/insights.ts';
import { phrasesSource } from '../lib/text-patterns.ts';

/** A rule as written in a rules file. */
export interface NarrationRuleSource {
  id: string;
  /** A JavaScript regular expression's source, tried on the narration with `_` read as a space and runs of spaces as one. */
  pattern: string;
  flags?: string;
  side: 'debit' | 'credit' | 'any';
  channel: TransactionChannel;
  description?: KnownDescription | '';
  merchant_category?: MerchantCategory | '';
  /** Free text (`Salary`, `Bank Charges`…); `''` lets the enrichment decide (merchant, lender, person or `Others`). */
  category?: string;
}

export interface CompiledRule {
  id: string;
  regex: RegExp;
  side: 'debit' | 'credit' | 'any';
  channel: TransactionChannel;
  description: KnownDescription | '';
  merchantCategory: MerchantCategory | '';
  category: string;
  /** Where the rule came from: the bundled file or the override file. */
  source: 'bundled' | 'override';
}

export interface Lender {
  name: string;
  /** A bank lends among many other things, so it counts as a lender only with loan words or a mandate; an NBFC always does. */
  kind: 'bank' | 'nbfc';
}

export interface NarrationRules {
  /** The bundled rules' version (`2026.12.1`). */
  version: string;
  /** First 8 hex digits of the override file's sha256, or null without an override. */
  overrideDigest: string | null;
  /** Override rules first, then the bundled ones. */
  rules: CompiledRule[];
  /** The same rules, in the same order, that apply to each side (so that enrichment does not filter them every time). */
  rulesFor: { debit: CompiledRule[]; credit: CompiledRule[] };
  merchants: { regex: RegExp | null; categoryOf: ReadonlyMap<string, MerchantCategory> };
  lenders: { regex: RegExp | null; lenderOf: ReadonlyMap<string, Lender> };
}

const CHANNELS = new Set<string>(TRANSACTION_CHANNELS);
const KNOWN_DESCRIPTIONS = new Set<string>(DESCRIPTIONS);
const CATEGORIES = new Set<string>(MERCHANT_CATEGORIES);
const SIDES = new Set(['debit', 'credit', 'any']);

interface RulesFile {
  version?: unknown;
  rules?: unknown;
}

function compileRules(file: string, text: string, source: CompiledRule['source']): { version: string; rules: CompiledRule[] } {
  let parsed: RulesFile;
  try {
    parsed = JSON.parse(text) as RulesFile;
  } catch (e) {
    throw new Error(`Narration rules file ${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.rules)) {
    throw new Error(`Narration rules file ${file} has no "rules" list`);
  }
  if (typeof parsed.version !== 'string' || parsed.version.trim() === '') {
    throw new Error(`Narration rules file ${file} has no "version"`);
  }
  const ids = new Set<string>();
  const rules = (parsed.rules as unknown[]).map((raw, index): CompiledRule => {
    const r = (raw ?? {}) as Partial<NarrationRuleSource>;
    const name = `rule ${typeof r.id === 'string' ? `"${r.id}"` : `#${index + 1}`}`;
    const bad = (why: string, cause?: unknown) => new Error(`Narration rules file ${file}, ${name}: ${why}`, { cause });
    if (typeof r.id !== 'string' || r.id.trim() === '') throw bad('no "id"');
    if (ids.has(r.id)) throw bad('the id is used twice');
    ids.add(r.id);
    if (typeof r.pattern !== 'string' || r.pattern === '') throw bad('no "pattern"');
    const flags = r.flags ?? 'i';
    if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) throw bad(`flags "${String(flags)}" (only i, m, s, u are allowed)`);
    let regex: RegExp;
    try {
      regex = new RegExp(r.pattern, flags);
    } catch (e) {
      throw bad(`pattern is not a valid regular expression: ${(e as Error).message}`, e);
    }
    if (typeof r.side !== 'string' || !SIDES.has(r.side)) throw bad(`side "${String(r.side)}" is not debit, credit or any`);
    if (typeof r.channel !== 'string' || !CHANNELS.has(r.channel)) throw bad(`channel "${String(r.channel)}" is not a transaction_channel`);
    const description = r.description ?? '';
    if (description !== '' && !KNOWN_DESCRIPTIONS.has(description)) throw bad(`description "${String(description)}" is not a description value`);
    const merchantCategory = r.merchant_category ?? '';
    if (merchantCategory !== '' && !CATEGORIES.has(merchantCategory)) {
      throw bad(`merchant_category "${String(merchantCategory)}" is not a merchant_category value`);
    }
    const category = r.category ?? '';
    if (typeof category !== 'string') throw bad('category is not text');
    return { id: r.id, regex, side: r.side, channel: r.channel, description, merchantCategory, category, source };
  });
  return { version: parsed.version.trim(), rules };
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

/**
 * One case-insensitive whole-word pattern for all `words`, longest first; null for none. Every
 * word starts and ends with a letter or digit (checked), so `\b` marks its edges.
 */
function wordsRegex(file: string, words: readonly string[]): RegExp | null {
  for (const w of words) if (!/^[A-Z0-9].*[A-Z0-9]$|^[A-Z0-9]$/.test(w)) throw new Error(`${file}: "${w}" must start and end with a letter or digit`);
  const source = phrasesSource(words);
  return source ? new RegExp(`\\b${source}\\b`, 'i') : null;
}

const normalKey = (text: string) => text.toUpperCase().replace(/\s+/g, ' ').replace(/\s*\/\s*/g, '/').trim();

function loadMerchants(): NarrationRules['merchants'] {
  const { words } = readJson<{ words: Record<string, string> }>('merchants.json');
  const categoryOf = new Map<string, MerchantCategory>();
  for (const [word, category] of Object.entries(words)) {
    if (!CATEGORIES.has(category)) throw new Error(`merchants.json: "${word}" has merchant_category "${category}", not a merchant_category value`);
    categoryOf.set(normalKey(word), category as MerchantCategory);
  }
  return { regex: wordsRegex('merchants.json', [...categoryOf.keys()]), categoryOf };
}

function loadLenders(): NarrationRules['lenders'] {
  const { lenders } = readJson<{ lenders: { name: string; kind: 'bank' | 'nbfc'; aliases: string[] }[] }>('lenders.json');
  const lenderOf = new Map<string, Lender>();
  for (const l of lenders) for (const alias of l.aliases) lenderOf.set(normalKey(alias), { name: l.name, kind: l.kind });
  return { regex: wordsRegex('lenders.json', [...lenderOf.keys()]), lenderOf };
}

/**
 * The bundled rules, merchants and lenders, with the rules of `overrideFile` (same format as
 * narration-rules.json) tried first. Throws an Error naming the file and the rule when a file is
 * invalid (not JSON, a bad regular expression, a channel, description or merchant category that
 * is not in the published enumerations). An empty path is no override.
 */
export function loadNarrationRules(overrideFile?: string): NarrationRules {
  const bundledUrl = new URL('./narration-rules.json', import.meta.url);
  const bundled = compileRules('narration-rules.json', readFileSync(bundledUrl, 'utf8'), 'bundled');
  let overrideRules: CompiledRule[] = [];
  let overrideDigest: string | null = null;
  // An empty setting (ENRICHMENT_RULES_FILE=) means no override, as an unset one does.
  if (overrideFile !== undefined && overrideFile !== '') {
    let bytes: Buffer;
    try {
      bytes = readFileSync(overrideFile);
    } catch (e) {
      throw new Error(`Narration rules override file ${overrideFile} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    overrideRules = compileRules(overrideFile, bytes.toString('utf8'), 'override').rules;
    // The digest of the file's bytes, so that anyone can check which file labelled a session (`sha256sum`).
    overrideDigest = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  }
  const rules = [...overrideRules, ...bundled.rules];
  return {
    version: bundled.version,
    overrideDigest,
    rules,
    rulesFor: { debit: rules.filter((r) => r.side !== 'credit'), credit: rules.filter((r) => r.side !== 'debit') },
    merchants: loadMerchants(),
    lenders: loadLenders(),
  };
}

/** The version every output carries: the bundled rules' version, plus `+<digest>` of the override file when one is loaded. */
export function enrichmentVersion(rules: NarrationRules): string {
  return rules.overrideDigest ? `${rules.version}+${rules.overrideDigest}` : rules.version;
}
