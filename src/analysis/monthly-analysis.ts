/**
 * The monthly analysis: every metric of the catalogue (metric-catalogue.json, BankConnect's 404
 * names), per calendar month from the first transaction's month to the last's. A metric the
 * catalogue defines is computed by its rule; one it does not is null in every month.
 *
 * Rule forms (metric-catalogue.ts): `agg` + `filter` (sum, count, max, min or mean amount of the
 * month's transactions that match; max and mean are 0 and min null when none match, as in
 * BankConnect's output), `metric` (another metric's value), `diff`/`perc`/`ratio` of two metrics,
 * and `fn` (a named computation below, mostly over the EOD balances). Money is integer paise:
 * means are rounded to the paisa; percentages and ratios carry 2 decimals.
 *
 * The engine is shared with predictors.ts, whose month families are these rules taken per month.
 */
import type { AccountAnalysis, EnrichedTransaction, MetricValue } from '../domain/insights.ts';
import { addDays, daysInMonthOf, monthOf, monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';
import type { AnalysisInput } from './analysis-input.ts';
import { eodBalances } from './eod-balances.ts';
import { compileFilter, METRIC_CATALOGUE, transactionFacts, type CatalogueEntry, type MetricRule, type TransactionFacts } from './metric-catalogue.ts';

export type EodBalances = AccountAnalysis['eodBalances'];
export type MonthlyValues = Record<string, MetricValue>;

/** What the month's matching transactions add up to, computed once per filter and month. */
interface Tally {
  sum: number;
  count: number;
  max: number | null;
  min: number | null;
}

interface MonthData {
  month: string;
  transactions: EnrichedTransaction[];
  /** The month's EOD balances, by day of month (1-based); empty without balances. */
  eodDays: { day: number; date: CalendarDate; balancePaise: number }[];
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  let total = 0;
  for (const v of values) total += v;
  return Math.round(total / values.length);
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

const asNumber = (v: MetricValue | undefined): number | null => (typeof v === 'number' ? v : null);

type MonthFn = (engine: MetricEngine, month: MonthData, args: (number | string | null)[]) => MetricValue;

/** The computations the catalogue names with `fn`, per month. */
const MONTH_FNS: Record<string, MonthFn> = {
  monthLabel: (_e, m) => m.month,
  openingBalance: (e, m) => {
    if (!e.eod) return null;
    if (m.month === e.months[0]) return e.eod.startingBalancePaise;
    const previous = e.eodByDate.get(addDays(`${m.month}-01` as CalendarDate, -1));
    return previous ?? null;
  },
  closingBalance: (_e, m) => m.eodDays.at(-1)?.balancePaise ?? null,
  medianEod: (_e, m) => median(m.eodDays.map((d) => d.balancePaise)),
  modeEod: (_e, m) => {
    if (m.eodDays.length === 0) return null;
    const counts = new Map<number, number>();
    for (const d of m.eodDays) counts.set(d.balancePaise, (counts.get(d.balancePaise) ?? 0) + 1);
    let best: number | null = null;
    let bestCount = 0;
    for (const [balance, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== null && balance < best)) [best, bestCount] = [balance, count];
    }
    return best;
  },
  avgEod: (_e, m) => mean(m.eodDays.map((d) => d.balancePaise)),
  maxEod: (_e, m) => (m.eodDays.length ? Math.max(...m.eodDays.map((d) => d.balancePaise)) : null),
  minEod: (_e, m) => (m.eodDays.length ? Math.min(...m.eodDays.map((d) => d.balancePaise)) : null),
  maxRowBalance: (_e, m) => {
    const printed = m.transactions.flatMap((t) => (t.balancePaise === null ? [] : [t.balancePaise]));
    return printed.length ? Math.max(...printed) : null;
  },
  minRowBalance: (_e, m) => {
    const printed = m.transactions.flatMap((t) => (t.balancePaise === null ? [] : [t.balancePaise]));
    return printed.length ? Math.min(...printed) : null;
  },
  sumEod: (e, m) => (e.eod ? m.eodDays.reduce((s, d) => s + d.balancePaise, 0) : null),
  cntEod: (e, m) => (e.eod ? m.eodDays.length : null),
  cntDaysEodLt: (e, m, [limit]) => (e.eod ? m.eodDays.filter((d) => d.balancePaise < Number(limit)).length : null),
  avgTopEod: (_e, m, [n]) =>
    mean(
      m.eodDays
        .map((d) => d.balancePaise)
        .sort((a, b) => b - a)
        .slice(0, Number(n)),
    ),
  eodOnDay: (e, m, [day]) => e.eodOnDay(m, Number(day)),
  sumEodOnDays: (e, m, days) => {
    const values = days.flatMap((day) => e.eodOnDay(m, Number(day)) ?? []);
    return values.length ? values.reduce((s, v) => s + v, 0) : null;
  },
  avgEodOnDays: (e, m, days) => mean(days.flatMap((day) => e.eodOnDay(m, Number(day)) ?? [])),
  minEodOnDays: (e, m, days) => {
    const values = days.flatMap((day) => e.eodOnDay(m, Number(day)) ?? []);
    return values.length ? Math.min(...values) : null;
  },
  netOffOnDay: (e, m, [day]) => {
    const balance = e.eodOnDay(m, Number(day));
    if (balance === null) return null;
    const date = `${m.month}-${String(day).padStart(2, '0')}`;
    let loans = 0;
    for (const t of e.loanCredits) if (t.date <= date) loans += t.amountPaise;
    return balance - loans;
  },
  sumNegativeEod: (e, m) => (e.eod ? negatives(m).reduce((s, v) => s + v, 0) : null),
  mostNegativeEod: (e, m) => (e.eod ? Math.min(0, ...negatives(m)) : null),
  leastNegativeEod: (e, m) => {
    if (!e.eod) return null;
    const n = negatives(m);
    return n.length ? Math.max(...n) : 0;
  },
  avgNegativeEod: (e, m) => (e.eod ? (mean(negatives(m)) ?? 0) : null),
  maxOverdrawn: (e, m) => (e.eod ? 0 - Math.min(0, ...negatives(m)) : null),
  totalOverdrawn: (e, m) => (e.eod ? 0 - negatives(m).reduce((s, v) => s + v, 0) : null),
  overdrawnRuns: (e, m) => {
    if (!e.eod) return null;
    let runs = 0;
    for (const d of m.eodDays) {
      const before = e.eodByDate.get(addDays(d.date, -1));
      if (d.balancePaise < 0 && (before === undefined || before >= 0)) runs++;
    }
    return runs;
  },
  longestOverdrawnRun: (e, m) => {
    if (!e.eod) return null;
    let longest = 0;
    let run = 0;
    for (const d of m.eodDays) {
      run = d.balancePaise < 0 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  },
  coveredFrom: (e, m) => {
    const first = `${m.month}-01` as CalendarDate;
    return e.firstDate > first ? e.firstDate : first;
  },
  coveredTo: (e, m) => {
    const last = `${m.month}-${String(daysInMonthOf(m.month)).padStart(2, '0')}` as CalendarDate;
    return e.lastDate < last ? e.lastDate : last;
  },
  isCompleteMonth: (e, m) => {
    const first = `${m.month}-01`;
    const last = `${m.month}-${String(daysInMonthOf(m.month)).padStart(2, '0')}`;
    return e.firstDate <= first && e.lastDate >= last ? 1 : 0;
  },
  firstTxnDate: (_e, m) => m.transactions.reduce<CalendarDate | null>((min, t) => (min === null || t.date < min ? t.date : min), null),
  lastTxnDate: (_e, m) => m.transactions.reduce<CalendarDate | null>((max, t) => (max === null || t.date > max ? t.date : max), null),
  cntDaysWithCredit: (_e, m) => new Set(m.transactions.filter((t) => t.type === 'credit').map((t) => t.date)).size,
  highestSalaryDate: (e, m) => {
    let best: EnrichedTransaction | null = null;
    for (const t of m.transactions) {
      if (t.type === 'credit' && e.input.salaryHashes.has(t.hash) && (best === null || t.amountPaise > best.amountPaise)) best = t;
    }
    return best?.date ?? null;
  },
  salarySpent: (e, m, [days]) => {
    const salary = e.salaryCredits(m);
    return salary.length ? e.debitsAfterSalary(salary, Number(days), null) : 0;
  },
  salarySpentRatio: (e, m, [days]) => {
    const salary = e.salaryCredits(m);
    const total = salary.reduce((s, t) => s + t.amountPaise, 0);
    return total > 0 ? round2(e.debitsAfterSalary(salary, Number(days), null) / total) : null;
  },
  salarySpendPerc: (e, m, [days, channel]) => {
    const salary = e.salaryCredits(m);
    const total = salary.reduce((s, t) => s + t.amountPaise, 0);
    return total > 0 ? Math.round((e.debitsAfterSalary(salary, Number(days), String(channel)) / total) * 100) : null;
  },
};

function negatives(m: MonthData): number[] {
  return m.eodDays.flatMap((d) => (d.balancePaise < 0 ? [d.balancePaise] : []));
}

/**
 * Evaluates catalogue rules over one account's (or a session's merged) transactions and EOD
 * balances, memoising every metric and every filter tally per month.
 */
export class MetricEngine {
  readonly months: string[];
  readonly monthData: Map<string, MonthData>;
  readonly eodByDate = new Map<string, number>();
  readonly firstDate: CalendarDate;
  readonly lastDate: CalendarDate;
  readonly loanCredits: EnrichedTransaction[];
  private readonly tallies = new Map<string, Map<string, Tally>>();
  private readonly metrics = new Map<string, MonthlyValues>();
  private readonly ruleByName = new Map<string, CatalogueEntry>();
  private readonly debitsByDate: EnrichedTransaction[];
  /** Each transaction's month, as an index into `months`. */
  private readonly monthIndex: Int32Array;
  /** The facts the filters test, built on first use. */
  private factsCache: TransactionFacts | null = null;
  private get facts(): TransactionFacts {
    return (this.factsCache ??= transactionFacts(this.input));
  }
  readonly input: AnalysisInput;
  readonly eod: EodBalances;

  constructor(input: AnalysisInput, eod: EodBalances) {
    this.input = input;
    this.eod = eod;
    const txns = input.transactions;
    // Oldest first is the input's contract, but a statement with rows out of date order must not lose a month.
    let first = txns[0]?.date ?? ('' as CalendarDate);
    let last = first;
    for (const t of txns) {
      if (t.date < first) first = t.date;
      if (t.date > last) last = t.date;
    }
    this.firstDate = first;
    this.lastDate = last;
    this.months = txns.length ? monthsBetween(this.firstDate, this.lastDate) : [];
    this.monthData = new Map(this.months.map((month) => [month, { month, transactions: [], eodDays: [] }]));
    const indexOfMonth = new Map(this.months.map((m, i) => [m, i]));
    this.monthIndex = new Int32Array(txns.length);
    txns.forEach((t, i) => {
      const month = monthOf(t.date);
      this.monthIndex[i] = indexOfMonth.get(month)!;
      this.monthData.get(month)!.transactions.push(t);
    });
    for (const d of eod?.days ?? []) {
      this.eodByDate.set(d.date, d.balancePaise);
      this.monthData.get(monthOf(d.date))?.eodDays.push({ day: Number(d.date.slice(8, 10)), date: d.date, balancePaise: d.balancePaise });
    }
    for (const m of this.monthData.values()) m.eodDays.sort((a, b) => a.day - b.day);
    this.loanCredits = txns.filter((t) => t.type === 'credit' && input.lenderHashes.has(t.hash));
    this.debitsByDate = txns.filter((t) => t.type === 'debit').sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const e of [...METRIC_CATALOGUE.helperMetrics, ...METRIC_CATALOGUE.monthly]) this.ruleByName.set(e.name, e);
  }

  /** A monthly metric (or helper metric) by name: month → value. */
  metric(name: string): MonthlyValues {
    let values = this.metrics.get(name);
    if (!values) {
      const entry = this.ruleByName.get(name);
      values = entry?.definition && entry.rule ? this.evaluate(entry.rule) : this.nulls();
      this.metrics.set(name, values);
    }
    return values;
  }

  /** A rule evaluated for every month. */
  evaluate(rule: MetricRule): MonthlyValues {
    const out: MonthlyValues = {};
    if (rule.metric !== undefined) return this.metric(rule.metric);
    for (const month of this.months) out[month] = this.evaluateMonth(rule, month);
    return out;
  }

  private evaluateMonth(rule: MetricRule, month: string): MetricValue {
    const data = this.monthData.get(month)!;
    if (rule.agg && rule.filter) return aggregateTally(rule.agg, this.tally(rule.filter, month));
    if (rule.diff) {
      const [a, b] = rule.diff.map((n) => asNumber(this.metric(n)[month]));
      return a === null || a === undefined || b === null || b === undefined ? null : a - b;
    }
    if (rule.perc || rule.ratio) {
      const [a, b] = (rule.perc ?? rule.ratio)!.map((n) => asNumber(this.metric(n)[month]));
      if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
      return round2(rule.perc ? (a / b) * 100 : a / b);
    }
    if (rule.fn) {
      const fn = MONTH_FNS[rule.fn];
      if (!fn) throw new Error(`metric-catalogue.json names an unknown monthly computation: ${rule.fn}`);
      return fn(this, data, rule.args ?? []);
    }
    throw new Error(`metric-catalogue.json has a monthly rule of no known form: ${JSON.stringify(rule)}`);
  }

  /** The tally of a filter in a month; all months are tallied in one pass over the transactions. */
  tally(filterId: string, month: string): Tally {
    let byMonth = this.tallies.get(filterId);
    if (!byMonth) {
      const filter = METRIC_CATALOGUE.filters[filterId];
      if (!filter) throw new Error(`metric-catalogue.json names an unknown filter: ${filterId}`);
      const tallies: Tally[] = this.months.map(() => ({ sum: 0, count: 0, max: null, min: null }));
      const matches = compileFilter(filter, this.facts);
      const amounts = this.facts.amount;
      for (let i = 0; i < amounts.length; i++) {
        if (matches(i)) addToTally(tallies[this.monthIndex[i]!]!, amounts[i]!);
      }
      byMonth = new Map(this.months.map((m, i) => [m, tallies[i]!]));
      this.tallies.set(filterId, byMonth);
    }
    return byMonth.get(month) ?? { sum: 0, count: 0, max: null, min: null };
  }

  /**
   * The tally of a filter over months m_from … m_to, m0 being the latest month (all months when
   * no range is given); `lastMonths` N is the range 0 … N−1.
   */
  windowTally(filterId: string, range: [number, number] | null): Tally {
    const total: Tally = { sum: 0, count: 0, max: null, min: null };
    const n = this.months.length;
    const months = range === null ? this.months : this.months.slice(Math.max(0, n - 1 - range[1]), Math.max(0, n - range[0]));
    for (const month of months) {
      const t = this.tally(filterId, month);
      total.sum += t.sum;
      total.count += t.count;
      if (t.max !== null) total.max = total.max === null ? t.max : Math.max(total.max, t.max);
      if (t.min !== null) total.min = total.min === null ? t.min : Math.min(total.min, t.min);
    }
    return total;
  }

  /** The tally of a filter over the transactions dated `from`…`to` days back, day 1 being the last transaction's date. */
  dayWindowTally(filterId: string, from: number, to: number): Tally {
    const filter = METRIC_CATALOGUE.filters[filterId];
    if (!filter) throw new Error(`metric-catalogue.json names an unknown filter: ${filterId}`);
    const earliest = addDays(this.lastDate, -(to - 1));
    const latest = addDays(this.lastDate, -(from - 1));
    const matches = compileFilter(filter, this.facts);
    const total: Tally = { sum: 0, count: 0, max: null, min: null };
    const txns = this.input.transactions;
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i]!;
      if (t.date >= earliest && t.date <= latest && matches(i)) addToTally(total, t.amountPaise);
    }
    return total;
  }

  eodOnDay(m: MonthData, day: number): number | null {
    if (day > daysInMonthOf(m.month)) return null;
    return this.eodByDate.get(`${m.month}-${String(day).padStart(2, '0')}`) ?? null;
  }

  salaryCredits(m: MonthData): EnrichedTransaction[] {
    return m.transactions.filter((t) => t.type === 'credit' && this.input.salaryHashes.has(t.hash));
  }

  /** Debits (of one channel, or all) dated on a salary credit's day or the `days` days after it; each debit counted once. */
  debitsAfterSalary(salary: EnrichedTransaction[], days: number, channel: string | null): number {
    const counted = new Set<EnrichedTransaction>();
    const debits = this.debitsByDate;
    for (const s of salary) {
      const until = addDays(s.date, days);
      // The first debit dated on or after the salary day, by binary search (debits are in date order).
      let lo = 0;
      let hi = debits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (debits[mid]!.date < s.date) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < debits.length && debits[i]!.date <= until; i++) {
        const t = debits[i]!;
        if (channel === null || t.enrichment.channel === channel) counted.add(t);
      }
    }
    let total = 0;
    for (const t of counted) total += t.amountPaise;
    return total;
  }

  nulls(): MonthlyValues {
    return Object.fromEntries(this.months.map((m) => [m, null]));
  }
}

