/** The shape of one bank's generated statement layout (one file per bank under layouts/). */
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { SampleAccount, SampleTransaction } from './sample-transactions.ts';

/**
 * `serial` is a 1-based row counter; `initBranch` the code of the branch that initiated the
 * entry; `txnId` the bank's own id of the entry (PNB's "Txn No.", Union's "Transaction Id");
 * `tranType` a transfer/clearing/cash code (Federal's "Tran Type"); `currency` the entry's
 * currency (IDBI's "CCY"); `balanceDrCr` a Cr/Dr marker of the balance printed in a column of
 * its own after it (Federal), unlike `drcr`, which marks the entry's direction.
 */
export type ColumnKey =
  | 'date'
  | 'valueDate'
  | 'narration'
  | 'chq'
  | 'debit'
  | 'credit'
  | 'amount'
  | 'drcr'
  | 'balance'
  | 'serial'
  | 'initBranch'
  | 'txnId'
  | 'tranType'
  | 'currency'
  | 'balanceDrCr';

export interface LayoutColumn {
  key: ColumnKey;
  label: string;
  x: number;
  width: number;
  align: 'left' | 'right';
}

export interface StatementLayout {
  /** Catalogue bank id, or `generic` for a bank Passbook has no layout for. */
  id: string;
  title: (account: SampleAccount) => string[];
  identity: (account: SampleAccount, from: CalendarDate, to: CalendarDate) => string[];
  columns: LayoutColumn[];
  date: (date: CalendarDate) => string;
  amount: (paise: number) => string;
  /**
   * The `amount` column's text when it says the direction itself: `500.00(Dr)` (Union Bank),
   * `- Rs.500.00` (Paytm). Without it the column prints `amount` and a `drcr` column the direction.
   */
  directedAmount?: (paise: number, type: SampleTransaction['type']) => string;
  /** The transaction-date cell when it is more than `date`, e.g. with the time of day (Canara, Paytm). */
  transactionDate?: (date: CalendarDate, serial: number) => string;
  /** The bank's wording of a narration, from the generator's (see `sampleNarration` in layouts/formats.ts). */
  narration?: (narration: string) => string;
  /** The `drcr` column's words, when not `Dr`/`Cr` (`DR`/`CR`, `D`/`C`). */
  drcrWords?: { debit: string; credit: string };
  balance: (paise: number) => string;
  /** Text of the opening-balance row's narration, or null when the bank prints none. */
  openingRow: string | null;
  /** Label of a line after the last row with the total debits and credits, when the bank prints one. */
  totalRow?: string;
  /** Label of a line after the rows (and totals) with the closing balance, when the bank prints one. */
  closingRow?: string;
  footer: (page: number, pages: number) => string;
}
