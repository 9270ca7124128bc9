/**
 * What Passbook makes of an account's transactions: each transaction explained (channel,
 * description, merchant category, category, counterparty), the account's analysis (salary,
 * recurring sets, lender, self-transfer and bounced transactions, EOD balances, monthly
 * analysis, predictors) and fraud findings with their evidence. Money is integer paise and dates
 * are CalendarDate here; the wire (src/wire/insights-wire.ts) formats both, and renames
 * channels to BankConnect's casing.
 *
 * The enumerations are BankConnect's published ones (../shared/reference/insights-shape.md §8);
 * the definitions behind them are ours, in docs/insights.md.
 */
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { BoundingBox, StoredTransaction } from './statement.ts';

/** `transaction_channel` (23 values). `Others` is the catch-all; the wire prints it `Other` in transaction lists and `OTHER` in recurring sets. */
export const TRANSACTION_CHANNELS = [
  'upi',
  'salary',
  'refund',
  'payment_gateway_purchase',
  'outward_cheque_bounce',
  'net_banking_transfer',
  'investment',
  'inward_cheque_bounce',
  'investment_cashin',
  'international_transaction_arbitrage',
  'debit_card',
  'chq',
  'cash_withdrawl',
  'cash_deposit',
  'bill_payment',
  'bank_interest',
  'bank_charge',
  'auto_debit_payment_bounce',
  'auto_debit_payment',
  'self_transfer',
  'demand_draft',
  'auto_credit',
  'Others',
] as const;
export type TransactionChannel = (typeof TRANSACTION_CHANNELS)[number];

/**
 * `description`: the published values, plus `self_transfer` (seen on the wire). A transfer to or
 * from a named person is described `Transfer to <NAME>` / `Transfer from <NAME>`; none is `''`.
 */
export const DESCRIPTIONS = [
  'penalty_charge',
  'ach_bounce_charge',
  'chq_bounce_charge',
  'lender_transaction',
  'credit_card_bill',
  'telco_bill',
  'electric_bill',
  'deposit_by_machine',
  'chq_bounce_insuff_funds',
  'neft_return',
  'deposit_machine_words',
  'self_transfer',
] as const;
export type KnownDescription = (typeof DESCRIPTIONS)[number];
export type Description = KnownDescription | `Transfer to ${string}` | `Transfer from ${string}` | '';