function addToTally(tally: Tally, amount: number): void {
  tally.sum += amount;
  tally.count++;
  if (tally.max === null || amount > tally.max) tally.max = amount;
  if (tally.min === null || amount < tally.min) tally.min = amount;
}

export function aggregateTally(agg: string, t: Tally): MetricValue {
  switch (agg) {
    case 'sum':
      return t.sum;
    case 'count':
      return t.count;
    case 'max':
      return t.max ?? 0;
    case 'min':
      return t.min;
    case 'avg':
      return t.count ? Math.round(t.sum / t.count) : 0;
  }
  throw new Error(`metric-catalogue.json names an unknown aggregate: ${agg}`);
}

/** metric → month (`YYYY-MM`) → value, for every metric of the catalogue, in catalogue order. */
export function monthlyAnalysis(input: AnalysisInput, eod: EodBalances): AccountAnalysis['monthlyAnalysis'] {
  return analyse(engineFor(input, eod));
}

const engines = new WeakMap<AnalysisInput, { eod: EodBalances; engine: MetricEngine }>();

/**
 * The engine of an account, shared by monthlyAnalysis and predictors when they are called with
 * the same input and EOD objects (the processing job calls both), so each figure is computed once.
 */
export function engineFor(input: AnalysisInput, eod: EodBalances): MetricEngine {
  const cached = engines.get(input);
  if (cached && cached.eod === eod) return cached.engine;
  const engine = new MetricEngine(input, eod);
  engines.set(input, { eod, engine });
  return engine;
}

