/**
 * The catalogue of every monthly-analysis metric and predictor key BankConnect's insights carry
 * (../shared/reference/insights-shape.md §5, §6.1 and §6.2), as data: metric-catalogue.json gives
 * each name its unit, its one-line definition (null = Passbook does not compute it, the value is
 * always null) and the rule that computes it. The rules are interpreted by monthly-analysis.ts and
 * predictors.ts; the filters they name, by `filterMatches` here. docs/insights.md's metrics section is
 * generated from the same file (scripts/metrics-doc.ts), so no figure exists without a definition.
 */
import { readFileSync } from 'node:fs';
import type { MetricUnit } from '../domain/insights.ts';
import { daysInMonthOf } from '../lib/calendar-date.ts';
import type { AnalysisInput } from './analysis-input.ts';

/** Which transactions a sum/count/max/min/avg runs over; every condition given must hold. */
export interface TransactionFilter {
  side?: 'credit' | 'debit';
  channels?: string[];
  notChannels?: string[];
  descriptions?: string[];
  notDescriptions?: string[];
  merchant?: string[];
  /** The transaction is in every one of these analysis sets. */
  sets?: AnalysisSet[];
  /** The transaction is in none of these analysis sets. */
  notSets?: AnalysisSet[];
  /** The row prints a cheque number. */
  chqNum?: boolean;
  /** Amount strictly above / below, in paise. */
  gtPaise?: number;
  ltPaise?: number;
  /** Dated on days 1…N of its month. */
  firstDaysOfMonth?: number;
  /** Dated in the last N days of its month. */
  lastDaysOfMonth?: number;
  def: string;
}

/** `self` is the self-and-sister set or the self_transfer channel; the others are the analysis sets of AnalysisInput. */
export type AnalysisSet = 'salary' | 'lender' | 'self' | 'bounced';

export type Aggregate = 'sum' | 'count' | 'max' | 'min' | 'avg';

/** How a figure is computed; the forms are described at the top of monthly-analysis.ts (per month) and predictors.ts (windows). */
export interface MetricRule {
  agg?: Aggregate;
  filter?: string;
  /** A window predictor over only the latest N months. */
  lastMonths?: number;
  /** A window predictor over months m_from … m_to (m0 = the latest month). */
  monthRange?: [number, number];
  /** A window predictor over the transactions dated `from`…`to` days back (day 1 = the last transaction's date). */
  days?: [number, number];
  /** A family predictor taking a monthly metric's value for the month. */
  metric?: string;
  /** A window predictor aggregating a monthly metric over the months. */
  overMonths?: Aggregate | 'median';
  diff?: [string, string];
  perc?: [string, string];
  ratio?: [string, string];
  fn?: string;
  args?: (number | string | null)[];
}

export interface CatalogueEntry {
  name: string;
  unit: MetricUnit;
  /** One line; null when Passbook does not compute the figure (always null). */
  definition: string | null;
  rule: MetricRule | null;
  /** For predictors: the reference example the key comes from (EX25 current, EX24 older keys). */
  source?: 'EX25' | 'EX24';
  /** Why a figure without a definition is always null: a key of MetricCatalogue.nullReasons. */
  nullReason?: string;
}

export interface MetricCatalogue {
  /** reason key → why the figures that carry it are always null. */
  nullReasons: Record<string, string>;
  about: string;
  filters: Record<string, TransactionFilter>;
  /** Monthly figures that rules refer to but that are not monthly-analysis keys themselves. */
  helperMetrics: CatalogueEntry[];
  monthly: CatalogueEntry[];
  /** Each family is emitted as `name_0` … `name_11`. */
  predictorFamilies: CatalogueEntry[];
  predictorScalars: CatalogueEntry[];
}

export const METRIC_CATALOGUE = JSON.parse(
  readFileSync(new URL('./metric-catalogue.json', import.meta.url), 'utf8'),
) as MetricCatalogue;

/** Predictor month families run from index 0 (the latest month) to 11. */
export const PREDICTOR_MONTHS = 12;

/** Every predictor key, families expanded, in catalogue order. */
export function predictorKeys(): string[] {
  const keys: string[] = [];
  for (const family of METRIC_CATALOGUE.predictorFamilies) {
    for (let i = 0; i < PREDICTOR_MONTHS; i++) keys.push(`${family.name}_${i}`);
  }
  for (const scalar of METRIC_CATALOGUE.predictorScalars) keys.push(scalar.name);
  return keys;
}

const monthlyByName = new Map(METRIC_CATALOGUE.monthly.map((e) => [e.name, e]));
const familyByName = new Map(METRIC_CATALOGUE.predictorFamilies.map((e) => [e.name, e]));
const scalarByName = new Map(METRIC_CATALOGUE.predictorScalars.map((e) => [e.name, e]));

export const monthlyEntry = (name: string): CatalogueEntry | undefined => monthlyByName.get(name);

