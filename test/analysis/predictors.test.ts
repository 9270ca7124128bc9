import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METRIC_CATALOGUE, predictorEntry, predictorKeys } from '../../src/analysis/metric-catalogue.ts';
import { predictorUnit } from '../../src/analysis/metric-units.ts';
import { monthlyAnalysis } from '../../src/analysis/monthly-analysis.ts';
import { predictors } from '../../src/analysis/predictors.ts';
import { readFileSync } from 'node:fs';
import { INSIGHTS_DOC, metricsSectionOf, renderMetricsSection, withMetricsSection } from '../../scripts/metrics-doc.ts';
import { buildInput, eodOf, paise, syntheticInput, THREE_MONTHS, type Row } from './metric-fixtures.ts';

const input = buildInput(THREE_MONTHS, 10000);
const eod = eodOf(input);
const p = predictors(input, eod);

test('the catalogue has every predictor key of the reference: 117 + 15 month families × 12 and 756 + 20 single keys', () => {
  const families = METRIC_CATALOGUE.predictorFamilies;
  const scalars = METRIC_CATALOGUE.predictorScalars;
  assert.equal(families.filter((f) => f.source === 'EX25').length, 117);
  assert.equal(scalars.filter((s) => s.source === 'EX25').length, 756);
  // EX25 has 2160 keys.
  assert.equal(117 * 12 + 756, 2160);
  assert.equal(families.filter((f) => f.source === 'EX24').length, 15);
  assert.equal(scalars.filter((s) => s.source === 'EX24').length, 20);
  const keys = predictorKeys();
  assert.equal(keys.length, 132 * 12 + 776);
  assert.equal(new Set(keys).size, keys.length);
  for (const key of keys) {
    const entry = predictorEntry(key);
    assert.ok(entry, key);
    assert.equal(predictorUnit(key), entry.unit, key);
    assert.equal(entry.definition === null, entry.rule === null, key);
  }
});

test('every key is present, in catalogue order; no figure without a definition', () => {
  assert.deepEqual(Object.keys(p), predictorKeys());
  for (const [key, value] of Object.entries(p)) {
    if (value !== null) assert.ok(predictorEntry(key)!.definition, `${key} has a value but no definition`);
  }
  for (const key of ['author_fraud', 'min_rtgs_amount', 'cash_deposit_bank_holiday_transaction', 'pan_number', 'employer_name_0', 'amt_rent_credit_0', 'adjusted_abb']) {
    assert.equal(p[key], null, key);
  }
});

test('month families: index 0 is the latest month, months before the data are null', () => {
  assert.deepEqual([p.month_0, p.month_1, p.month_2, p.month_3, p.month_11], ['2025-03', '2025-02', '2025-01', null, null]);
  assert.deepEqual([p.total_salary_0, p.total_salary_1, p.total_salary_2, p.total_salary_3], [paise(50000), paise(50000), paise(50000), null]);
  assert.deepEqual([p.debits_0, p.debits_1, p.debits_2], [paise(96000), paise(14090), paise(19000)]);
  assert.deepEqual([p.credits_0, p.credits_1, p.credits_2], [paise(50000), paise(62000), paise(53000)]);
  assert.deepEqual([p.income_0, p.income_1, p.income_2], [paise(50000), paise(50000), paise(53000)]);
  assert.deepEqual([p.expense_to_income_ratio_0, p.expense_to_income_ratio_1], [1.92, 0.28]);
  assert.deepEqual([p.bal_last_0, p.bal_last_1, p.bal_last_2], [paise(45910), paise(91910), paise(44000)]);
  assert.deepEqual([p.balance_on_1st_0, p.balance_on_25th_0, p.balance_on_15th_2], [paise(91910), null, paise(43000)]);
  assert.deepEqual([p.emi_bounce_0, p.emi_bounce_1, p.emi_bounce_2], [0, 1, 0]);
  assert.deepEqual([p.obligation_1, p.amt_emi_debit_2, p.cnt_emi_debit_0], [paise(12000), paise(12000), 0]);
  assert.deepEqual([p.cnt_days_account_overdrawn_0, p.min_balance_0], [5, paise(-3090)]);
  assert.deepEqual([p.salary_date_0, p.cnt_salary_2], ['2025-03-10', 1]);
  assert.equal(p.amt_self_transfer_debit_0, paise(95000));
  // A family mirrors the monthly metric of the same month.
  const monthly = monthlyAnalysis(input, eod);
  assert.equal(p.avg_balance_1, monthly.avg_bal!['2025-02']);
  assert.equal(p.max_balance_2, monthly.max_eod_balance!['2025-01']);
});

