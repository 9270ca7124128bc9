/**
 * What the figures of an account are computed from, once its transactions are enriched and its
 * salary, lender, self-transfer, bounced and recurring transactions are found: the monthly
 * analysis, top credits and debits, expense categories and predictors all read this, and the
 * session's aggregate monthly analysis combines one per account.
 */
import type { EnrichedTransaction, RecurringSet } from '../domain/insights.ts';

export interface AnalysedAccountFacts {
  accountNumber: string | null;
  /** Catalogue id of the bank (`hdfc`), or '' when unknown. */
  bankName: string;
  ifsc: string | null;
  holderName: string | null;
  accountCategory: 'individual' | 'corporate';
  odLimitPaise: number | null;
}

export interface AnalysisInput {
  /** Every transaction of the account, oldest first, with its labels refined by the findings below. */
  transactions: EnrichedTransaction[];
  /** The balance before the first transaction, or null when the statements print none. */
  openingBalancePaise: number | null;
  salaryHashes: ReadonlySet<string>;
  lenderHashes: ReadonlySet<string>;
  selfAndSisterHashes: ReadonlySet<string>;
  bouncedOrPenalHashes: ReadonlySet<string>;
  recurring: { debit: RecurringSet[]; credit: RecurringSet[] };
  account: AnalysedAccountFacts;
}