function analyse(engine: MetricEngine): AccountAnalysis['monthlyAnalysis'] {
  const out: AccountAnalysis['monthlyAnalysis'] = {};
  for (const entry of METRIC_CATALOGUE.monthly) out[entry.name] = engine.metric(entry.name);
  return out;
}

/**
 * The same metrics over all of a session's accounts together: their transactions merged (so sums,
 * counts, means, maxima and minima are over the combined transactions, never sums of per-account
 * figures), and a combined EOD series whose day balance is the sum of the accounts' balances that
 * day (an account's balance after its last day is carried forward, before its first day it is its
 * starting balance). A day where some account's balance is not known is left out; without every
 * account's balances there is no combined series and balance metrics are null.
 */
export function aggregateMonthlyAnalysis(inputs: AnalysisInput[], eods?: EodBalances[]): AccountAnalysis['monthlyAnalysis'] {
  return analyse(aggregateEngine(inputs, eods));
}

/** An engine over the merged accounts (aggregateMonthlyAnalysis), also usable for session-level predictors. */
export function aggregateEngine(inputs: AnalysisInput[], eods?: EodBalances[]): MetricEngine {
  const transactions = inputs.flatMap((i) => i.transactions).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const union = (pick: (i: AnalysisInput) => ReadonlySet<string>): Set<string> => new Set(inputs.flatMap((i) => [...pick(i)]));
  const merged: AnalysisInput = {
    transactions,
    openingBalancePaise: inputs.every((i) => i.openingBalancePaise !== null)
      ? inputs.reduce((s, i) => s + (i.openingBalancePaise ?? 0), 0)
      : null,
    salaryHashes: union((i) => i.salaryHashes),
    lenderHashes: union((i) => i.lenderHashes),
    selfAndSisterHashes: union((i) => i.selfAndSisterHashes),
    bouncedOrPenalHashes: union((i) => i.bouncedOrPenalHashes),
    recurring: { debit: inputs.flatMap((i) => i.recurring.debit), credit: inputs.flatMap((i) => i.recurring.credit) },
    account: {
      accountNumber: null,
      bankName: '',
      ifsc: null,
      holderName: inputs.every((i) => i.account.holderName === inputs[0]?.account.holderName) ? (inputs[0]?.account.holderName ?? null) : null,
      accountCategory: inputs.some((i) => i.account.accountCategory === 'corporate') ? 'corporate' : 'individual',
      odLimitPaise: null,
    },
  };
  return new MetricEngine(merged, combineEod(eods ?? inputs.map(eodFromInput), transactions));
}