test('account facts and window figures', () => {
  assert.deepEqual(
    [p.accountnumber, p.bank_name, p.ifsc_code, p.customer_name, p.account_type, p.ccod_limit],
    ['50100012345678', 'hdfc', 'HDFC0000001', 'ASHA RAO', 'individual', null],
  );
  assert.deepEqual([p.start_date, p.end_date, p.month_duration, p.banking_vintage_in_days], ['2025-01-10', '2025-03-20', 3, 70]);
  assert.deepEqual([p.credits, p.debits], [paise(165000), paise(129090)]);
  assert.equal(p.total_expense, paise(129090));
  assert.equal(p.total_income, paise(153000));
  assert.deepEqual([p.total_salary_credits, p.avg_monthly_amt_of_salary_credits, p.total_number_of_salary_credits], [paise(150000), paise(50000), 3]);
  assert.deepEqual([p.latest_salary_month, p.is_salary_present, p.has_salary_in_last_3_months], ['2025-03', true, true]);
  assert.deepEqual([p.total_emi_ecs_loan, p.total_cash_withdrawal, p.cash_withdrawals, p.total_bounce_or_penal_charge], [paise(24000), paise(5000), 1, paise(590)]);
  assert.equal(p.avg_of_closing_balance, 6060667);
  assert.deepEqual([p.max_cnt_credit_txn, p.avg_cnt_credit_txn], [2, 1.67]);
  // Last 30 days (19 Feb – 20 Mar): 14 days at 91,910, 5 at −3,090, 10 at 46,910, 1 at 45,910.
  assert.equal(p.avg_eod_bal_c30, 5954333);
  assert.equal(p.min_eod_balance, paise(-3090));
  assert.equal(p.avg_expense_to_income_perc, 84.37);
});

test('window predictors by months, days, month ranges and percentiles', () => {
  assert.deepEqual([p.cnt_of_months_with_salary_credits, p.cnt_of_months_with_no_salary_credits, p.cnt_month_lt_5_txn], [3, 0, 1]);
  // Debits above ₹100, sorted: 590, 1,000, 1,500, 2,000, 5,000, 12,000, 12,000, 95,000; nearest rank.
  assert.deepEqual([p.percentile50_6months_gt100_debit, p.percentile100_6months_gt100_debit, p.percentile10_6months_gt100_debit], [paise(2000), paise(95000), paise(590)]);
  // Last 30 days = 19 Feb – 20 Mar; 31–60 days back = 20 Jan – 18 Feb.
  assert.deepEqual([p.amt_credit_last_30_days, p.cnt_credit_last_31_60_days, p.max_amt_credit_last_31_60_days], [paise(50000), 3, paise(50000)]);
  assert.deepEqual([p.cnt_eod_bal_less_than_1000_c30, p.cnt_days_bal_present], [5, 70]);
  assert.deepEqual([p.cnt_business_credit_in_month_m1_to_m6, p.amt_credit_m6_to_m11], [3, 0]);
  assert.deepEqual([p.amt_upi_spent_in_first_10_days, p.amt_upi_spent_in_last_10_days], [0, 0]);
  assert.deepEqual([p.cnt_emi_bounce_credit_c180, p.cnt_auto_debit_bounce_3m, p.amt_ach_bounce_charge_in_3_months], [1, 1, paise(590)]);
  assert.deepEqual([p.obligation, p.fixed_obligation_to_income_ratio, p.min_amt_emi_debit_txn], [paise(24000), 0.16, paise(12000)]);
  // Closing balances 44,000, 91,910, 45,910.
  assert.equal(p.median_eom_bal_6_month, paise(45910));
  assert.equal(p.cnt_min_eod_bal_lt_500_each_month, 1);
  // Days 5, 15, 25 covered: 43,000, 44,000 (Jan), 43,410, 91,910, 91,910 (Feb), −3,090, 46,910 (Mar).
  assert.equal(p.avg_balance_on_5_15_25_last_6months, paise(51150));
  assert.equal(p.min_eod_bal_2_10_15_24_28th_day_ever, paise(32000));
  assert.equal(p.max_days_balance_lt_100, 5);
  assert.equal(p.ach_return_cnt_last3months, 1);
});

