/**
 * Hand-built enriched transactions for the analysis tests: each carries the labels the
 * enrichment would give its narration (channel, description, category, clean note,
 * counterparty), so the analysis is tested on its own rules, not the enrichment's.
 */
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import type { Counterparty, EnrichedTransaction, TransactionEnrichment } from '../../src/domain/insights.ts';
import type { AnalysisInput } from '../../src/analysis/analysis-input.ts';

export interface TxnSpec {
  date: string;
  type: 'debit' | 'credit';
  /** Rupees, for readability; stored as paise. */
  rupees: number;
  narration?: string;
  balanceRupees?: number | null;
  chqNum?: string | null;
  channel?: TransactionEnrichment['channel'];
  description?: TransactionEnrichment['description'];
  merchantCategory?: TransactionEnrichment['merchantCategory'];
  category?: string;
  cleanNote?: string;
  counterparty?: Partial<Counterparty>;
  hash?: string;
}

const NO_COUNTERPARTY: Counterparty = { name: null, upiHandle: null, ifsc: null, bank: null, accountTail: null, reference: null, chequeNumber: null };

/** Builds the transactions in the order given, numbering them as rows of one statement; the hash defaults to `h<seq>` (zero padded). */
export function enriched(specs: TxnSpec[], statementId = 'st-1'): EnrichedTransaction[] {
  return specs.map((s, seq) => ({
    statementId,
    seq,
    date: s.date as CalendarDate,
    narration: s.narration ?? s.cleanNote ?? '',
    chqNum: s.chqNum ?? null,
    type: s.type,
    amountPaise: Math.round(s.rupees * 100),
    balancePaise: s.balanceRupees === undefined || s.balanceRupees === null ? null : Math.round(s.balanceRupees * 100),
    page: 1,
    bbox: [0, 0, 0, 0],
    hash: s.hash ?? `h${String(seq).padStart(3, '0')}`,
    enrichment: {
      channel: s.channel ?? 'Others',
      description: s.description ?? '',
      merchantCategory: s.merchantCategory ?? '',
      category: s.category ?? 'Others',
      counterparty: { ...NO_COUNTERPARTY, ...s.counterparty },
      cleanNote: s.cleanNote ?? '',
      ruleId: null,
    },
  }));
}

/** Sorts specs by date (stable), as a statement lists them. */
export function byDate(specs: TxnSpec[]): TxnSpec[] {
  return specs.map((s, i) => ({ s, i })).sort((a, b) => (a.s.date < b.s.date ? -1 : a.s.date > b.s.date ? 1 : a.i - b.i)).map((x) => x.s);
}

/** An analysis input over the transactions, with no findings. */
export function inputOf(transactions: EnrichedTransaction[], openingBalancePaise: number | null = null): AnalysisInput {
  return {
    transactions,
    openingBalancePaise,
    salaryHashes: new Set(),
    lenderHashes: new Set(),
    selfAndSisterHashes: new Set(),
    bouncedOrPenalHashes: new Set(),
    recurring: { debit: [], credit: [] },
    account: { accountNumber: null, bankName: '', ifsc: null, holderName: null, accountCategory: 'individual', odLimitPaise: null },
  };
}

/** `YYYY-MM-DD` of day `day` of month `month` (1-based) of `year`. */
export function ymd(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