/** `merchant_category` (17 values); `''` when none applies. */
export const MERCHANT_CATEGORIES = [
  'alcohol',
  'gambling',
  'shopping',
  'groceries',
  'entertainment',
  'medical',
  'travel',
  'food',
  'fuel',
  'investments',
  'trading',
  'bills',
  'ewallet',
  'loans',
  'insurance',
  'tax',
  'bnpl',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** Who is on the other side, as far as the narration says; every field null where it says nothing. */
export interface Counterparty {
  name: string | null;
  upiHandle: string | null;
  ifsc: string | null;
  /** The other side's bank (a catalogue id such as `hdfc`, or the name printed). */
  bank: string | null;
  /** The last digits of the other side's account, as printed (often masked: `XXXX1234` → `1234`). */
  accountTail: string | null;
  /** UTR, RRN or other reference number. */
  reference: string | null;
  chequeNumber: string | null;
}

/** What one transaction is, decided from its narration, side and amount by the rules file, then refined by the account's analysis. */
export interface TransactionEnrichment {
  channel: TransactionChannel;
  description: Description;
  merchantCategory: MerchantCategory | '';
  /** Free text, as BankConnect's: `Salary`, `Self Transfer`, `Loan`, `Loan Disbursed`, `Food`, `Transfer to <NAME>`, `Others`… */
  category: string;
  counterparty: Counterparty;
  /** The narration reduced to its counterparty words (no references, dates or channel codes), upper case: what recurring sets are grouped by. */
  cleanNote: string;
  /** The id of the rule in the rules file that decided the channel (null for the catch-all), so every label can be traced. */
  ruleId: string | null;
}

export interface EnrichedTransaction extends StoredTransaction {
  /** 32 hex digits, stable for the same statement row: the same transaction has the same hash in every list. */
  hash: string;
  enrichment: TransactionEnrichment;
}

/** A salary credit: which transaction, from whom, and the month it pays for (`YYYY-MM`). */
export interface SalaryCredit {
  hash: string;
  employerName: string | null;
  salaryMonth: string;
}

/** A set of transactions that repeat: same side, same counterparty words, a steady rhythm. */
export interface RecurringSet {
  type: 'debit' | 'credit';
  channel: TransactionChannel;
  cleanNote: string;
  medianPaise: number;
  startDate: CalendarDate;
  endDate: CalendarDate;
  /** The members' hashes, oldest first. */
  hashes: string[];
}

/** Where a fraud finding's evidence is: a row's box on a page, or a metadata field of the PDF. */
export type FraudEvidence =
  | { kind: 'box'; statementId: string; page: number; bbox: BoundingBox; transactionHash: string | null }
  | { kind: 'metadata'; statementId: string; field: string; value: string | null };

export interface FraudFinding {
  /** lower_snake_case, BankConnect's where it has one (`author_fraud`, `inconsistent_transaction`). */
  fraudType: string;
  fraudCategory: 'metadata' | 'accounting' | 'date' | 'behaviour';
  /** Null for an account-level finding. */
  statementId: string | null;
  /** The offending transaction, for a transaction-level finding. */
  transactionHash: string | null;
  /** In plain words, for an analyst. */
  reason: string;
  evidence: FraudEvidence[];
}

/** A value of a monthly-analysis metric or a predictor; money in paise, as the metric's unit says (see MetricUnit). */
export type MetricValue = number | string | boolean | null;

/**
 * How a metric's number is written on the wire: `paise` become rupees; `count`, `days` and
 * `percent` are written as they are; `flag` is 1.0/0.0; `ratio` a plain number; `text` a string;
 * `date` a CalendarDate and `month` a `YYYY-MM`, both formatted at the edge.
 */
export type MetricUnit = 'paise' | 'count' | 'days' | 'percent' | 'flag' | 'ratio' | 'text' | 'boolean' | 'date' | 'month';

/** One account's whole analysis, computed once in the processing job and stored (reads never recompute). */
export interface AccountAnalysis {
  accountId: string;
  /** The rules and code that produced it (enrichmentVersion in src/enrichment/narration-rules.ts). */
  enrichmentVersion: string;
  /** Every transaction of the account's stored statements, oldest first, enriched. */
  transactions: EnrichedTransaction[];
  salary: {
    credits: SalaryCredit[];
    confidence: number | null;
    /** Credits paid later than the employer's usual day, and salary months whose total moved by more than 5%. */
    delays: { hash: string; daysLate: number }[];
    changes: { salaryMonth: string; hash: string; previousPaise: number; amountPaise: number; changePercent: number }[];
  };
  recurring: { debit: RecurringSet[]; credit: RecurringSet[] };
  /** Hashes of EMIs and loan disbursals, oldest first. */
  lenderHashes: string[];
  /** Hashes of transfers between the holder's own accounts and to its sister companies. */
  selfAndSisterHashes: string[];
  /** Hashes of bounces, returns and their charges. */
  bouncedOrPenalHashes: string[];
  /** Each return or bounce with the item it bounced and the charge it drew, where the narrations allow (null where not). */
  bounceLinks: { bounceHash: string; bouncedHash: string | null; chargeHash: string | null }[];
  /** The end-of-day balance of every day from the first transaction to the last; null without balances. */
  eodBalances: { startingBalancePaise: number | null; days: { date: CalendarDate; balancePaise: number }[] } | null;
  /** metric → month (`YYYY-MM`) → value. Every metric of the reference, null where it is not defined. */
  monthlyAnalysis: Record<string, Record<string, MetricValue>>;
  /** Per month (`YYYY-MM`): the five largest debits and credits, by hash. */
  topCreditsDebits: { month: string; debits: string[]; credits: string[] }[];
  /** Integer percentages of debits by category, summing to 100 (empty without debits). */
  expenseCategories: { category: string; percentage: number }[];
  /** key → value, every key of the reference, null where it is not defined. */
  predictors: Record<string, MetricValue>;
  fraud: FraudFinding[];
  /** Null: Passbook does not produce a score (docs/insights.md). */
  score: number | null;
}
