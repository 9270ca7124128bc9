/** The shape of one bank's generated statement layout (one file per bank under layouts/). */
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { SampleAccount } from './sample-transactions.ts';

/** `serial` is a 1-based row counter; `initBranch` the code of the branch that initiated the entry. */
export type ColumnKey = 'date' | 'valueDate' | 'narration' | 'chq' | 'debit' | 'credit' | 'amount' | 'drcr' | 'balance' | 'serial' | 'initBranch';

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
  balance: (paise: number) => string;
  /** Text of the opening-balance row's narration, or null when the bank prints none. */
  openingRow: string | null;
  /** Label of a line after the last row with the total debits and credits, when the bank prints one. */
  totalRow?: string;
  /** Label of a line after the rows (and totals) with the closing balance, when the bank prints one. */
  closingRow?: string;
  footer: (page: number, pages: number) => string;
}
