/**
 * How each monthly-analysis metric and predictor is written on the wire (MetricUnit), decided
 * from the name grammar of ../shared/reference/insights-shape.md §5–6: counts, day counts,
 * percentages, ratios and flags are written as they are; every other number is money, kept in
 * paise inside Passbook and written in rupees.
 */
import type { MetricUnit } from '../domain/insights.ts';

const COUNT = /(^|_)(cnt|count|no_of|num|number)(_|$)|_cnt_|^total_.*(bounces|_count)/;
const DAYS = /(^|_)days?(_|$)|_age|vintage/;
const PERCENT = /(^|_)(perc|percent|percentage|pct)(_|$)/;
const RATIO = /ratio|_to_|_x_|_by_|multipleof|_growth|_change|_cv|_std|_proportion/;
const FLAG = /^(is|has|flag)_|_flag(_|$)|^fraud_/;
const TEXT = /^(month|accountnumber|bank_name|ifsc_code|customer_name|account_type|salary_month|employer)/;

function unitOf(name: string): MetricUnit {
  if (TEXT.test(name)) return name.startsWith('month') ? 'month' : 'text';
  if (FLAG.test(name)) return 'flag';
  if (PERCENT.test(name)) return 'percent';
  if (COUNT.test(name)) return 'count';
  if (DAYS.test(name)) return 'days';
  if (RATIO.test(name)) return 'ratio';
  return 'paise';
}

const cache = new Map<string, MetricUnit>();
function cachedUnit(name: string): MetricUnit {
  let unit = cache.get(name);
  if (!unit) cache.set(name, (unit = unitOf(name)));
  return unit;
}

/** The unit of a monthly-analysis metric (`amt_debit` → paise, `cnt_debit` → count). */
export const monthlyMetricUnit = (metric: string): MetricUnit => cachedUnit(metric);

/** The unit of a predictor key; a month family's index suffix (`_0` … `_11`) is ignored. */
export const predictorUnit = (key: string): MetricUnit => cachedUnit(key.replace(/_\d{1,2}$/, ''));
