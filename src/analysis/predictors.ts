/**
 * The predictors: every key of the catalogue (BankConnect's EX25 keys and the older EX24 ones),
 * null where the catalogue gives no definition. Month families `name_0` … `name_11` are the
 * family's monthly rule taken for the latest month (index 0) and each one before it; indices
 * before the statement's first month are null. Window keys are computed over the whole statement
 * (or its latest N months where the rule says `lastMonths`), with the same engine as the monthly
 * analysis, so a predictor and the metric it mirrors always agree.
 *
 * The behaviour flags the issue asks for (salary in exact multiples of ₹1,000, more cash deposits
 * than salary, equal credit and debit, mostly cash, negative balance, tax in multiples of ₹100…)
 * are predictors here, not fraud findings.
 */
import type { EnrichedTransaction, MetricValue } from '../domain/insights.ts';
import { addDays, monthOf, parts, type CalendarDate } from '../lib/calendar-date.ts';
import type { AnalysisInput } from './analysis-input.ts';
import { METRIC_CATALOGUE, PREDICTOR_MONTHS, type CatalogueEntry, type MetricRule } from './metric-catalogue.ts';
import { aggregateTally, engineFor, median, round2, type EodBalances, type MetricEngine } from './monthly-analysis.ts';

type ScalarFn = (engine: MetricEngine, args: (number | string | null)[], scalar: (name: string) => MetricValue) => MetricValue;

const sumOf = (txns: EnrichedTransaction[]): number => txns.reduce((s, t) => s + t.amountPaise, 0);
const mean = (values: number[]): number | null => (values.length ? Math.round(values.reduce((s, v) => s + v, 0) / values.length) : null);

function salaryCredits(e: MetricEngine): EnrichedTransaction[] {
  return e.input.transactions.filter((t) => t.type === 'credit' && e.input.salaryHashes.has(t.hash));
}
function byChannel(e: MetricEngine, type: 'credit' | 'debit', channel: string): EnrichedTransaction[] {
  return e.input.transactions.filter((t) => t.type === type && t.enrichment.channel === channel);
}
/** EOD balances of the last `days` days up to the last transaction (all when null). */
function lastEodDays(e: MetricEngine, days: number | null): number[] | null {
  if (!e.eod) return null;
  const from = days === null ? '' : addDays(e.lastDate, -(days - 1));
  return e.eod.days.filter((d) => d.date >= from).map((d) => d.balancePaise);
}
function dayCount(e: MetricEngine): number {
  const a = parts(e.firstDate);
  const b = parts(e.lastDate);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000) + 1;
}
function eodOnDayOverMonths(e: MetricEngine, day: number, lastMonths: number | null): number[] {
  const months = lastMonths === null ? e.months : e.months.slice(-lastMonths);
  return months.flatMap((m) => e.eodOnDay(e.monthData.get(m)!, day) ?? []);
}

function eodOnDaysOverMonths(e: MetricEngine, days: number[], lastMonths: number | string | null): number[] {
  const months = lastMonths === null ? e.months : e.months.slice(-Number(lastMonths));
  return months.flatMap((m) => days.flatMap((day) => e.eodOnDay(e.monthData.get(m)!, day) ?? []));
}

const ACCOUNT_FACT_FNS = new Set(['accountNumber', 'bankName', 'ifsc', 'holderName', 'accountCategory', 'odLimit']);