/** When the caller passes no EOD series, each account's is built as the account analysis builds it (eod-balances.ts). */
function eodFromInput(input: AnalysisInput): EodBalances {
  return eodBalances(input.transactions, input.openingBalancePaise);
}

function combineEod(eods: EodBalances[], transactions: EnrichedTransaction[]): EodBalances {
  if (eods.length === 0 || eods.some((e) => e === null || e.days.length === 0) || transactions.length === 0) return null;
  const series = eods as NonNullable<EodBalances>[];
  const maps = series.map((e) => new Map(e.days.map((d) => [d.date as string, d.balancePaise])));
  const days: { date: CalendarDate; balancePaise: number }[] = [];
  for (let date = transactions[0]!.date; date <= transactions.at(-1)!.date; date = addDays(date, 1)) {
    let total = 0;
    let known = true;
    for (let k = 0; k < series.length && known; k++) {
      const e = series[k]!;
      const own = maps[k]!.get(date);
      if (own !== undefined) total += own;
      else if (date > e.days.at(-1)!.date) total += e.days.at(-1)!.balancePaise;
      else if (e.startingBalancePaise !== null) total += e.startingBalancePaise;
      else known = false;
    }
    if (known) days.push({ date, balancePaise: total });
  }
  const starting = series.every((e) => e.startingBalancePaise !== null) ? series.reduce((s, e) => s + e.startingBalancePaise!, 0) : null;
  return { startingBalancePaise: starting, days };
}
