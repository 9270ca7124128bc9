import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateMonthlyAnalysis, monthlyAnalysis } from '../../src/analysis/monthly-analysis.ts';
import { METRIC_CATALOGUE } from '../../src/analysis/metric-catalogue.ts';
import { monthlyMetricUnit } from '../../src/analysis/metric-units.ts';
import { MetricEngine } from '../../src/analysis/monthly-analysis.ts';
import { buildInput, eodOf, paise, syntheticInput, THREE_MONTHS } from './metric-fixtures.ts';

const MONTHS = ['2025-01', '2025-02', '2025-03'];
const input = buildInput(THREE_MONTHS, 10000);
const eod = eodOf(input);
const analysis = monthlyAnalysis(input, eod);
const byMonth = (metric: string): unknown[] => MONTHS.map((m) => analysis[metric]![m]);

test('the catalogue has every monthly metric of the reference (404), each once, with a unit', () => {
  const names = METRIC_CATALOGUE.monthly.map((e) => e.name);
  assert.equal(names.length, 404);
  assert.equal(new Set(names).size, 404);
  const units = new Set(['paise', 'count', 'days', 'percent', 'flag', 'ratio', 'text', 'boolean', 'date', 'month']);
  for (const e of METRIC_CATALOGUE.monthly) {
    assert.ok(units.has(e.unit), e.name);
    assert.equal(monthlyMetricUnit(e.name), e.unit);
    assert.equal(e.definition === null, e.rule === null, `${e.name}: a rule needs a definition and a definition a rule`);
  }
  assert.equal(monthlyMetricUnit('amt_debit'), 'paise');
  assert.equal(monthlyMetricUnit('cnt_debit'), 'count');
  assert.equal(monthlyMetricUnit('perc_inward_bounce'), 'percent');
});

test('every metric is present, with every month from the first transaction to the last, in catalogue order', () => {
  assert.deepEqual(Object.keys(analysis), METRIC_CATALOGUE.monthly.map((e) => e.name));
  for (const [metric, months] of Object.entries(analysis)) assert.deepEqual(Object.keys(months), MONTHS, metric);
});

test('no figure without a definition; undefinable metrics are null in every month', () => {
  for (const e of METRIC_CATALOGUE.monthly) {
    const values = Object.values(analysis[e.name]!);
    if (e.definition === null) assert.ok(values.every((v) => v === null), `${e.name} has no definition but a value`);
  }
  for (const name of ['amt_rent_credit', 'loan_emi', 'employer_name', 'amt_netting_credits', 'is_current_month', 'amt_business_debit']) {
    assert.deepEqual(byMonth(name), [null, null, null], name);
  }
});

test('amounts and counts by side, channel and analysis set', () => {
  assert.deepEqual(byMonth('amt_credit'), [paise(53000), paise(62000), paise(50000)]);
  assert.deepEqual(byMonth('cnt_credit'), [2, 2, 1]);
  assert.deepEqual(byMonth('amt_debit'), [paise(19000), paise(14090), paise(96000)]);
  assert.deepEqual(byMonth('cnt_debit'), [3, 3, 2]);
  assert.deepEqual(byMonth('cnt_transactions'), [5, 5, 3]);
  assert.deepEqual(byMonth('net_cash_inflow'), [paise(34000), paise(47910), paise(-46000)]);
  assert.deepEqual(byMonth('amt_cash_withdrawl_debit'), [paise(5000), 0, 0]);
  assert.deepEqual(byMonth('amt_cash_deposit_credit'), [paise(3000), 0, 0]);
  assert.deepEqual(byMonth('amt_upi_debit'), [paise(2000), paise(1500), 0]);
  assert.deepEqual(byMonth('amt_food_related_debits'), [paise(2000), paise(1500), 0]);
  assert.deepEqual(byMonth('amt_shopping_related_debits'), [0, 0, paise(1000)]);
  assert.deepEqual(byMonth('amt_self_transfer_debit'), [0, 0, paise(95000)]);
  assert.deepEqual(byMonth('amt_debit_wo_self_transfer'), [paise(19000), paise(14090), paise(1000)]);
  assert.deepEqual(byMonth('amt_income_credit'), [paise(53000), paise(50000), paise(50000)]);
  assert.deepEqual(byMonth('amt_business_credit'), [paise(53000), paise(50000), paise(50000)]);
  assert.deepEqual(byMonth('perc_total_amt_cash_withdrawal_to_total_debit'), [26.32, 0, 0]);
});

