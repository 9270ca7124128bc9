/**
 * A small builder of AnalysisInput for the monthly-analysis and predictor tests: enriched
 * transactions written by hand (channel, description, merchant category set), the analysis sets
 * named per row, printed balances computed as a bank prints them, and the EOD series a bank
 * statement implies (each day's last balance, carried forward on days without rows).
 */
import type { EnrichedTransaction, MerchantCategory, TransactionChannel, Description } from '../../src/domain/insights.ts';
import type { AnalysisInput } from '../../src/analysis/analysis-input.ts';
import type { EodBalances } from '../../src/analysis/monthly-analysis.ts';
import { addDays, type CalendarDate } from '../../src/lib/calendar-date.ts';

export interface Row {
  date: string;
  type: 'credit' | 'debit';
  /** Rupees (whole or with paise); stored as paise. */
  rupees: number;
  channel: TransactionChannel;
  description?: Description;
  merchant?: MerchantCategory | '';
  chqNum?: string;
  sets?: ('salary' | 'lender' | 'self' | 'bounced')[];
}

export const paise = (rupees: number): number => Math.round(rupees * 100);

export function buildInput(rows: Row[], openingRupees: number | null, account: Partial<AnalysisInput['account']> = {}): AnalysisInput {
  let balance = openingRupees === null ? null : paise(openingRupees);
  const salary = new Set<string>();
  const lender = new Set<string>();
  const self = new Set<string>();
  const bounced = new Set<string>();
  const transactions: EnrichedTransaction[] = rows.map((row, seq) => {
    const amountPaise = paise(row.rupees);
    if (balance !== null) balance += row.type === 'credit' ? amountPaise : -amountPaise;
    const hash = `${account.accountNumber ?? 'acct'}-${String(seq).padStart(6, '0')}`.padEnd(32, '0');
    for (const set of row.sets ?? []) ({ salary, lender, self, bounced })[set].add(hash);
    return {
      date: row.date as CalendarDate,
      narration: `${row.channel} ${seq}`,
      chqNum: row.chqNum ?? null,
      type: row.type,
      amountPaise,
      balancePaise: balance,
      page: 1,
      bbox: [0, 0, 0, 0],
      statementId: 'statement-1',
      seq,
      hash,
      enrichment: {
        channel: row.channel,
        description: row.description ?? '',
        merchantCategory: row.merchant ?? '',
        category: 'Others',
        counterparty: { name: null, upiHandle: null, ifsc: null, bank: null, accountTail: null, reference: null, chequeNumber: null },
        cleanNote: row.channel.toUpperCase(),
        ruleId: null,
      },
    };
  });
  return {
    transactions,
    openingBalancePaise: openingRupees === null ? null : paise(openingRupees),
    salaryHashes: salary,
    lenderHashes: lender,
    selfAndSisterHashes: self,
    bouncedOrPenalHashes: bounced,
    recurring: { debit: [], credit: [] },
    account: {
      accountNumber: '50100012345678',
      bankName: 'hdfc',
      ifsc: 'HDFC0000001',
      holderName: 'ASHA RAO',
      accountCategory: 'individual',
      odLimitPaise: null,
      ...account,
    },
  };
}

/** Each day's last printed balance from the first row's day to the last's, carried forward. */
export function eodOf(input: AnalysisInput): EodBalances {
  const txns = input.transactions;
  const days: { date: CalendarDate; balancePaise: number }[] = [];
  let i = 0;
  let balance = 0;
  for (let date = txns[0]!.date; date <= txns.at(-1)!.date; date = addDays(date, 1)) {
    while (i < txns.length && txns[i]!.date === date) balance = txns[i++]!.balancePaise!;
    days.push({ date, balancePaise: balance });
  }
  return { startingBalancePaise: input.openingBalancePaise, days };
}

/**
 * Three months (10 Jan – 20 Mar 2025) with a planted salary of ₹50,000 each month, an EMI of
 * ₹12,000 that bounces in February with an ACH bounce charge, cash in and out, and a self transfer
 * that takes the balance below zero for five days in March. Opening balance ₹10,000.
 */
export const THREE_MONTHS: Row[] = [
  { date: '2025-01-10', type: 'credit', rupees: 50000, channel: 'net_banking_transfer', sets: ['salary'] }, // 60,000
  { date: '2025-01-12', type: 'debit', rupees: 5000, channel: 'cash_withdrawl' }, // 55,000
  { date: '2025-01-15', type: 'debit', rupees: 12000, channel: 'auto_debit_payment', description: 'lender_transaction', merchant: 'loans', sets: ['lender'] }, // 43,000
  { date: '2025-01-20', type: 'debit', rupees: 2000, channel: 'upi', merchant: 'food' }, // 41,000
  { date: '2025-01-25', type: 'credit', rupees: 3000, channel: 'cash_deposit' }, // 44,000
  { date: '2025-02-01', type: 'debit', rupees: 12000, channel: 'auto_debit_payment', description: 'lender_transaction', merchant: 'loans', sets: ['lender'] }, // 32,000
  { date: '2025-02-03', type: 'credit', rupees: 12000, channel: 'auto_debit_payment_bounce', sets: ['bounced'] }, // 44,000
  { date: '2025-02-03', type: 'debit', rupees: 590, channel: 'bank_charge', description: 'ach_bounce_charge', sets: ['bounced'] }, // 43,410
  { date: '2025-02-10', type: 'credit', rupees: 50000, channel: 'net_banking_transfer', sets: ['salary'] }, // 93,410
  { date: '2025-02-14', type: 'debit', rupees: 1500, channel: 'upi', merchant: 'food' }, // 91,910
  { date: '2025-03-05', type: 'debit', rupees: 95000, channel: 'self_transfer', description: 'self_transfer', sets: ['self'] }, // -3,090
  { date: '2025-03-10', type: 'credit', rupees: 50000, channel: 'net_banking_transfer', sets: ['salary'] }, // 46,910
  { date: '2025-03-20', type: 'debit', rupees: 1000, channel: 'debit_card', merchant: 'shopping', chqNum: undefined }, // 45,910
];

/** A deterministic synthetic account: channels cycle, amounts from a linear congruential sequence. */
export function syntheticInput(count: number, months: number): AnalysisInput {
  const channels = ['upi', 'upi', 'net_banking_transfer', 'cash_withdrawl', 'debit_card', 'bank_charge', 'cash_deposit', 'chq', 'auto_debit_payment'] as const;
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const rows = Array.from({ length: count }, (_, i) => {
    const dayIndex = Math.floor((i * months * 30) / count);
    const month = Math.floor(dayIndex / 30);
    const date = `${2023 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-${String((dayIndex % 28) + 1).padStart(2, '0')}`;
    const type = i % 3 === 0 ? ('credit' as const) : ('debit' as const);
    return { date, type, rupees: (next() % 500000) / 100, channel: channels[i % channels.length]!, sets: i % 400 === 0 ? ['salary' as const] : [] };
  });
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return buildInput(rows, 100000);
}
