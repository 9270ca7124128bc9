/**
 * The part of the insights document (GET /console/api/sessions/<id>/insights, `InsightsResponse`
 * in src/wire/insights-wire.ts, docs/insights.md) that the analysis page draws, and what each
 * chart is made of: every figure comes from the document, and every point keeps the hashes of
 * the transactions behind it, so that a click can list them.
 */
import { request } from '../api.ts';

export interface TxMetadata {
  transaction_channel?: string;
  description?: string;
  merchant_category?: string;
}

/** A transaction as `transactions[]` (channel etc. in `metadata`) or the flat lists give it. */
export interface Tx {
  transaction_type: 'debit' | 'credit';
  transaction_note: string;
  chq_num?: string | null;
  amount: number;
  balance: number | null;
  /** `YYYY-MM-DD 00:00:00` */
  date: string;
  hash: string;
  category: string;
  metadata?: TxMetadata;
  transaction_channel?: string;
  description?: string;
  merchant_category?: string;
  statement_id?: string;
  page?: number | null;
}

export interface SalaryTx extends Tx {
  employer_name: string | null;
  /** `Mmm-YYYY`: the month the salary pays for. */
  salary_month: string;
}

export type MetricValue = number | string | boolean | null;

export interface AccountData {
  account_details: {
    name: string | null;
    account_number: string | null;
    bank: string;
    account_type?: string | null;
    months?: string[];
  };
  transactions: Tx[];
  salary_transactions: SalaryTx[];
  lender_transactions: Tx[];
  bounced_or_penal_transactions: Tx[];
  bounce_links?: { bounce_hash: string; bounced_hash: string | null; charge_hash: string | null }[];
  expense_categories: { category: string; percentage: number }[];
  /** metric → `Mmm-YYYY` → value */
  monthly_analysis: Record<string, Record<string, MetricValue>>;
  /** `Months_order` (`Mmm-YY`), `start_date`, one array of balances per month (`Mmm-YY`), `starting_balance`. */
  eod_balances: Record<string, (number | null)[] | string[] | number | null> | null;
}

export interface Insights {
  session_id: string;
  link_id: string;
  accounts: { account_id: string; data: AccountData }[];
}