test('max, min and mean: max and mean 0 and min null when nothing matches, means rounded to the paisa', () => {
  assert.deepEqual(byMonth('max_amt_credit'), [paise(50000), paise(50000), paise(50000)]);
  assert.deepEqual(byMonth('min_amt_credit'), [paise(3000), paise(12000), paise(50000)]);
  assert.deepEqual(byMonth('max_debit'), [paise(12000), paise(12000), paise(95000)]);
  assert.deepEqual(byMonth('min_debit'), [paise(2000), paise(590), paise(1000)]);
  assert.deepEqual(byMonth('avg_debit_transaction_size'), [633333, 469667, paise(48000)]);
  assert.deepEqual(byMonth('max_amt_cash_withdrawl_debit'), [paise(5000), 0, 0]);
  assert.deepEqual(byMonth('min_amt_cash_withdrawl_debit'), [paise(5000), null, null]);
  assert.deepEqual(byMonth('avg_amt_cash_withdrawl_debit'), [paise(5000), 0, 0]);
});

test('salary, EMI and bounce metrics', () => {
  assert.deepEqual(byMonth('total_amount_of_salary'), [paise(50000), paise(50000), paise(50000)]);
  assert.deepEqual(byMonth('number_of_salary_transactions'), [1, 1, 1]);
  assert.deepEqual(byMonth('highest_salary_date'), ['2025-01-10', '2025-02-10', '2025-03-10']);
  // Jan: within 5 days of the 10th, the cash withdrawal (5,000) and the EMI (12,000).
  // Feb: the UPI debit of 1,500 on the 14th.
  assert.deepEqual(byMonth('sum_salary_spent_within_5_days_of_credit'), [paise(17000), paise(1500), 0]);
  assert.deepEqual(byMonth('perc_salary_amt_debit_within5_days'), [0.34, 0.03, 0]);
  assert.deepEqual(byMonth('perc_salary_spend_cash_withdrawl'), [10, 0, 0]);
  assert.deepEqual(byMonth('perc_salary_spend_upi'), [0, 3, 0]);
  assert.deepEqual(byMonth('amt_emi_debit'), [paise(12000), paise(12000), 0]);
  assert.deepEqual(byMonth('cnt_emi_debit'), [1, 1, 0]);
  assert.deepEqual(byMonth('avg_emi'), [paise(12000), paise(12000), 0]);
  assert.deepEqual(byMonth('amt_emi_bounce_credit'), [0, paise(12000), 0]);
  assert.deepEqual(byMonth('cnt_auto_debit_payment_bounce_credit'), [0, 1, 0]);
  assert.deepEqual(byMonth('amt_ach_bounce_charge'), [0, paise(590), 0]);
  assert.deepEqual(byMonth('amt_bounce_charge'), [0, paise(590), 0]);
  assert.deepEqual(byMonth('bounce_penal'), [0, paise(590), 0]);
  assert.deepEqual(byMonth('amt_loan_credits'), [0, 0, 0]);
  assert.deepEqual(byMonth('abb_isto_emi'), [3.84, 6.31, null]);
});