/** The entry of a predictor key: a scalar by its name, else a family by the name without `_N`. */
export function predictorEntry(key: string): CatalogueEntry | undefined {
  const scalar = scalarByName.get(key);
  if (scalar) return scalar;
  const m = /^(.*)_(\d{1,2})$/.exec(key);
  return m && Number(m[2]) < PREDICTOR_MONTHS ? familyByName.get(m[1]!) : undefined;
}

/**
 * The facts filters test, one array entry per transaction (same order as the input): built once
 * per account so that each filter is a pass over flat arrays rather than over the objects.
 */
export interface TransactionFacts {
  credit: Uint8Array;
  channel: string[];
  description: string[];
  merchant: string[];
  /** Bit set of the analysis sets the transaction is in (SET_BITS). */
  sets: Uint8Array;
  hasChqNum: Uint8Array;
  amount: Float64Array;
  dayOfMonth: Uint8Array;
  daysInMonth: Uint8Array;
}

const SET_BITS: Record<AnalysisSet, number> = { salary: 1, lender: 2, self: 4, bounced: 8 };

export function transactionFacts(input: AnalysisInput): TransactionFacts {
  const txns = input.transactions;
  const n = txns.length;
  const facts: TransactionFacts = {
    credit: new Uint8Array(n),
    channel: new Array<string>(n),
    description: new Array<string>(n),
    merchant: new Array<string>(n),
    sets: new Uint8Array(n),
    hasChqNum: new Uint8Array(n),
    amount: new Float64Array(n),
    dayOfMonth: new Uint8Array(n),
    daysInMonth: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = txns[i]!;
    facts.credit[i] = t.type === 'credit' ? 1 : 0;
    facts.channel[i] = t.enrichment.channel;
    facts.description[i] = t.enrichment.description;
    facts.merchant[i] = t.enrichment.merchantCategory;
    facts.sets[i] =
      (input.salaryHashes.has(t.hash) ? SET_BITS.salary : 0) |
      (input.lenderHashes.has(t.hash) ? SET_BITS.lender : 0) |
      // A self transfer is one the analysis found, or one the rules labelled self_transfer.
      (input.selfAndSisterHashes.has(t.hash) || t.enrichment.channel === 'self_transfer' ? SET_BITS.self : 0) |
      (input.bouncedOrPenalHashes.has(t.hash) ? SET_BITS.bounced : 0);
    facts.hasChqNum[i] = t.chqNum !== null && t.chqNum.trim() !== '' ? 1 : 0;
    facts.amount[i] = t.amountPaise;
    facts.dayOfMonth[i] = Number(t.date.slice(8, 10));
    facts.daysInMonth[i] = daysInMonthOf(t.date.slice(0, 7));
  }
  return facts;
}

/** A filter compiled to a predicate over a transaction's index in the facts. */
export function compileFilter(filter: TransactionFilter, facts: TransactionFacts): (i: number) => boolean {
  const checks: ((i: number) => boolean)[] = [];
  const { side, chqNum, gtPaise, ltPaise, firstDaysOfMonth, lastDaysOfMonth } = filter;
  if (side !== undefined) {
    const want = side === 'credit' ? 1 : 0;
    checks.push((i) => facts.credit[i] === want);
  }
  const inList = (values: string[], list: string[] | undefined, keep: boolean): void => {
    if (!list) return;
    const set = new Set(list);
    checks.push((i) => set.has(values[i]!) === keep);
  };
  inList(facts.channel, filter.channels, true);
  inList(facts.channel, filter.notChannels, false);
  inList(facts.description, filter.descriptions, true);
  inList(facts.description, filter.notDescriptions, false);
  inList(facts.merchant, filter.merchant, true);
  if (filter.sets) {
    const need = filter.sets.reduce((bits, s) => bits | SET_BITS[s], 0);
    checks.push((i) => (facts.sets[i]! & need) === need);
  }
  if (filter.notSets) {
    const forbid = filter.notSets.reduce((bits, s) => bits | SET_BITS[s], 0);
    checks.push((i) => (facts.sets[i]! & forbid) === 0);
  }
  if (chqNum !== undefined) checks.push((i) => (facts.hasChqNum[i] === 1) === chqNum);
  if (gtPaise !== undefined) checks.push((i) => facts.amount[i]! > gtPaise);
  if (ltPaise !== undefined) checks.push((i) => facts.amount[i]! < ltPaise);
  if (firstDaysOfMonth !== undefined) checks.push((i) => facts.dayOfMonth[i]! <= firstDaysOfMonth);
  if (lastDaysOfMonth !== undefined) checks.push((i) => facts.dayOfMonth[i]! > facts.daysInMonth[i]! - lastDaysOfMonth);
  return (i) => {
    for (const check of checks) if (!check(i)) return false;
    return true;
  };
}
