/**
 * How each monthly-analysis metric and predictor is written on the wire (MetricUnit), read from the
 * catalogue (metric-catalogue.json), where every name of ../shared/reference/insights-shape.md
 * §5–6 has its unit: counts, day counts, percentages, ratios and flags are written as they are;
 * money is kept in paise inside Passbook and written in rupees. A name the catalogue does not know
 * (none is emitted) falls back to the name grammar, so a caller never gets no answer.
 */
import type { MetricUnit } from '../domain/insights.ts';
import { METRIC_CATALOGUE, monthlyEntry, predictorEntry } from './metric-catalogue.ts';

const COUNT = /(^|_)(cnt|count|no_of|num|number)(_|$)|_cnt_|^total_.*(bounces|_count)/;
const DAYS = /(^|_)days?(_|$)|_age|vintage/;
const PERCENT = /(^|_)(perc|percent|percentage|pct)(_|$)/;
const RATIO = /ratio|_to_|_x_|_by_|multipleof|_growth|_change|_cv|_std|_proportion/;
const FLAG = /^(is|has|flag)_|_flag(_|$)|^fraud_/;
const TEXT = /^(month|accountnumber|bank_name|ifsc_code|customer_name|account_type|salary_month|employer)/;

/** The name grammar, for names outside the catalogue. */
function unitFromName(name: string): MetricUnit {
  if (TEXT.test(name)) return name.startsWith('month') ? 'month' : 'text';
  if (FLAG.test(name)) return 'flag';
  if (PERCENT.test(name)) return 'percent';
  if (COUNT.test(name)) return 'count';
  if (DAYS.test(name)) return 'days';
  if (RATIO.test(name)) return 'ratio';
  return 'paise';
}

const helperUnits = new Map(METRIC_CATALOGUE.helperMetrics.map((e) => [e.name, e.unit]));

/** The unit of a monthly-analysis metric (`amt_debit` → paise, `cnt_debit` → count). */
export const monthlyMetricUnit = (metric: string): MetricUnit =>
  monthlyEntry(metric)?.unit ?? helperUnits.get(metric) ?? unitFromName(metric);

/** The unit of a predictor key; a month family's index suffix (`_0` … `_11`) selects the family. */
export const predictorUnit = (key: string): MetricUnit => predictorEntry(key)?.unit ?? unitFromName(key.replace(/_\d{1,2}$/, ''));