test('balance metrics from the EOD series', () => {
  assert.deepEqual(byMonth('opening_balance'), [paise(10000), paise(44000), paise(91910)]);
  assert.deepEqual(byMonth('closing_balance'), [paise(44000), paise(91910), paise(45910)]);
  // Jan 10–31: 2 days at 60,000, 3 at 55,000, 5 at 43,000, 5 at 41,000, 7 at 44,000 (1,013,000 / 22).
  assert.equal(analysis.avg_bal!['2025-01'], 4604545);
  assert.equal(analysis.median_balance!['2025-01'], paise(44000));
  assert.equal(analysis.mode_balance!['2025-01'], paise(44000));
  // Feb: 2 days at 32,000, 7 at 43,410, 4 at 93,410, 15 at 91,910 (2,120,160 / 28).
  assert.equal(analysis.avg_bal!['2025-02'], paise(75720));
  assert.deepEqual(byMonth('max_eod_balance'), [paise(60000), paise(93410), paise(91910)]);
  assert.deepEqual(byMonth('min_eod_balance'), [paise(41000), paise(32000), paise(-3090)]);
  assert.deepEqual(byMonth('max_bal'), [paise(60000), paise(93410), paise(46910)]);
  assert.deepEqual(byMonth('min_bal'), [paise(41000), paise(32000), paise(-3090)]);
  assert.deepEqual(byMonth('eod_bal_on_01'), [null, paise(32000), paise(91910)]);
  assert.deepEqual(byMonth('eod_bal_on_15'), [paise(43000), paise(91910), paise(46910)]);
  assert.deepEqual(byMonth('eod_bal_on_25'), [paise(44000), paise(91910), null]);
  assert.deepEqual(byMonth('sum_of_eod_bal_on_1_10_15_25'), [paise(60000 + 43000 + 44000), paise(32000 + 93410 + 91910 + 91910), paise(91910 + 46910 + 46910)]);
  assert.deepEqual(byMonth('cnt_of_eod_balance'), [22, 28, 20]);
  assert.deepEqual(byMonth('cnt_days_eod_bal_lt_1000'), [0, 0, 5]);
  assert.deepEqual(byMonth('cnt_days_account_overdrawn'), [0, 0, 5]);
  assert.deepEqual(byMonth('no_of_instances_account_overdrawn'), [0, 0, 1]);
  assert.deepEqual(byMonth('max_days_account_in_overdrawn_state'), [0, 0, 5]);
  assert.deepEqual(byMonth('total_of_negative_balances_amt'), [0, 0, paise(-3090 * 5)]);
  assert.deepEqual(byMonth('max_overdrawn_amount'), [0, 0, paise(3090)]);
  assert.deepEqual(byMonth('is_complete_month'), [0, 1, 0]);
  assert.deepEqual(byMonth('start_date'), ['2025-01-10', '2025-02-01', '2025-03-01']);
  assert.deepEqual(byMonth('end_date'), ['2025-01-31', '2025-02-28', '2025-03-20']);
  assert.deepEqual(byMonth('transaction_start_date'), ['2025-01-10', '2025-02-01', '2025-03-05']);
  // No loan credits: net-off balances are the EOD balances.
  assert.deepEqual(byMonth('balance_net_off_on_15th'), byMonth('eod_bal_on_15'));
});

test('without an EOD series the balance metrics are null, the transaction metrics are not', () => {
  const bare = monthlyAnalysis(input, null);
  for (const name of ['avg_bal', 'closing_balance', 'opening_balance', 'eod_bal_on_15', 'cnt_days_account_overdrawn', 'min_eod_balance']) {
    assert.deepEqual(Object.values(bare[name]!), [null, null, null], name);
  }
  assert.equal(bare.amt_credit!['2025-01'], paise(53000));
});

test('a loan credit is netted off the later balances', () => {
  const withLoan = buildInput(
    [
      { date: '2025-04-02', type: 'credit', rupees: 100000, channel: 'net_banking_transfer', description: 'lender_transaction', sets: ['lender'] },
      { date: '2025-04-20', type: 'debit', rupees: 500, channel: 'upi' },
    ],
    1000,
  );
  const a = monthlyAnalysis(withLoan, eodOf(withLoan));
  assert.equal(a.amt_loan_credits!['2025-04'], paise(100000));
  assert.equal(a.balance_net_off_on_5th!['2025-04'], paise(1000));
  assert.equal(a.balance_net_off_on_1st!['2025-04'], null);
  assert.equal(a.balance_net_off_on_20th!['2025-04'], paise(500));
  assert.equal(a.balance_net_off_on_25th!['2025-04'], null);
  assert.equal(a.amt_income_credit!['2025-04'], 0);
});

