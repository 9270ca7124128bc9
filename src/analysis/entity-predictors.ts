/**
 * The entity flow's predictors (reference Appendix C): an account's six latest months, from its
 * stored analysis, with the session flow's definitions (metric-catalogue.json) throughout:
 * - month families (`credits_0` … `credits_5`, 0 the latest month) are the session flow's own
 *   values for those months, its 12-month set's indices 0–5, so both flows agree month by month;
 * - window figures (totals, counts, averages, first and last dates, annualised credit) are the
 *   catalogue's rules evaluated over those six months only, where the session flow's cover the
 *   whole statement. The window's balances are the account's EOD series cut to those months,
 *   starting from the EOD balance of the day before them;
 * - the identity fields are the account's, as the session flow gives them.
 * A value the data cannot give is null, as in the session flow (balances of a statement that
 * prints none, a ratio without income, a month the statements do not reach).
 */
import type { AccountAnalysis, MetricValue } from '../domain/insights.ts';
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { AnalysisInput } from './analysis-input.ts';
import { engineFor, type EodBalances } from './monthly-analysis.ts';
import { scalarPredictorsOf } from './predictors.ts';

export const ENTITY_PREDICTOR_MONTHS = 6;

const IDENTITY = ['customer_name', 'bank_name', 'account_type', 'accountnumber', 'ifsc_code'] as const;

/** Window figures, in the order Appendix C lists them. */
const WINDOW = [
  'start_date',
  'end_date',
  'month_duration',
  'credits',
  'debits',
  'total_expense',
  'total_income',
  'debitless_charges',
  'total_cash_withdrawal',
  'cash_withdrawals',
  'total_chq_deposit',
  'chq_deposits',
  'total_chq_issue',
  'chq_issues',
  'inward_chq_bounces',
  'outward_chq_bounces',
  'pos_expenses',
  'net_banking_credits',
  'net_banking_debits',
  'reversals',
  'total_bounce_or_penal_charge',
  'total_creditcard_payment',
  'total_emi_ecs_loan',
  'annualised_credit',
  'avg_monthly_expense',
  'avg_monthly_income',
  'avg_expense_to_income_perc',
  'avg_daily_closing_balance',
  'avg_monthly_closing_balance',
] as const;

const DAYS = ['1st', '5th', '10th', '15th', '20th', '25th', '30th'];

/** Month families after `month_`, in the order Appendix C lists them. */
const FAMILIES = [
  'credits',
  'debits',
  'debitless_charges',
  'expense',
  'income',
  'expense_to_income_ratio',
  'number_of_transactions',
  'total_creditcard_payment',
  'total_inward_payment_bounce',
  'total_salary',
  'max_balance',
  'min_balance',
  'avg_balance',
  'bal_last',
  ...DAYS.map((d) => `balance_on_${d}`),
  'bal_avgof_6dates',
  ...DAYS.map((d) => `balance_net_off_on_${d}`),
];

const indices = Array.from({ length: ENTITY_PREDICTOR_MONTHS }, (_, i) => i);
const monthKeys = (family: string) => indices.map((i) => `${family}_${i}`);

/** Every key of the entity predictors, in the order they are written. */
export const ENTITY_PREDICTOR_KEYS: readonly string[] = [...IDENTITY, ...monthKeys('month'), ...WINDOW, ...FAMILIES.flatMap(monthKeys)];

/** The account's analysis cut to the months from `from` (a month's first day) on. */
function windowOf(analysis: AccountAnalysis, from: CalendarDate): { input: AnalysisInput; eod: EodBalances } {
  const full = analysis.eodBalances;
  const eod: EodBalances = full && {
    startingBalancePaise: full.days.filter((d) => d.date < from).at(-1)?.balancePaise ?? full.startingBalancePaise,
    days: full.days.filter((d) => d.date >= from),
  };
  const p = analysis.predictors;
  const text = (key: string): string | null => {
    const value = p[key];
    return typeof value === 'string' ? value : null;
  };
  return {
    eod,
    input: {
      transactions: analysis.transactions.filter((t) => t.date >= from),
      openingBalancePaise: eod?.startingBalancePaise ?? null,
      salaryHashes: new Set(analysis.salary.credits.map((c) => c.hash)),
      lenderHashes: new Set(analysis.lenderHashes),
      selfAndSisterHashes: new Set(analysis.selfAndSisterHashes),
      bouncedOrPenalHashes: new Set(analysis.bouncedOrPenalHashes),
      recurring: analysis.recurring,
      // The account's facts as the analysis recorded them (no window figure reads them).
      account: {
        accountNumber: text('accountnumber'),
        bankName: text('bank_name') ?? '',
        ifsc: text('ifsc_code'),
        holderName: text('customer_name'),
        accountCategory: p.account_type === 'corporate' ? 'corporate' : 'individual',
        odLimitPaise: typeof p.ccod_limit === 'number' ? p.ccod_limit : null,
      },
    },
  };
}

/** Appendix C's predictors of one account: key → value (money in paise, units as the session flow's keys of the same name). */
export function entityPredictors(analysis: AccountAnalysis): Record<string, MetricValue> {
  const stored = analysis.predictors;
  const out: Record<string, MetricValue> = {};
  for (const key of IDENTITY) out[key] = stored[key] ?? null;
  for (const key of monthKeys('month')) out[key] = stored[key] ?? null;
  // The window's first month is month_5's (or the earliest the account has, when it has fewer).
  const first = indices.map((i) => stored[`month_${i}`]).filter((m): m is string => typeof m === 'string').at(-1);
  const window = first === undefined ? null : windowOf(analysis, `${first}-01` as CalendarDate);
  const figures = window ? scalarPredictorsOf(engineFor(window.input, window.eod), WINDOW) : {};
  for (const key of WINDOW) out[key] = figures[key] ?? null;
  for (const key of FAMILIES.flatMap(monthKeys)) out[key] = stored[key] ?? null;
  return out;
}