export function fetchInsights(sessionId: string, signal?: AbortSignal): Promise<Insights> {
  return request<Insights>('GET', `/console/api/sessions/${encodeURIComponent(sessionId)}/insights`, undefined, signal);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mmm-YYYY` or `Mmm-YY` → `YYYY-MM` (null when it is neither). */
export function monthKey(label: string): string | null {
  const m = /^([A-Z][a-z]{2})-(\d{2}|\d{4})$/.exec(label);
  if (!m) return null;
  const index = MONTHS.indexOf(m[1]!);
  if (index < 0) return null;
  const year = m[2]!.length === 2 ? `20${m[2]}` : m[2]!;
  return `${year}-${String(index + 1).padStart(2, '0')}`;
}

/** `YYYY-MM` → `Mmm-YYYY`, the monthly analysis's key. */
export function monthLabel(key: string): string {
  return `${MONTHS[Number(key.slice(5, 7)) - 1]}-${key.slice(0, 4)}`;
}

/** The `YYYY-MM` months from `first` to `last`, both included. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const end = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7));
  while (y * 12 + m <= end && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export const dayOf = (tx: Tx): string => tx.date.slice(0, 10);
export const monthOfTx = (tx: Tx): string => tx.date.slice(0, 7);

const num = (value: MetricValue | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The account's months: those of the monthly analysis (every month from the first transaction to the last), else of its transactions. */
export function accountMonths(data: AccountData): string[] {
  const keys = new Set<string>();
  for (const label of Object.keys(data.monthly_analysis.amt_credit ?? data.monthly_analysis.cnt_transactions ?? {})) {
    const key = monthKey(label);
    if (key) keys.add(key);
  }
  for (const tx of data.transactions) keys.add(monthOfTx(tx));
  const sorted = [...keys].sort();
  return sorted.length === 0 ? [] : monthRange(sorted[0]!, sorted.at(-1)!);
}

export interface MonthlyRow {
  month: string;
  credits: number;
  debits: number;
  creditCount: number;
  debitCount: number;
  creditHashes: string[];
  debitHashes: string[];
}

/** Monthly credits and debits: the amounts and counts of the monthly analysis (`amt_credit`, `amt_debit`, `cnt_*`). */
export function monthlyCreditsDebits(data: AccountData, months: string[]): MonthlyRow[] {
  const ma = data.monthly_analysis;
  return months.map((month) => {
    const label = monthLabel(month);
    const own = data.transactions.filter((tx) => monthOfTx(tx) === month);
    return {
      month,
      credits: num(ma.amt_credit?.[label]),
      debits: num(ma.amt_debit?.[label]),
      creditCount: num(ma.cnt_credit?.[label]),
      debitCount: num(ma.cnt_debit?.[label]),
      creditHashes: own.filter((tx) => tx.transaction_type === 'credit').map((tx) => tx.hash),
      debitHashes: own.filter((tx) => tx.transaction_type === 'debit').map((tx) => tx.hash),
    };
  });
}

export interface EodDay {
  /** `YYYY-MM-DD` */
  date: string;
  balance: number | null;
  salaryHashes: string[];
  emiHashes: string[];
}

/** The end-of-day balances, one a calendar day from the first day with data to the last, with the days salary came in and EMIs went out. */
export function eodDays(data: AccountData): EodDay[] {
  const eod = data.eod_balances;
  if (!eod) return [];
  const order = Array.isArray(eod.Months_order) ? (eod.Months_order as string[]) : [];
  const days: EodDay[] = [];
  for (const label of order) {
    const key = monthKey(label);
    const values = eod[label];
    if (!key || !Array.isArray(values)) continue;
    values.forEach((value, i) => {
      days.push({ date: `${key}-${String(i + 1).padStart(2, '0')}`, balance: typeof value === 'number' ? value : null, salaryHashes: [], emiHashes: [] });
    });
  }
  // Only the days with data: null before the first and after the last.
  const first = days.findIndex((d) => d.balance !== null);
  if (first < 0) return [];
  let last = days.length - 1;
  while (days[last]!.balance === null) last -= 1;
  const shown = days.slice(first, last + 1);
  const byDate = new Map(shown.map((d) => [d.date, d]));
  for (const tx of data.salary_transactions) byDate.get(dayOf(tx))?.salaryHashes.push(tx.hash);
  for (const tx of data.lender_transactions) if (tx.transaction_type === 'debit') byDate.get(dayOf(tx))?.emiHashes.push(tx.hash);
  return shown;
}

export interface SalaryRow {
  month: string;
  amount: number | null;
  hashes: string[];
  employers: string[];
}

/** Salary per salary month (the month it pays for), every month from the first to the last; null where none came. */
export function salaryByMonth(data: AccountData): SalaryRow[] {
  const byMonth = new Map<string, SalaryTx[]>();
  for (const tx of data.salary_transactions) {
    const key = monthKey(tx.salary_month) ?? monthOfTx(tx);
    byMonth.set(key, [...(byMonth.get(key) ?? []), tx]);
  }
  const keys = [...byMonth.keys()].sort();
  if (keys.length === 0) return [];
  return monthRange(keys[0]!, keys.at(-1)!).map((month) => {
    const txs = byMonth.get(month) ?? [];
    return {
      month,
      amount: txs.length === 0 ? null : Math.round(txs.reduce((sum, tx) => sum + tx.amount, 0) * 100) / 100,
      hashes: txs.map((tx) => tx.hash),
      employers: [...new Set(txs.map((tx) => tx.employer_name).filter((e): e is string => !!e))],
    };
  });
}

const channelOf = (tx: Tx) => tx.metadata?.transaction_channel ?? tx.transaction_channel ?? '';
const descriptionOf = (tx: Tx) => tx.metadata?.description ?? tx.description ?? '';
const merchantOf = (tx: Tx) => tx.metadata?.merchant_category ?? tx.merchant_category ?? '';

/** The group a debit is counted under in `expense_categories` (src/analysis/expense-categories.ts). */
export function expenseCategoryOf(tx: Tx): string {
  const merchant = merchantOf(tx);
  if (merchant) return merchant.charAt(0).toUpperCase() + merchant.slice(1);
  const category = tx.category.trim();
  if (/^Transfer (to|from)\b/i.test(category)) return 'Transfers';
  return category || 'Others';
}

export interface CategoryRow {
  category: string;
  percentage: number;
  amount: number;
  hashes: string[];
}

/** The document's expense categories (share of the debited amount, in its order), with the debits of each. */
export function expenseCategories(data: AccountData): CategoryRow[] {
  const debits = new Map<string, Tx[]>();
  for (const tx of data.transactions) {
    if (tx.transaction_type !== 'debit' || !(tx.amount > 0)) continue;
    const key = expenseCategoryOf(tx);
    debits.set(key, [...(debits.get(key) ?? []), tx]);
  }
  return data.expense_categories.map(({ category, percentage }) => {
    const txs = debits.get(category) ?? [];
    return { category, percentage, amount: Math.round(txs.reduce((sum, tx) => sum + tx.amount, 0) * 100) / 100, hashes: txs.map((tx) => tx.hash) };
  });
}

export interface BounceRow {
  month: string;
  returns: number;
  charges: number;
  returnHashes: string[];
  chargeHashes: string[];
}

const RETURN_CHANNELS = new Set(['inward_cheque_bounce', 'outward_cheque_bounce', 'auto_debit_payment_bounce']);
const RETURN_DESCRIPTIONS = new Set(['chq_bounce_insuff_funds', 'neft_return']);

/** Bounced or penal transactions per month: the returns (a cheque or mandate that bounced) and the charges and penalties. */
export function bouncesByMonth(data: AccountData, months: string[]): BounceRow[] {
  const returns = new Set((data.bounce_links ?? []).map((l) => l.bounce_hash));
  const isReturn = (tx: Tx) => returns.has(tx.hash) || RETURN_CHANNELS.has(channelOf(tx)) || RETURN_DESCRIPTIONS.has(descriptionOf(tx));
  const all = new Set(months);
  for (const tx of data.bounced_or_penal_transactions) all.add(monthOfTx(tx));
  const sorted = [...all].sort();
  if (sorted.length === 0) return [];
  return monthRange(sorted[0]!, sorted.at(-1)!).map((month) => {
    const own = data.bounced_or_penal_transactions.filter((tx) => monthOfTx(tx) === month);
    const r = own.filter(isReturn);
    const c = own.filter((tx) => !isReturn(tx));
    return { month, returns: r.length, charges: c.length, returnHashes: r.map((tx) => tx.hash), chargeHashes: c.map((tx) => tx.hash) };
  });
}