test('aggregate over two accounts: merged transactions and balances summed per day', () => {
  const other = buildInput(
    [
      { date: '2025-02-01', type: 'credit', rupees: 10000, channel: 'upi' },
      { date: '2025-03-31', type: 'debit', rupees: 5000, channel: 'upi' },
    ],
    10000,
    { accountNumber: '00000099' },
  );
  const aggregate = aggregateMonthlyAnalysis([input, other]);
  assert.deepEqual(Object.keys(aggregate), METRIC_CATALOGUE.monthly.map((e) => e.name));
  const agg = (metric: string): unknown[] => MONTHS.map((m) => aggregate[metric]![m]);
  assert.deepEqual(agg('amt_credit'), [paise(53000), paise(72000), paise(50000)]);
  assert.deepEqual(agg('cnt_credit'), [2, 3, 1]);
  assert.deepEqual(agg('amt_debit'), [paise(19000), paise(14090), paise(101000)]);
  // Maxima, minima and means are over the merged transactions, not sums of the accounts' figures.
  assert.deepEqual(agg('max_amt_credit'), [paise(50000), paise(50000), paise(50000)]);
  assert.deepEqual(agg('min_amt_credit'), [paise(3000), paise(10000), paise(50000)]);
  assert.deepEqual(agg('avg_credit_transaction_size'), [paise(26500), 2400000, paise(50000)]);
  // Balances: the other account holds its opening 10,000 before 1 Feb, 20,000 after; the first is carried forward after 20 Mar.
  assert.deepEqual(agg('opening_balance'), [paise(20000), paise(54000), paise(111910)]);
  assert.deepEqual(agg('closing_balance'), [paise(54000), paise(111910), paise(60910)]);
  assert.equal(aggregate.eod_bal_on_15!['2025-01'], paise(53000));
  assert.equal(aggregate.eod_bal_on_25!['2025-03'], paise(45910 + 20000));
  assert.deepEqual(agg('min_eod_balance'), [paise(51000), paise(52000), paise(16910)]);
  // Passing the accounts' own EOD series gives the same figures.
  assert.deepEqual(aggregateMonthlyAnalysis([input, other], [eod, eodOf(other)]), aggregate);
  // An account without any balance leaves the combined balances undefined.
  const noBalances = buildInput([{ date: '2025-02-01', type: 'credit', rupees: 10, channel: 'upi' }], null);
  noBalances.transactions[0]!.balancePaise = null;
  const partial = aggregateMonthlyAnalysis([input, noBalances]);
  assert.deepEqual(Object.values(partial.avg_bal!), [null, null, null]);
  assert.equal(partial.amt_credit!['2025-02'], paise(62010));
});

test('rows out of date order lose no month', () => {
  const shuffled = buildInput(THREE_MONTHS, 10000);
  shuffled.transactions.reverse();
  const a = monthlyAnalysis(shuffled, eod);
  assert.deepEqual(Object.keys(a.amt_credit!), MONTHS);
  assert.deepEqual(Object.values(a.amt_credit!), byMonth('amt_credit'));
  assert.deepEqual(Object.values(a.sum_salary_spent_within_5_days_of_credit!), byMonth('sum_salary_spent_within_5_days_of_credit'));
  assert.deepEqual(Object.values(a.transaction_end_date!), byMonth('transaction_end_date'));
});

test('the aggregate of one account is that account\'s monthly analysis', () => {
  assert.deepEqual(aggregateMonthlyAnalysis([input], [eod]), analysis);
  assert.deepEqual(aggregateMonthlyAnalysis([input]), analysis);
});

test('speed: 16,000 transactions over 24 months', () => {
  const big = syntheticInput(16000, 24);
  const bigEod = eodOf(big);
  // First run in the process (includes JIT warm-up), then a second run over a fresh engine.
  for (const run of ['first', 'second']) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = new MetricEngine(big, bigEod);
    for (const e of METRIC_CATALOGUE.monthly) result.metric(e.name);
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    console.log(`monthlyAnalysis (${run} run): 16,000 transactions, 24 months, 404 metrics in ${elapsed.toFixed(1)} ms wall, ${((used.user + used.system) / 1000).toFixed(1)} ms CPU`);
  }
  assert.equal(Object.keys(monthlyAnalysis(big, bigEod).amt_credit!).length, 24);
});