test('behaviour flags as predictors', () => {
  assert.equal(p.salary_1000_multiple, true);
  assert.equal(p.salary_remains_unchanged, true);
  assert.equal(p.more_cash_deposits_than_salary, false);
  assert.equal(p.equal_credit_debit, false);
  assert.equal(p.negative_balance, true);
  assert.equal(p.mostly_cash_transactions, false);
  assert.equal(p.tax_100_multiple, null);
  assert.equal(p.salary_delay_45days_flag, false);
  assert.equal(p.salary_days_consistent_within_10days_of_median_flag, true);
  assert.equal(p.negative_eod_balance_for_non_business_account, true);

  const flagged: Row[] = [
    { date: '2025-05-01', type: 'credit', rupees: 20500.5, channel: 'net_banking_transfer', sets: ['salary'] },
    { date: '2025-05-03', type: 'credit', rupees: 30000, channel: 'cash_deposit' },
    { date: '2025-05-04', type: 'debit', rupees: 1200, channel: 'net_banking_transfer', merchant: 'tax' },
    { date: '2025-05-06', type: 'debit', rupees: 49300.5, channel: 'cash_withdrawl' },
  ];
  const other = buildInput(flagged, 0);
  const q = predictors(other, eodOf(other));
  assert.equal(q.salary_1000_multiple, false);
  assert.equal(q.salary_remains_unchanged, null);
  assert.equal(q.salary_delay_45days_flag, null);
  const late = buildInput(
    [
      { date: '2025-01-01', type: 'credit', rupees: 30000, channel: 'net_banking_transfer', sets: ['salary'] },
      { date: '2025-02-28', type: 'credit', rupees: 30000, channel: 'net_banking_transfer', sets: ['salary'] },
    ],
    0,
  );
  const r = predictors(late, eodOf(late));
  assert.equal(r.salary_delay_45days_flag, true);
  assert.equal(r.salary_days_consistent_within_10days_of_median_flag, false);
  assert.equal(q.more_cash_deposits_than_salary, true);
  assert.equal(q.equal_credit_debit, true);
  assert.equal(q.tax_100_multiple, true);
  assert.equal(q.mostly_cash_transactions, false);
  assert.equal(q.negative_balance, false);
  assert.equal(predictors(other, null).negative_balance, null);
});

test("docs/insights.md's metrics section is the catalogue rendered, and defines every figure computed", () => {
  const doc = metricsSectionOf(readFileSync(INSIGHTS_DOC, 'utf8'));
  assert.ok(doc !== null, 'docs/insights.md lacks the metrics:start / metrics:end lines');
  assert.equal(doc, renderMetricsSection(), 'stale: run node --import tsx scripts/metrics-doc.ts');
  for (const e of [...METRIC_CATALOGUE.monthly, ...METRIC_CATALOGUE.predictorScalars]) {
    if (e.definition) assert.ok(doc.includes(`| \`${e.name}\` | ${e.unit} |`), e.name);
    else assert.ok(doc.includes(`\`${e.name}\``), e.name);
  }
  for (const e of METRIC_CATALOGUE.predictorFamilies) assert.ok(doc.includes(`\`${e.name}_N\``), e.name);
});

test('the metrics section is replaced between its markers only, and a stale one is told apart', () => {
  const doc = readFileSync(INSIGHTS_DOC, 'utf8');
  const stale = withMetricsSection(doc, 'old definitions');
  assert.equal(metricsSectionOf(stale), 'old definitions');
  assert.notEqual(metricsSectionOf(stale), renderMetricsSection());
  assert.equal(withMetricsSection(stale, renderMetricsSection()), doc);
  assert.equal(metricsSectionOf('# no markers'), null);
});

test('an account without transactions: every key present, only the account facts set', () => {
  const empty = buildInput([], 500);
  const q = predictors(empty, null);
  assert.deepEqual(Object.keys(q), predictorKeys());
  assert.equal(q.accountnumber, '50100012345678');
  assert.equal(q.month_0, null);
  assert.equal(q.credits, null);
  assert.deepEqual(monthlyAnalysis(empty, null).amt_credit, {});
});

test('speed: predictors for 16,000 transactions over 24 months', () => {
  const big = syntheticInput(16000, 24);
  const bigEod = eodOf(big);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const monthly = monthlyAnalysis(big, bigEod);
  const result = predictors(big, bigEod);
  const elapsed = performance.now() - started;
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  console.log(`monthlyAnalysis + predictors: 16,000 transactions, 24 months, ${Object.keys(monthly).length} metrics + ${Object.keys(result).length} keys in ${elapsed.toFixed(1)} ms wall (${cpuMs.toFixed(1)} ms CPU)`);
  assert.equal(result.month_0, '2024-12');
  assert.equal(result.month_23 ?? null, null);
});