const SCALAR_FNS: Record<string, ScalarFn> = {
  accountNumber: (e) => e.input.account.accountNumber,
  bankName: (e) => e.input.account.bankName || null,
  ifsc: (e) => e.input.account.ifsc,
  holderName: (e) => e.input.account.holderName,
  accountCategory: (e) => e.input.account.accountCategory,
  odLimit: (e) => e.input.account.odLimitPaise,
  firstDate: (e) => e.firstDate,
  lastDate: (e) => e.lastDate,
  monthCount: (e) => e.months.length,
  dayCount: (e) => dayCount(e),
  moreCashThanSalary: (e) => {
    const cash = byChannel(e, 'credit', 'cash_deposit');
    return cash.length > 0 && sumOf(cash) > sumOf(salaryCredits(e));
  },
  salaryUnchanged: (e) => {
    const salary = salaryCredits(e);
    return salary.length < 2 ? null : salary.every((t) => t.amountPaise === salary[0]!.amountPaise);
  },
  salary1000Multiple: (e) => {
    const salary = salaryCredits(e);
    return salary.length === 0 ? null : salary.every((t) => t.amountPaise % 100_000 === 0);
  },
  mostlyCash: (e) => {
    const txns = e.input.transactions;
    const cash = txns.filter((t) => t.enrichment.channel === 'cash_deposit' || t.enrichment.channel === 'cash_withdrawl').length;
    return cash * 2 > txns.length;
  },
  equalCreditDebit: (e) => e.windowTally('credit', null).sum === e.windowTally('debit', null).sum,
  anyNegativeEod: (e) => (e.eod ? e.eod.days.some((d) => d.balancePaise < 0) : null),
  tax100Multiple: (e) => {
    const tax = e.input.transactions.filter((t) => t.type === 'debit' && t.enrichment.merchantCategory === 'tax');
    return tax.length === 0 ? null : tax.every((t) => t.amountPaise % 10_000 === 0);
  },
  moreCashThanAvgBalance: (e) => {
    const avg = mean(lastEodDays(e, null) ?? []);
    return avg === null ? null : sumOf(byChannel(e, 'credit', 'cash_deposit')) > avg;
  },
  avgEodLastDays: (e, [days]) => {
    const values = lastEodDays(e, days === null || days === undefined ? null : Number(days));
    return values ? mean(values) : null;
  },
  medianEodLastDays: (e, [days]) => {
    const values = lastEodDays(e, Number(days));
    return values ? median(values) : null;
  },
  avgEodOnDayOverMonths: (e, [day, lastMonths]) =>
    mean(eodOnDayOverMonths(e, Number(day), lastMonths === null || lastMonths === undefined ? null : Number(lastMonths))),
  sumEodOnDayOverMonths: (e, [day]) => {
    const values = eodOnDayOverMonths(e, Number(day), null);
    return values.length ? values.reduce((s, v) => s + v, 0) : null;
  },
  selfCreditPerc: (e) => {
    const credits = e.windowTally('credit', null).sum;
    return credits ? round2((e.windowTally('self_credit', null).sum / credits) * 100) : null;
  },
  cashWithdrawalShare: (e) => {
    const debits = e.windowTally('debit', null).sum;
    return debits ? round2(e.windowTally('cash_withdrawl_debit', null).sum / debits) : null;
  },
  salaryPresent: (e) => salaryCredits(e).length > 0,
  salaryInLastMonths: (e, [n]) => {
    const months = new Set(e.months.slice(-Number(n)));
    return salaryCredits(e).some((t) => months.has(monthOf(t.date)));
  },
  minCreditsEachMonth: (e, [n]) => e.months.every((m) => e.tally('credit', m).count >= Number(n)),
  latestSalaryMonth: (e) => {
    const latest = salaryCredits(e).reduce<string | null>((max, t) => (max === null || t.date > max ? t.date : max), null);
    return latest ? monthOf(latest as CalendarDate) : null;
  },
  avgEodOnDaysOverMonths: (e, [lastMonths, ...days]) => mean(eodOnDaysOverMonths(e, days.map(Number), lastMonths ?? null)),
  minEodOnDaysOverMonths: (e, [lastMonths, ...days]) => {
    const values = eodOnDaysOverMonths(e, days.map(Number), lastMonths ?? null);
    return values.length ? Math.min(...values) : null;
  },
  longestEodRunLt: (e, [limit, lastMonths]) => {
    if (!e.eod) return null;
    const months = new Set(lastMonths === null || lastMonths === undefined ? e.months : e.months.slice(-Number(lastMonths)));
    let longest = 0;
    let run = 0;
    for (const d of e.eod.days) {
      if (!months.has(monthOf(d.date))) continue;
      run = d.balancePaise < Number(limit) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  },
  salaryGapOver: (e, [days]) => {
    const dates = salaryCredits(e).map((t) => t.date).sort();
    if (dates.length < 2) return null;
    return dates.some((d, i) => i > 0 && addDays(dates[i - 1]!, Number(days)) < d);
  },
  salaryDaysWithin: (e, [days]) => {
    const salaryDays = salaryCredits(e).map((t) => parts(t.date).day);
    const mid = median(salaryDays);
    return mid === null ? null : salaryDays.every((d) => Math.abs(d - mid) <= Number(days));
  },
  negativeEodIndividual: (e) => (e.eod ? e.input.account.accountCategory === 'individual' && e.eod.days.some((d) => d.balancePaise < 0) : null),
  monthsWhere: (e, [metric, op, value, lastMonths]) => {
    const values = e.metric(String(metric));
    const months = lastMonths === null || lastMonths === undefined ? e.months : e.months.slice(-Number(lastMonths));
    return months.filter((m) => {
      const v = values[m];
      if (typeof v !== 'number') return false;
      return op === 'gt' ? v > Number(value) : op === 'lt' ? v < Number(value) : v === Number(value);
    }).length;
  },
  cntEodLastDays: (e, [op, limit, days]) => {
    const values = lastEodDays(e, days === null || days === undefined ? null : Number(days));
    if (!values) return null;
    if (op === null || op === undefined) return values.length;
    return values.filter((v) => (op === 'gt' ? v > Number(limit) : v < Number(limit))).length;
  },
  medianEodLastMonths: (e, [n]) => {
    if (!e.eod) return null;
    const months = new Set(e.months.slice(-Number(n)));
    return median(e.eod.days.filter((d) => months.has(monthOf(d.date))).map((d) => d.balancePaise));
  },
  percentile: (e, [pct, side, lastMonths, abovePaise]) => {
    const months = new Set(e.months.slice(-Number(lastMonths)));
    const amounts = e.input.transactions
      .filter((t) => t.type === side && t.amountPaise > Number(abovePaise) && months.has(monthOf(t.date)))
      .map((t) => t.amountPaise)
      .sort((a, b) => a - b);
    if (amounts.length === 0) return null;
    // Nearest rank: the smallest amount with at least pct% of the amounts at or below it.
    return amounts[Math.max(0, Math.ceil((Number(pct) / 100) * amounts.length) - 1)]!;
  },
  annualisedCredit: (e) => Math.round((e.windowTally('credit', null).sum / dayCount(e)) * 365),
};

function overMonths(e: MetricEngine, rule: MetricRule, unitOfMetric: string | undefined): MetricValue {
  const months = rule.lastMonths ? e.months.slice(-rule.lastMonths) : e.months;
  const values = e.metric(rule.metric!);
  const numbers = months.flatMap((m) => (typeof values[m] === 'number' ? [values[m]] : []));
  if (numbers.length === 0) return null;
  switch (rule.overMonths) {
    case 'sum':
      return numbers.reduce((s, v) => s + v, 0);
    case 'max':
      return Math.max(...numbers);
    case 'min':
      return Math.min(...numbers);
    case 'median':
      return median(numbers);
    case 'avg': {
      const avg = numbers.reduce((s, v) => s + v, 0) / numbers.length;
      return unitOfMetric === 'paise' ? Math.round(avg) : round2(avg);
    }
  }
  throw new Error(`metric-catalogue.json has an unknown overMonths: ${String(rule.overMonths)}`);
}

const monthlyUnit = new Map([...METRIC_CATALOGUE.monthly, ...METRIC_CATALOGUE.helperMetrics].map((m) => [m.name, m.unit]));

function scalarValue(e: MetricEngine, entry: CatalogueEntry, scalar: (name: string) => MetricValue): MetricValue {
  const rule = entry.rule;
  if (!entry.definition || !rule) return null;
  // Without transactions only the account's facts are defined.
  if (e.months.length === 0 && !(rule.fn && ACCOUNT_FACT_FNS.has(rule.fn))) return null;
  if (rule.agg && rule.filter) {
    if (rule.days) return aggregateTally(rule.agg, e.dayWindowTally(rule.filter, rule.days[0], rule.days[1]));
    const range: [number, number] | null = rule.monthRange ?? (rule.lastMonths ? [0, rule.lastMonths - 1] : null);
    return aggregateTally(rule.agg, e.windowTally(rule.filter, range));
  }
  if (rule.overMonths && rule.metric) return overMonths(e, rule, monthlyUnit.get(rule.metric));
  if (rule.perc || rule.ratio) {
    const [a, b] = (rule.perc ?? rule.ratio)!.map(scalar);
    if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
    return round2(rule.perc ? (a / b) * 100 : a / b);
  }
  if (rule.fn) {
    const fn = SCALAR_FNS[rule.fn];
    if (!fn) throw new Error(`metric-catalogue.json names an unknown predictor computation: ${rule.fn}`);
    return fn(e, rule.args ?? [], scalar);
  }
  throw new Error(`metric-catalogue.json has a predictor rule of no known form: ${entry.name}`);
}

/** Every predictor key of the catalogue → its value (money in paise, as predictorUnit says), null where not defined. */
export function predictors(input: AnalysisInput, eod: EodBalances): Record<string, MetricValue> {
  return predictorsOf(engineFor(input, eod));
}

/** The predictors over an engine already built (an account's, or a session's merged accounts). */
export function predictorsOf(engine: MetricEngine): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  const latestFirst = [...engine.months].reverse();
  for (const family of METRIC_CATALOGUE.predictorFamilies) {
    const values = family.definition && family.rule ? engine.evaluate(family.rule) : {};
    for (let i = 0; i < PREDICTOR_MONTHS; i++) {
      const month = latestFirst[i];
      out[`${family.name}_${i}`] = month === undefined ? null : (values[month] ?? null);
    }
  }
  const scalar = scalarEvaluator(engine);
  for (const entry of METRIC_CATALOGUE.predictorScalars) out[entry.name] = scalar(entry.name);
  return out;
}

const scalarEntries = new Map(METRIC_CATALOGUE.predictorScalars.map((s) => [s.name, s]));

/** Evaluates scalar predictors by name over one engine, each once (a rule may name others: perc, ratio). */
function scalarEvaluator(engine: MetricEngine): (name: string) => MetricValue {
  const done = new Map<string, MetricValue>();
  const scalar = (name: string): MetricValue => {
    if (!done.has(name)) {
      const entry = scalarEntries.get(name);
      done.set(name, entry ? scalarValue(engine, entry, scalar) : null);
    }
    return done.get(name)!;
  };
  return scalar;
}

/** Only the named scalar predictors over an engine (a window of an account's months, say), by the catalogue's rules. */
export function scalarPredictorsOf(engine: MetricEngine, names: readonly string[]): Record<string, MetricValue> {
  const scalar = scalarEvaluator(engine);
  return Object.fromEntries(names.map((name) => [name, scalar(name)]));
}
